import NIOCore

/// What a server said to a device: one decoded reply.
enum Reply: Equatable {
    /// Teltonika TCP handshake answer: `01` accepted, `00` refused.
    case teltonikaHandshake(accepted: Bool)
    /// Teltonika record count (4 bytes over TCP, 1 byte in the UDP reply).
    case teltonikaCount(Int)
    /// Teltonika UDP reply: packet id, AVL packet id, accepted count.
    case teltonikaUDP(packetID: UInt16, avlPacketID: UInt8, count: Int)
    /// JT/T 808 `0x8001`: the serial and id of the message answered, result (0 ok).
    case jt808General(serial: UInt16, messageID: UInt16, result: UInt8)
    /// JT/T 808 `0x8100`: the registration's serial, result (0 ok), authentication code.
    case jt808Registration(serial: UInt16, result: UInt8, authCode: [UInt8])
    /// GT06 `78 78 05` ack: protocol number and serial echoed.
    case gt06Ack(protocolNumber: UInt8, serial: UInt16)
    /// Bytes that are no reply this generator understands (counted, skipped).
    case garbage
}

/// Cuts a server's TCP byte stream into `Reply`s for one protocol. Keeps a partial reply
/// between reads (at most one frame; JT/T 808 replies are capped at 1 KiB).
struct ReplyReader {
    let proto: LoadProtocol
    /// Teltonika: whether the next reply is the 1-byte handshake answer.
    var awaitingHandshake = true
    private var pending: [UInt8] = []

    init(_ proto: LoadProtocol) { self.proto = proto }

    mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        awaitingHandshake = true
    }

    /// Appends `bytes` and calls `handle` for every whole reply.
    mutating func read(_ bytes: ByteBufferView, _ handle: (Reply) -> Void) {
        pending.append(contentsOf: bytes)
        var at = 0
        while at < pending.count {
            guard let (reply, used) = next(at) else { break }
            at += used
            handle(reply)
        }
        if at > 0 { pending.removeFirst(min(at, pending.count)) }
    }

    /// The reply starting at `at` and its length, or nil when more bytes are needed.
    private mutating func next(_ at: Int) -> (Reply, Int)? {
        let available = pending.count - at
        switch proto {
        case .teltonika:
            if awaitingHandshake {
                awaitingHandshake = false
                return (.teltonikaHandshake(accepted: pending[at] == 1), 1)
            }
            guard available >= 4 else { return nil }
            var count = 0
            for i in 0..<4 { count = count << 8 | Int(pending[at + i]) }
            return (.teltonikaCount(count), 4)
        case .gt06:
            guard pending[at] == 0x78 else { return (.garbage, 1) }
            guard available >= 10 else { return nil }
            guard pending[at + 1] == 0x78, pending[at + 2] == 0x05 else { return (.garbage, 1) }
            let serial = UInt16(pending[at + 4]) << 8 | UInt16(pending[at + 5])
            return (.gt06Ack(protocolNumber: pending[at + 3], serial: serial), 10)
        case .jt808:
            return jt808(at)
        case .nmea:
            return (.garbage, available)
        }
    }

    private func jt808(_ at: Int) -> (Reply, Int)? {
        guard pending[at] == 0x7E else { return (.garbage, 1) }
        guard let end = pending[(at + 1)...].firstIndex(of: 0x7E) else {
            return pending.count - at > 2048 ? (.garbage, pending.count - at) : nil
        }
        if end == at + 1 { return (.garbage, 1) }  // two flags in a row: the second starts a frame
        var plain: [UInt8] = []
        plain.reserveCapacity(end - at)
        var i = at + 1
        while i < end {
            if pending[i] == 0x7D, i + 1 < end {
                plain.append(pending[i + 1] == 0x02 ? 0x7E : 0x7D)
                i += 2
            } else {
                plain.append(pending[i])
                i += 1
            }
        }
        let used = end + 1 - at
        guard plain.count >= 13, plain.reduce(0, ^) == 0 else { return (.garbage, used) }
        let id = UInt16(plain[0]) << 8 | UInt16(plain[1])
        let attributes = UInt16(plain[2]) << 8 | UInt16(plain[3])
        let headerBytes = attributes & 0x4000 != 0 ? 17 : 12
        guard plain.count > headerBytes else { return (.garbage, used) }
        let body = Array(plain[headerBytes..<(plain.count - 1)])
        switch id {
        case 0x8001 where body.count >= 5:
            return (
                .jt808General(
                    serial: UInt16(body[0]) << 8 | UInt16(body[1]), messageID: UInt16(body[2]) << 8 | UInt16(body[3]),
                    result: body[4]), used
            )
        case 0x8100 where body.count >= 3:
            return (
                .jt808Registration(
                    serial: UInt16(body[0]) << 8 | UInt16(body[1]), result: body[2], authCode: Array(body[3...])),
                used
            )
        default:
            return (.garbage, used)
        }
    }

    /// A Teltonika UDP reply datagram: length 5, packet id, `01`, AVL packet id, count.
    static func teltonikaUDP(_ bytes: ByteBufferView) -> Reply {
        let b = Array(bytes)
        guard b.count >= 7, b[0] == 0, b[1] == 5 else { return .garbage }
        return .teltonikaUDP(packetID: UInt16(b[2]) << 8 | UInt16(b[3]), avlPacketID: b[5], count: Int(b[6]))
    }
}
