/// Ack latencies in log-linear buckets: exact below 16 µs, then 8 buckets per power of two
/// (at most 12.5 % wide), up to about 2^40 µs. Fixed size (a few KiB), so recording never
/// allocates; shards keep one each and merge them at the end.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBuckets = 8
    static let bucketCount = 16 + (41 - 4) * subBuckets
    private(set) var counts: [UInt64]
    public private(set) var count: UInt64 = 0
    public private(set) var maxMicroseconds: Int64 = 0

    public init() { counts = [UInt64](repeating: 0, count: Self.bucketCount) }

    static func bucket(_ us: Int64) -> Int {
        let v = UInt64(max(0, us))
        if v < 16 { return Int(v) }
        let exponent = 63 - v.leadingZeroBitCount  // >= 4
        let sub = Int((v >> UInt64(exponent - 3)) & 7)
        return min(bucketCount - 1, 16 + (exponent - 4) * subBuckets + sub)
    }

    /// The midpoint of bucket `b`, µs.
    static func value(_ b: Int) -> Double {
        if b < 16 { return Double(b) }
        let exponent = (b - 16) / subBuckets + 4
        let sub = (b - 16) % subBuckets
        let low = Double(UInt64(1) << UInt64(exponent)) * (1 + Double(sub) / 8)
        let width = Double(UInt64(1) << UInt64(exponent)) / 8
        return low + width / 2
    }

    public mutating func record(microseconds us: Int64) {
        counts[Self.bucket(us)] &+= 1
        count &+= 1
        if us > maxMicroseconds { maxMicroseconds = us }
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] &+= other.counts[i] }
        count &+= other.count
        maxMicroseconds = max(maxMicroseconds, other.maxMicroseconds)
    }

    /// The `q` quantile (0...1) in ms, within a bucket's width (12.5 %); nil when empty.
    public func quantileMilliseconds(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = UInt64((q * Double(count)).rounded(.up))
        var seen: UInt64 = 0
        for (b, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= max(1, rank) { return min(Self.value(b), Double(maxMicroseconds)) / 1000 }
        }
        return Double(maxMicroseconds) / 1000
    }
}
