import Benchmark
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// Filtering a worker's 1 Hz day (86,400 fixes from `FleetSimulator`, with speed, course and
/// HDOP): the sanity filter, the online Kalman filter, and Kalman + RTS smoothing of the whole
/// day. fixes/s = throughput x 86,400. Bar: Kalman + RTS >= 5 million fixes/s on one core.
func filterBenchmarks() {
    var sim = FleetSimulator(seed: 1)
    let day = sim.track(device: DeviceID("worker-1")!, startMs: 1_764_374_400_000, durationSeconds: 86_400)

    Benchmark("Sanity filter (86400 fixes, 1 Hz day)") { benchmark in
        for _ in benchmark.scaledIterations {
            var filter = SanityFilter()
            var rejected = 0
            for fix in day where filter.judge(fix) != nil { rejected += 1 }
            blackHole(rejected)
        }
    }

    Benchmark("Kalman online (86400 fixes, 1 Hz day)") { benchmark in
        for _ in benchmark.scaledIterations {
            var tracker = KalmanTracker()
            var checksum: Int64 = 0
            for fix in day { checksum &+= Int64(tracker.process(fix).latitudeE7) }
            blackHole(checksum)
        }
    }

    Benchmark("Kalman + RTS (86400 fixes, 1 Hz day)") { benchmark in
        var smoother = RTSSmoother()
        var out: [KalmanEstimate] = []
        for _ in benchmark.scaledIterations {
            smoother.smooth(day, into: &out)
            blackHole(out.count)
        }
    }
}
