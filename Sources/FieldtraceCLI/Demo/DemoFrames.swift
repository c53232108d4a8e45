import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// The frames a demo tracker sends, built with the public test-support encoders, and the
/// replies it waits for.
enum DemoFrames {
    /// Most fixes in one frame: a Teltonika packet of 25 records (about 1.1 KB), a JT/T 808
    /// `0x0704` batch of 25 items (under the 1,023-byte body of an unsplit frame); GT06 and NMEA
    /// carry one position per frame.
    static func maxFixesPerFrame(_ wire: DemoFleet.Wire) -> Int {
        switch wire {
        case .teltonika, .jt808: 25
        case .gt06, .nmea: 1
        }
    }

    /// A Teltonika record of a fix: the IO an FMB device reports by default (ignition,
    /// movement, external voltage, HDOP).
    static func teltonikaRecord(_ fix: Fix) -> TeltonikaRecord {
        let moving = (fix.speedMps ?? 0) > 0.5
        return TeltonikaRecord(
            timestampMs: fix.timeMs, priority: 0, longitudeE7: fix.longitudeE7, latitudeE7: fix.latitudeE7,
            altitudeM: Int16(max(-1000, min(9000, (fix.altitudeM ?? 0).rounded()))),
            angleDeg: UInt16(Int((fix.courseDeg ?? 0).rounded()) % 360), satellites: fix.satellites ?? 9,
            speedKmh: UInt16(min(300, ((fix.speedMps ?? 0) * 3.6).rounded())),
            io: [
                239: .u8(1), 240: .u8(moving ? 1 : 0), 66: .u16(12_800),
                182: .u16(UInt16(min(500, ((fix.hdop ?? 1) * 10).rounded()))),
            ])
    }

    /// JT/T 808 `0x0100` registration body: province, city, maker, model (20), terminal id (7),
    /// plate colour, plate.
    static func jt808Registration(terminal: Int) -> [UInt8] {
        var body: [UInt8] = [0, 0, 0, 0]
        body += Array("FTDMO".utf8)
        body += Array("DEMOFLEET".utf8) + [UInt8](repeating: 0, count: 11)
        body += Array(DemoFleet.Wire.digits(terminal % 10_000_000, 7).utf8)
        body += [0] + Array("DEMO".utf8)
        return body
    }

    /// A JT/T 808 frame carrying `fixes`: `0x0200` for one, a `0x0704` normal batch for more.
    static func jt808Location(_ fixes: ArraySlice<Fix>, encoder: inout JT808Encoder) -> (frame: [UInt8], id: UInt16) {
        if fixes.count == 1, let fix = fixes.first {
            return (encoder.frame(messageID: 0x0200, body: JT808Encoder.locationBody(fix)), 0x0200)
        }
        let items = fixes.map { JT808Encoder.locationBody($0) }
        return (encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(items, backfill: false)), 0x0704)
    }

    /// One NMEA datagram: the `$PGID` identity line, then RMC and GGA of each fix, in order.
    static func nmeaDatagram(_ fixes: ArraySlice<Fix>, id: String) -> [UInt8] {
        Array((NMEAEncoder.pgid(id) + fixes.map { NMEAEncoder.epoch($0, kinds: [.rmc, .gga]) }.joined()).utf8)
    }
}

/// A reply from the server to a demo tracker.
enum DemoReply: Equatable {
    /// Teltonika handshake answer (`01` accepted, `00` refused).
    case teltonikaHandshake(accepted: Bool)
    /// Teltonika: records accepted.
    case teltonikaCount(Int)
    /// JT/T 808 `0x8001`: serial and id answered, result (0 ok, 1 refused, 2 message error).
    case jt808General(serial: UInt16, messageID: UInt16, result: UInt8)
    /// JT/T 808 `0x8100`: result and authentication code.
    case jt808Registration(result: UInt8, authCode: [UInt8])
    /// GT06 `78 78 05` ack: protocol number, serial.
    case gt06Ack(protocolNumber: UInt8, serial: UInt16)
    /// Bytes this client does not understand (skipped).
    case unknown
}

/// Cuts a tracker's TCP input into replies. Keeps a partial reply between reads.
struct DemoReplyReader {
    let wire: DemoFleet.Wire
    var awaitingHandshake = true
    private var pending: [UInt8] = []

    init(_ wire: DemoFleet.Wire) { self.wire = wire }

    mutating func append(_ bytes: some Sequence<UInt8>) { pending.append(contentsOf: bytes) }

    /// The next whole reply, or nil when more bytes are needed.
    mutating func next() -> DemoReply? {
        while !pending.isEmpty {
            guard let (reply, used) = parse() else { return nil }
            pending.removeFirst(used)
            if reply != .unknown { return reply }
        }
        return nil
    }

    private mutating func parse() -> (DemoReply, Int)? {
        switch wire {
        case .teltonika:
            if awaitingHandshake {
                awaitingHandshake = false
                return (.teltonikaHandshake(accepted: pending[0] == 1), 1)
            }
            guard pending.count >= 4 else { return nil }
            return (.teltonikaCount(pending[0..<4].reduce(0) { $0 << 8 | Int($1) }), 4)
        case .gt06:
            guard pending[0] == 0x78 else { return (.unknown, 1) }
            guard pending.count >= 10 else { return nil }
            guard pending[1] == 0x78, pending[2] == 0x05 else { return (.unknown, 1) }
            return (.gt06Ack(protocolNumber: pending[3], serial: UInt16(pending[4]) << 8 | UInt16(pending[5])), 10)
        case .jt808:
            return jt808()
        case .nmea:
            return (.unknown, pending.count)
        }
    }

    private func jt808() -> (DemoReply, Int)? {
        guard pending[0] == 0x7E else { return (.unknown, 1) }
        guard pending.count > 1, let end = pending[1...].firstIndex(of: 0x7E) else { return nil }
        if end == 1 { return (.unknown, 1) }
        var plain: [UInt8] = []
        var i = 1
        while i < end {
            if pending[i] == 0x7D, i + 1 < end {
                plain.append(pending[i + 1] == 0x02 ? 0x7E : 0x7D)
                i += 2
            } else {
                plain.append(pending[i])
                i += 1
            }
        }
        let used = end + 1
        guard plain.count >= 13, plain.reduce(0, ^) == 0 else { return (.unknown, used) }
        let id = UInt16(plain[0]) << 8 | UInt16(plain[1])
        let headerBytes = plain[2] & 0x40 != 0 ? 17 : 12
        guard plain.count > headerBytes else { return (.unknown, used) }
        let body = Array(plain[headerBytes..<(plain.count - 1)])
        switch id {
        case 0x8001 where body.count >= 5:
            let serial = UInt16(body[0]) << 8 | UInt16(body[1])
            return (
                .jt808General(serial: serial, messageID: UInt16(body[2]) << 8 | UInt16(body[3]), result: body[4]), used
            )
        case 0x8100 where body.count >= 3:
            return (.jt808Registration(result: body[2], authCode: Array(body[3...])), used)
        default:
            return (.unknown, used)
        }
    }
}
