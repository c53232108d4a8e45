import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport

/// Fixes and stores for the query tests.
enum Fixtures {
    /// 2025-11-29T00:00:00Z.
    static let dayStart: Int64 = 1_764_374_400_000
    static let device = DeviceID("w1")!

    /// A fix `seconds` after `dayStart`, `eastM`/`northM` metres from 31.23 N 121.47 E.
    static func fix(
        _ seconds: Double, east eastM: Double = 0, north northM: Double = 0, device: DeviceID = device,
        accuracyM: Double? = nil, hdop: Double? = nil, speedMps: Double? = nil, flags: FixFlags = .valid
    ) -> Fix {
        let plane = LocalTangentPlane(originLatitude: 31.23, originLongitude: 121.47)
        let point = plane.unproject(eastM: eastM, northM: northM)
        return Fix(
            device: device, timeMs: dayStart + Int64((seconds * 1000).rounded()),
            latitudeE7: CoordinateE7.fromDegrees(point.latitude),
            longitudeE7: CoordinateE7.fromDegrees(point.longitude),
            speedMps: speedMps, hdop: hdop, accuracyM: accuracyM, flags: flags)
    }

    /// A simulated 1 Hz track with every optional value, canonicalized as the store keeps it.
    static func simulated(seconds: Int, seed: UInt64 = 1, device: DeviceID = device) -> [Fix] {
        var simulator = FleetSimulator(seed: seed)
        return simulator.track(device: device, startMs: dayStart, durationSeconds: seconds).map { $0.canonicalized() }
    }

    /// A store in a fresh directory holding `fixes`: with `segments`, all cut into segments,
    /// else the last `buffered` of them left in the WAL buffer.
    static func store(_ dir: TemporaryDirectory, _ fixes: [Fix], buffered: Int = 0, options: StoreOptions = .init())
        throws -> TrackStore
    {
        let store = try TrackStore(directory: dir.path, options: options)
        let cut = fixes.count - buffered
        if cut > 0 {
            try store.append(Array(fixes[..<cut]))
            try store.flush()
        }
        if buffered > 0 { try store.append(Array(fixes[cut...])) }
        return store
    }
}
