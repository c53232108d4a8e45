import FieldtraceCore
import FieldtraceTestSupport
import Foundation

/// Hand-made fixes for the filter tests: positions in metres east/north of a fixed origin.
enum FilterFixtures {
    static let device = DeviceID("w1")!
    static let t0: Int64 = 1_764_374_400_000
    static let plane = LocalTangentPlane(originLatitude: 48.1374, originLongitude: 11.5755)

    /// A fix `east`/`north` metres from the origin at `second` seconds after `t0`.
    static func fix(
        _ second: Double, east: Double = 0, north: Double = 0, receivedMs: Int64? = nil, accuracyM: Double? = nil,
        hdop: Double? = nil, speedMps: Double? = nil, courseDeg: Double? = nil, valid: Bool = true
    ) -> Fix {
        let p = plane.unproject(eastM: east, northM: north)
        return Fix(
            device: device, timeMs: t0 + Int64((second * 1000).rounded()), receivedMs: receivedMs,
            latitudeE7: CoordinateE7.fromDegrees(p.latitude), longitudeE7: CoordinateE7.fromDegrees(p.longitude),
            speedMps: speedMps, courseDeg: courseDeg, hdop: hdop, accuracyM: accuracyM, flags: valid ? .valid : [])
    }

    /// Metres east and north of the origin of an E7 position.
    static func metres(latitudeE7: Int32, longitudeE7: Int32) -> (east: Double, north: Double) {
        let p = plane.project(latitude: Double(latitudeE7) / 1e7, longitude: Double(longitudeE7) / 1e7)
        return (p.eastM, p.northM)
    }

    /// Distance in metres from an E7 position to a point east/north of the origin.
    static func distance(latitudeE7: Int32, longitudeE7: Int32, east: Double, north: Double) -> Double {
        let p = metres(latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        return ((p.east - east) * (p.east - east) + (p.north - north) * (p.north - north)).squareRoot()
    }
}

/// A seeded Gaussian source for hand-made tracks.
struct GaussianNoise {
    var rng: SeededRandom
    init(seed: UInt64) { rng = SeededRandom(seed: seed) }
    mutating func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
    /// A standard normal value (Box-Muller; one of the pair).
    mutating func next() -> Double {
        let u1 = max(uniform(), 1e-300)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * uniform())
    }
}
