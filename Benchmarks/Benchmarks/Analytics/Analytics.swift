import Benchmark

/// Analytics hot paths, one file per area: filtering (Kalman + RTS), geofence lookups and
/// state machines, stop/trip detection, simplification. Each benchmark names its unit of work
/// so fixes/s = throughput x fixes per iteration.
/// Run: `swift package --package-path Benchmarks benchmark --target Analytics --no-progress`.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(3))
    filterBenchmarks()
    fenceBenchmarks()
    motionBenchmarks()
    simplifyBenchmarks()
}
