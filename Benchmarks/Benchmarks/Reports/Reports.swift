import Benchmark
import FieldtraceCore
import FieldtraceReports
import FieldtraceTestSupport

/// Dispatch: the N nearest of 100,000 live workers (issue 7 bar: p99 <= 5 ms). One iteration
/// is one query, so the percentiles are per query. Workers are spread over a 60 km square
/// (a metropolitan area), queries uniform over the same square, in one tenant; a tenth of the
/// workers are in the queried group.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 10, maxDuration: .seconds(3))

    let nowMs: Int64 = 1_764_400_000_000
    var rng = SeededRandom(seed: 7)
    let fleet = LiveFleet()
    for i in 0..<100_000 {
        let fix = Fix(
            device: DeviceID("worker-\(i)")!, timeMs: nowMs - Int64.random(in: 0...300_000, using: &rng),
            latitudeE7: 312_304_000 + Int32.random(in: -2_700_000...2_700_000, using: &rng),
            longitudeE7: 1_214_737_000 + Int32.random(in: -3_150_000...3_150_000, using: &rng),
            speedMps: Double.random(in: 0...15, using: &rng), source: .osmand)
        fleet.update(fix, tenant: "acme", group: i % 10 == 0 ? "repair" : "sales")
    }
    let queries = (0..<1024).map { _ in
        (
            312_304_000 + Int32.random(in: -2_700_000...2_700_000, using: &rng),
            1_214_737_000 + Int32.random(in: -3_150_000...3_150_000, using: &rng)
        )
    }

    Benchmark("Nearest 10 of 100000 workers") { benchmark in
        var q = 0
        for _ in benchmark.scaledIterations {
            let (lat, lon) = queries[q & 1023]
            q += 1
            blackHole(
                fleet.nearest(latitudeE7: lat, longitudeE7: lon, n: 10, tenant: "acme", nowMs: nowMs, maxAgeS: 600))
        }
    }

    Benchmark("Nearest 10 of 100000 workers, one group") { benchmark in
        var q = 0
        for _ in benchmark.scaledIterations {
            let (lat, lon) = queries[q & 1023]
            q += 1
            blackHole(
                fleet.nearest(
                    latitudeE7: lat, longitudeE7: lon, n: 10, tenant: "acme", group: "repair", nowMs: nowMs,
                    maxAgeS: 600))
        }
    }

    Benchmark("Fleet update (1 fix, 100000 workers)") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            let fix = Fix(
                device: DeviceID("worker-\(i % 100_000)")!, timeMs: nowMs + Int64(i), latitudeE7: 312_304_000,
                longitudeE7: 1_214_737_000, speedMps: 3, source: .osmand)
            i += 1
            fleet.update(fix, tenant: "acme", group: "sales")
        }
    }
}
