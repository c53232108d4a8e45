/// Where decoded fixes go: implemented by the engine, called by every ingest path.
///
/// `accept` returns only when the whole batch is durable (in the write-ahead log, fsynced).
/// Callers acknowledge the device only after it returns; when it throws, they send no ack, so
/// the device resends and nothing acknowledged is ever lost.
public protocol FixSink: Sendable {
    func accept(_ batch: [Fix]) async throws -> FixReceipt
}

/// What the sink did with a batch.
public struct FixReceipt: Sendable, Hashable {
    /// Fixes newly made durable.
    public var accepted: Int
    /// Fixes dropped as duplicates of durable ones (same device and fix time), e.g. resends
    /// after a lost ack. They are acknowledged like accepted ones.
    public var duplicates: Int
    /// The durable position (WAL sequence) the batch reached.
    public var durableSequence: UInt64

    public init(accepted: Int, duplicates: Int = 0, durableSequence: UInt64 = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.durableSequence = durableSequence
    }
}
