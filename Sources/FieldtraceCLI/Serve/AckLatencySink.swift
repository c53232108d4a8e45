import FieldtraceCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Wraps the engine as the ingest server's `FixSink` and times every `accept` (validation,
/// duplicate filter, WAL append and fsync): the part of a device's ack latency the server
/// controls. Counted into a fixed-bucket histogram (Prometheus `le` buckets, cumulative when
/// rendered) under a lock taken once per batch, never per fix.
final class AckLatencySink: FixSink, Sendable {
    let inner: any FixSink
    /// Upper bounds, seconds: from 0.5 ms (an idle group commit) to 5 s (a stalled disk).
    static let bucketBounds: [Double] = [
        0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 5,
    ]
    private let state = Mutex(Histogram())

    struct Histogram {
        var buckets = [Int](repeating: 0, count: AckLatencySink.bucketBounds.count + 1)
        var count = 0
        var sumMicroseconds = 0
    }

    init(_ inner: any FixSink) {
        self.inner = inner
    }

    func accept(_ batch: [Fix]) async throws -> FixReceipt {
        let start = Self.monotonicMicroseconds()
        let receipt = try await inner.accept(batch)
        let elapsed = Self.monotonicMicroseconds() - start
        let seconds = Double(elapsed) / 1e6
        let index = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
        state.withLock { h in
            h.buckets[index] += 1
            h.count += 1
            h.sumMicroseconds += elapsed
        }
        return receipt
    }

    /// (upper bound or +Inf, cumulative count) pairs, the count and the sum in seconds.
    func snapshot() -> (buckets: [(String, Int)], count: Int, sumSeconds: Double) {
        let h = state.withLock { $0 }
        var cumulative = 0
        var out: [(String, Int)] = []
        for (i, bucket) in h.buckets.enumerated() {
            cumulative += bucket
            out.append((i < Self.bucketBounds.count ? "\(Self.bucketBounds[i])" : "+Inf", cumulative))
        }
        return (out, h.count, Double(h.sumMicroseconds) / 1e6)
    }

    static func monotonicMicroseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int(ts.tv_sec) * 1_000_000 + Int(ts.tv_nsec) / 1000
    }
}
