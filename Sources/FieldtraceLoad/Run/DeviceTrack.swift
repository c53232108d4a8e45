import FieldtraceCore
import FieldtraceTestSupport

/// One device's movement: FleetSimulator's worker day sampled at 1 Hz, kept compact (16 bytes a
/// second) and repeated beyond its period; positions between seconds are interpolated, so any
/// rate up to 1 kHz gets a smooth track.
///
/// Worker `i` uses FleetSimulator's seed `seed &* 1_000_003 &+ i` and starting point, the same as
/// `fieldtrace simulate --seed S` prints for worker `i`.
struct DeviceTrack {
    struct Sample {
        var latitudeE7: Int32
        var longitudeE7: Int32
        var speedCentimetersPerSecond: UInt16
        var courseDeg: UInt16
        var altitudeM: Int16
    }

    /// `periodSeconds + 1` samples: the last one only ends the interpolation of the period's last second.
    let samples: [Sample]
    var periodSeconds: Int { samples.count - 1 }

    init(seed: UInt64, worker: Int, startMs: Int64, periodSeconds: Int) {
        let period = max(1, periodSeconds)
        var sim = FleetSimulator(seed: seed &* 1_000_003 &+ UInt64(worker))
        let lat = 31.2304 + Double(worker % 17 - 8) * 0.01
        let lon = 121.4737 + Double(worker % 13 - 6) * 0.012
        let device = DeviceID("worker-\(worker)")!
        let fixes = sim.track(
            device: device, startMs: startMs, durationSeconds: period + 1, latitude: lat, longitude: lon)
        samples = fixes.map { fix in
            Sample(
                latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7,
                speedCentimetersPerSecond: UInt16(min(65535, max(0, ((fix.speedMps ?? 0) * 100).rounded()))),
                courseDeg: UInt16(Int(fix.courseDeg ?? 0) % 360),
                altitudeM: Int16(max(-1000, min(9000, (fix.altitudeM ?? 0).rounded()))))
        }
    }

    /// The fix `relativeMs` after the run's start, stamped `timeMs`.
    func fix(relativeMs: Int64, timeMs: Int64, backlog: Bool) -> LoadFix {
        let period = Int64(periodSeconds)
        let second = relativeMs / 1000
        let s = Int(second % period)
        let fraction = relativeMs % 1000  // 0...999 ms into the second
        let a = samples[s]
        let b = samples[s + 1]
        func lerp(_ x: Int32, _ y: Int32) -> Int32 {
            Int32(Int64(x) + (Int64(y) - Int64(x)) * fraction / 1000)
        }
        return LoadFix(
            timeMs: timeMs, latitudeE7: lerp(a.latitudeE7, b.latitudeE7),
            longitudeE7: lerp(a.longitudeE7, b.longitudeE7), speedCentimetersPerSecond: a.speedCentimetersPerSecond,
            courseDeg: a.courseDeg, altitudeM: a.altitudeM, backlog: backlog)
    }
}
