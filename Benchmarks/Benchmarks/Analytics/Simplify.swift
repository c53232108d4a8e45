import Benchmark
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// Simplification of one worker's 1 Hz day (86,400 fixes): worker-0 of `fieldtrace simulate --seed 1
/// --devices 1 --hours 24 --format csv`, the CSV `scripts/peers/simplify.py` reads. Douglas-Peucker
/// and TD-TR at 5 m and 20 m from `[Fix]` (projection included) and from already projected columns
/// (the split alone), and the streaming simplifier fed fix by fix. Buffers are warmed before the
/// measurement, so the malloc count shows the steady state. Points/s = throughput x 86,400.
func simplifyBenchmarks() {
    // The same seed, start and place as `fieldtrace simulate`'s worker 0 (SimulateCommand).
    var sim = FleetSimulator(seed: 1 &* 1_000_003)
    let day = sim.track(
        device: DeviceID("worker-0")!, startMs: 1_795_824_000_000, durationSeconds: 86_400,
        latitude: 31.2304 + Double(-8) * 0.01,
        longitude: 121.4737 + Double(-6) * 0.012)

    for tolerance in [5.0, 20.0] {
        let name = "\(Int(tolerance)) m (86400 fixes, 1 Hz day)"
        Benchmark("Simplify DP \(name)") { benchmark in
            var simplifier = Simplifier()
            var kept: [Int] = []
            simplifier.load(day)
            simplifier.douglasPeucker(toleranceMeters: tolerance, into: &kept)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                simplifier.load(day)
                simplifier.douglasPeucker(toleranceMeters: tolerance, into: &kept)
                blackHole(kept.count)
            }
            benchmark.stopMeasurement()
        }
        Benchmark("Simplify TD-TR \(name)") { benchmark in
            var simplifier = Simplifier()
            var kept: [Int] = []
            simplifier.load(day)
            simplifier.timeAware(toleranceMeters: tolerance, into: &kept)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                simplifier.load(day)
                simplifier.timeAware(toleranceMeters: tolerance, into: &kept)
                blackHole(kept.count)
            }
            benchmark.stopMeasurement()
        }
        Benchmark("Simplify DP projected \(name)") { benchmark in
            var simplifier = Simplifier()
            var kept: [Int] = []
            simplifier.load(day)
            simplifier.douglasPeucker(toleranceMeters: tolerance, into: &kept)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                simplifier.douglasPeucker(toleranceMeters: tolerance, into: &kept)
                blackHole(kept.count)
            }
            benchmark.stopMeasurement()
        }
        Benchmark("Simplify TD-TR projected \(name)") { benchmark in
            var simplifier = Simplifier()
            var kept: [Int] = []
            simplifier.load(day)
            simplifier.timeAware(toleranceMeters: tolerance, into: &kept)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                simplifier.timeAware(toleranceMeters: tolerance, into: &kept)
                blackHole(kept.count)
            }
            benchmark.stopMeasurement()
        }
        Benchmark("Simplify streaming \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                var stream = StreamingSimplifier(toleranceMeters: tolerance)
                var kept = 0
                for fix in day where stream.process(fix) != nil { kept += 1 }
                if stream.finish() != nil { kept += 1 }
                blackHole(kept)
            }
        }
    }
}
