import FieldtraceCore

/// What decoders write into: fixes, replies to send once the fixes are durable, identity,
/// counters and the latest rejections. Reused across calls, so steady-state decoding does not
/// allocate: call `clearBatch()` after each batch is handed on.
public struct WireOutput: Sendable {
    /// Fixes in arrival order.
    public var fixes: [Fix] = []
    /// All replies, back to back; `replyEnds[i]` is where reply `i` ends.
    public var replyBytes: [UInt8] { storedReplyBytes }
    public var replyEnds: [Int] { storedReplyEnds }
    @usableFromInline var storedReplyBytes: [UInt8] = []
    @usableFromInline var storedReplyEnds: [Int] = []
    /// The identity the stream established during this batch, if it did.
    public var identity: DeviceID?
    /// Cumulative counters (not cleared by `clearBatch`).
    public var counters = WireCounters()
    /// The latest rejections, at most `WireConfiguration.maxRejectionsKept`.
    public var rejections: [WireError] = []
    /// The decoder asks the transport to close the connection (e.g. a refused Teltonika IMEI),
    /// after sending the replies.
    public var shouldClose = false

    public init() {
        fixes.reserveCapacity(256)
    }

    /// The replies, one slice each, in order.
    public var replies: [ArraySlice<UInt8>] {
        var start = 0
        return storedReplyEnds.map { end in
            defer { start = end }
            return storedReplyBytes[start..<end]
        }
    }

    /// Appends one reply. Inlinable so the copy is specialised for the caller's collection.
    @inlinable
    public mutating func appendReply(_ bytes: some Sequence<UInt8>) {
        storedReplyBytes.append(contentsOf: bytes)
        storedReplyEnds.append(storedReplyBytes.count)
    }

    /// Appends one fix and counts it.
    @inlinable
    public mutating func appendFix(_ fix: Fix) {
        fixes.append(fix)
        counters.fixes += 1
    }

    /// Counts a rejection and keeps it (up to `limit` kept).
    public mutating func reject(_ error: WireError, limit: Int = 16) {
        counters.reject(error.reason)
        if rejections.count < limit { rejections.append(error) }
    }

    /// Clears fixes, replies, identity, rejections and `shouldClose`, keeping capacity and counters.
    public mutating func clearBatch() {
        fixes.removeAll(keepingCapacity: true)
        storedReplyBytes.removeAll(keepingCapacity: true)
        storedReplyEnds.removeAll(keepingCapacity: true)
        identity = nil
        rejections.removeAll(keepingCapacity: true)
        shouldClose = false
    }
}
