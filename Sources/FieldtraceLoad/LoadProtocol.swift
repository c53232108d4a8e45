/// The tracker protocols the generator speaks, and how each behaves on the wire.
///
/// | protocol | transports | login | frame (live) | backlog after offline | ack |
/// | --- | --- | --- | --- | --- | --- |
/// | `nmea` | TCP, UDP | `$PGID` at the start of the stream (TCP) or of every datagram (UDP) | one epoch: RMC + GGA | the same sentences, late | none |
/// | `jt808` | TCP | `0x0100` register (first connection), `0x0102` authenticate (every connection) | `0x0200`; a `0x0704` type 0 batch of up to `recordsPerFrame` when several live fixes wait | `0x0704` type 1 (blind-area back-fill) batches | `0x8001` result 0 |
/// | `teltonika` | TCP, UDP | IMEI handshake (TCP) / IMEI in every datagram (UDP) | Codec 8 packet of up to `recordsPerFrame` records, sent when full or when its oldest record waited `sendPeriod` | buffered records first, oldest first, in the same packets | record count (4 bytes TCP, 1 byte UDP) |
/// | `gt06` | TCP | `0x01` login | `0x22` location, re-upload flag 0 | `0x22` with re-upload flag 1, one per frame | `78 78 05 22 serial` |
///
/// One frame is in flight per device: the next one goes out when the previous one was acked
/// (protocols with acks), like real trackers that keep unacknowledged data and resend it.
public enum LoadProtocol: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case nmea
    case jt808
    case teltonika
    case gt06

    public var description: String { rawValue }

    /// Position in `allCases`: the index of the protocol's counters.
    var ordinal: Int {
        switch self {
        case .nmea: 0
        case .jt808: 1
        case .teltonika: 2
        case .gt06: 3
        }
    }

    /// Whether the protocol runs over `transport`.
    public func supports(_ transport: LoadTarget.Transport) -> Bool {
        switch self {
        case .nmea, .teltonika: true
        case .jt808, .gt06: transport == .tcp
        }
    }

    /// Whether the server answers frames: without acks nothing is resent and nothing enters the ledger.
    public var hasAcks: Bool { self != .nmea }

    /// The time unit on the wire, ms: JT/T 808 and GT06 carry whole seconds, NMEA (`hhmmss.sss`)
    /// and Teltonika milliseconds. Fix times are truncated to it before sending, so the ledger
    /// holds the time the server stores.
    public var timeResolutionMs: Int64 {
        switch self {
        case .jt808, .gt06: 1000
        case .nmea, .teltonika: 1
        }
    }

    /// Fixes per frame unless configured: Teltonika devices buffer and send packets of records
    /// (25 keeps a Codec 8 packet near 1.2 KB, under one Ethernet MTU); a JT/T 808 `0x0704`
    /// batch of 25 items is 828 bytes, under the 1,023-byte body limit of an unsplit frame;
    /// NMEA and GT06 carry one position per frame.
    public var defaultRecordsPerFrame: Int {
        switch self {
        case .teltonika, .jt808: 25
        case .nmea, .gt06: 1
        }
    }

    /// The most fixes one frame may carry.
    public var maxRecordsPerFrame: Int {
        switch self {
        case .teltonika: 255  // the record count is one byte
        case .jt808: 30  // 30 items of 33 bytes + 3 fit the 1,023-byte body of one frame
        case .nmea, .gt06: 1
        }
    }

    /// The port used when the target names none: the ingest listeners' defaults (Traccar's
    /// port table), the same for TCP and UDP.
    public var defaultPort: Int {
        switch self {
        case .nmea: 5005
        case .jt808: 5015
        case .gt06: 5023
        case .teltonika: 5027
        }
    }

    /// The identity of simulated device `index` as the server stores it (the ledger's device
    /// column): `nmea-000042` for NMEA (`$PGID`), a 15-digit IMEI for Teltonika (`35...`) and
    /// GT06 (`86...`), a 12-digit terminal phone number for JT/T 808 (`01...`).
    public func deviceID(index: Int) -> String {
        switch self {
        case .nmea: "nmea-" + Self.digits(index, 6)
        case .teltonika: "35" + Self.digits(index, 13)
        case .gt06: "86" + Self.digits(index, 13)
        case .jt808: "01" + Self.digits(index, 10)
        }
    }

    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
