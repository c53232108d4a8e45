import Synchronization

/// Per-token token buckets: each token may make `burst` requests at once and `perSecond` on
/// average. Time comes from the caller (ms), so tests drive it. O(1) per request under one
/// lock; the table holds one entry per token seen, and entries whose bucket has refilled are
/// dropped whenever it grows past `maxEntries`.
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Double
    /// Entries kept before full buckets are swept: 10,000 tokens busy at once is far beyond a
    /// deployment's integrations, and a sweep is O(entries).
    let maxEntries = 10_000

    struct Bucket {
        var tokens: Double
        var updatedMs: Int64
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    /// `perSecond` 0 disables limiting.
    public init(perSecond: Double, burst: Double) {
        precondition(perSecond >= 0 && burst >= 1, "rate limit needs perSecond >= 0 and burst >= 1")
        self.perSecond = perSecond
        self.burst = burst
    }

    /// Takes one request from `key`'s bucket at `nowMs`. nil = allowed; otherwise the whole
    /// seconds to wait before the next request would be allowed (>= 1, for `Retry-After`).
    public func take(_ key: String, nowMs: Int64) -> Int? {
        guard perSecond > 0 else { return nil }
        return buckets.withLock { table -> Int? in
            var bucket = table[key] ?? Bucket(tokens: burst, updatedMs: nowMs)
            let elapsed = Double(max(0, nowMs - bucket.updatedMs)) / 1000
            bucket.tokens = min(burst, bucket.tokens + elapsed * perSecond)
            bucket.updatedMs = max(bucket.updatedMs, nowMs)
            defer {
                if table.count > maxEntries { sweep(&table, nowMs: nowMs) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                table[key] = bucket
                return nil
            }
            table[key] = bucket
            let wait = (1 - bucket.tokens) / perSecond
            return max(1, Int(wait.rounded(.up)))
        }
    }

    private func sweep(_ table: inout [String: Bucket], nowMs: Int64) {
        table = table.filter { _, b in
            b.tokens + Double(max(0, nowMs - b.updatedMs)) / 1000 * perSecond < burst
        }
    }
}
