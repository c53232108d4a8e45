/// What the WAL's committer has done: commits, bytes, batches, and a histogram of commit
/// durations (the write plus the fsync: what every ack in the group waits for).
public struct WALStatistics: Sendable, Hashable {
    /// Upper bounds of the duration buckets, seconds: 0.25 ms (an fsync on a fast SSD) to 1 s
    /// (a stalled disk); one more bucket counts everything slower.
    public static let bucketBounds: [Double] = [
        0.000_25, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.0,
    ]
    /// Completed commits: one write and one fsync each.
    public var commits = 0
    /// Record bytes written by them.
    public var bytes = 0
    /// Batches (WAL records) they made durable: `batches / commits` is the group-commit sharing.
    public var batches = 0
    /// Commits per duration bucket (not cumulative); the last entry is above every bound.
    public var buckets = [Int](repeating: 0, count: WALStatistics.bucketBounds.count + 1)
    /// Sum of the commit durations, nanoseconds.
    public var totalNanoseconds: Int64 = 0
    /// The longest commit so far, nanoseconds.
    public var maxNanoseconds: Int64 = 0

    public init() {}

    mutating func record(commitDuration: Duration, bytes: Int, batches: Int) {
        let (seconds, attoseconds) = commitDuration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        let inSeconds = Double(nanoseconds) / 1e9
        buckets[Self.bucketBounds.firstIndex { inSeconds <= $0 } ?? Self.bucketBounds.count] += 1
        commits += 1
        self.bytes += bytes
        self.batches += batches
        totalNanoseconds += nanoseconds
        maxNanoseconds = max(maxNanoseconds, nanoseconds)
    }
}
