import Benchmark
import FieldtraceWire

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

/// Feeds a stream to a decoder in `chunkBytes` reads (all at once when 0). After each read the
/// batch is handed on and cleared, as the transport does (sink, then acks, then clear). Returns
/// the fixes produced. Shared by the stream-protocol benchmarks.
@inline(__always)
func feedStream<D: WireDecoder>(
    _ decoder: inout D, _ output: inout WireOutput, _ stream: [UInt8], chunkBytes: Int, receivedMs: Int64
) -> Int {
    var fixes = 0
    stream.withUnsafeBytes { all in
        let step = chunkBytes == 0 ? all.count : chunkBytes
        var offset = 0
        while offset < all.count {
            let end = min(all.count, offset + step)
            decoder.consume(UnsafeRawBufferPointer(rebasing: all[offset..<end]), receivedMs: receivedMs, into: &output)
            fixes += output.fixes.count
            blackHole(output.replyBytes.count)
            output.clearBatch()
            offset = end
        }
    }
    return fixes
}
