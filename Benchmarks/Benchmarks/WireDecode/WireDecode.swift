import Benchmark

/// Decode throughput per protocol: each benchmark decodes whole frames through the protocol's
/// `WireDecoder`, reports frames (or fixes) per second and allocations per iteration.
/// The per-protocol benchmarks live in one file each.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        warmupIterations: 3,
        maxDuration: .seconds(3)
    )
    nmeaBenchmarks()
    jt808Benchmarks()
    teltonikaBenchmarks()
    gt06Benchmarks()
    osmandBenchmarks()
}
