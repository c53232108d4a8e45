/// Reassembles JT/T 808 messages split into packages (header bit 13), within fixed bounds.
///
/// The packages of one message share its id and package count and carry consecutive serials,
/// so a message is keyed by (id, count, serial of package 1 = serial - (index - 1)). Each
/// package's body is kept until all have arrived; a resent package replaces its copy.
///
/// Bounds (a terminal cannot make the platform hold more than this per connection):
/// - `maxPackages` per message and `maxBufferedBytes` of bodies over all pending messages: a
///   message that alone exceeds them is rejected (`messageTooLong`); otherwise the oldest pending
///   messages are evicted to make room.
/// - `maxPendingMessages` at once: a new message evicts the oldest.
/// - A message with no new package for `staleAfterMs` of receive time is dropped.
/// Every evicted or dropped message is counted by the caller (`split_dropped`).
struct JT808Reassembly {
    /// Packages per message. Location messages (0x0200, 0x0704) are the only long ones handled;
    /// 64 packages of up to 1023 bytes already hold about 500 batch items.
    static let maxPackages = 64
    /// Body bytes held over all pending messages: 64 full packages.
    static let maxBufferedBytes = 64 * 1023
    /// Messages pending at once. Terminals send one split message at a time; 4 leaves room for a
    /// resend overlapping the next message.
    static let maxPendingMessages = 4
    /// Receive-time age after which a pending message is dropped: the standard's default TCP
    /// reply timeout (10 s) with three retransmissions at growing intervals ends before 60 s;
    /// 120 s is twice that.
    static let staleAfterMs: Int64 = 120_000

    struct Pending {
        var messageID: UInt16
        var firstSerial: UInt16
        var parts: [[UInt8]?]
        var received = 0
        var bytes = 0
        var lastMs: Int64
    }

    private(set) var pending: [Pending] = []
    private(set) var bufferedBytes = 0

    /// Adds one package. Returns the whole body when this package completes its message.
    /// `dropped` is increased by the number of other pending messages evicted or found stale.
    mutating func add(
        header: JT808Header, body: UnsafeRawBufferPointer, receivedMs: Int64, dropped: inout Int
    ) throws(JT808Error) -> [UInt8]? {
        let count = Int(header.packageCount)
        let index = Int(header.packageIndex)
        guard count >= 1, index >= 1, index <= count else {
            throw .badPackage(count: header.packageCount, index: header.packageIndex)
        }
        guard count <= Self.maxPackages, body.count <= Self.maxBufferedBytes else {
            throw .messageTooLong(limitBytes: Self.maxBufferedBytes)
        }
        dropStale(receivedMs: receivedMs, dropped: &dropped)
        if count == 1 { return Array(body) }
        let firstSerial = header.serial &- UInt16(index - 1)
        var slot = pending.firstIndex {
            $0.messageID == header.messageID && $0.firstSerial == firstSerial && $0.parts.count == count
        }
        if slot == nil {
            if pending.count >= Self.maxPendingMessages { evict(0, dropped: &dropped) }
            pending.append(
                Pending(
                    messageID: header.messageID, firstSerial: firstSerial,
                    parts: Array(repeating: nil, count: count), lastMs: receivedMs))
            slot = pending.count - 1
        }
        guard var s = slot else { return nil }
        let old = pending[s].parts[index - 1]?.count
        let growth = body.count - (old ?? 0)
        while bufferedBytes + growth > Self.maxBufferedBytes, s > 0 {
            evict(0, dropped: &dropped)
            s -= 1
        }
        guard bufferedBytes + growth <= Self.maxBufferedBytes else {
            bufferedBytes -= pending[s].bytes
            pending.remove(at: s)
            throw .messageTooLong(limitBytes: Self.maxBufferedBytes)
        }
        pending[s].parts[index - 1] = Array(body)
        if old == nil { pending[s].received += 1 }
        pending[s].bytes += growth
        pending[s].lastMs = receivedMs
        bufferedBytes += growth
        guard pending[s].received == count else { return nil }
        let done = pending.remove(at: s)
        bufferedBytes -= done.bytes
        var whole: [UInt8] = []
        whole.reserveCapacity(done.bytes)
        for part in done.parts { whole += part ?? [] }
        return whole
    }

    /// Drops every pending message (the stream ended); returns how many there were.
    mutating func removeAll() -> Int {
        defer {
            pending.removeAll()
            bufferedBytes = 0
        }
        return pending.count
    }

    private mutating func evict(_ i: Int, dropped: inout Int) {
        bufferedBytes -= pending[i].bytes
        pending.remove(at: i)
        dropped += 1
    }

    private mutating func dropStale(receivedMs: Int64, dropped: inout Int) {
        var i = 0
        while i < pending.count {
            if receivedMs &- pending[i].lastMs > Self.staleAfterMs {
                evict(i, dropped: &dropped)
            } else {
                i += 1
            }
        }
    }
}
