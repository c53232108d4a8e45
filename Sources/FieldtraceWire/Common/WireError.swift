import FieldtraceCore

/// Why a frame was rejected: a short stable code (`bad_checksum`, `truncated`, ...), used as the
/// counter label and in logs. Protocol error enums map onto these.
public struct RejectReason: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let code: String
    public init(_ code: String) { self.code = code }
    public var description: String { code }
    public static func < (lhs: RejectReason, rhs: RejectReason) -> Bool { lhs.code < rhs.code }

    /// A frame's checksum or CRC did not match.
    public static let badChecksum = RejectReason("bad_checksum")
    /// A frame ended before a field it declared.
    public static let truncated = RejectReason("truncated")
    /// A frame longer than the configured cap (or a declared length beyond it).
    public static let tooLong = RejectReason("too_long")
    /// Start, stop or escape bytes out of place; bytes between frames.
    public static let badFraming = RejectReason("bad_framing")
    /// A declared length that disagrees with the bytes present.
    public static let badLength = RejectReason("bad_length")
    /// A field whose value is out of range or not a number.
    public static let badField = RejectReason("bad_field")
    /// A message id / sentence / protocol number this decoder does not know.
    public static let unknownMessage = RejectReason("unknown_message")
    /// Data before the device said who it is (no `$PGID`, no login, no IMEI).
    public static let noIdentity = RejectReason("no_identity")
    /// An identity that is not a valid `DeviceID`.
    public static let badIdentity = RejectReason("bad_identity")
    /// A time that is not a valid calendar date or time of day.
    public static let badTime = RejectReason("bad_time")
    /// Bytes left over at the end of a stream that never formed a whole frame.
    public static let incomplete = RejectReason("incomplete")
    /// A feature of the protocol that the decoder does not support (JT/T 808 encryption, ...).
    public static let unsupported = RejectReason("unsupported")
}

/// A rejected frame, as it crosses the module boundary: what, which protocol, where, and at
/// most 64 of the offending bytes (enough to recognise a frame, never a dump of a stream).
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    public static let maxBytes = 64

    public var reason: RejectReason
    public var wireProtocol: WireProtocol
    /// Offset of the frame in the stream, bytes since the decoder started (or in the datagram).
    public var offset: Int
    /// Up to `maxBytes` bytes of the frame.
    public var bytes: [UInt8]
    /// A human-readable detail (`expected 0x3A, got 0x3B`).
    public var detail: String

    public init(
        _ reason: RejectReason, protocol wireProtocol: WireProtocol, offset: Int = 0,
        bytes: some Collection<UInt8> = [], detail: String = ""
    ) {
        self.reason = reason
        self.wireProtocol = wireProtocol
        self.offset = offset
        self.bytes = Array(bytes.prefix(Self.maxBytes))
        self.detail = detail
    }

    public var description: String {
        var text = "\(wireProtocol) \(reason) at offset \(offset)"
        if !detail.isEmpty { text += ": \(detail)" }
        if !bytes.isEmpty { text += " [\(Hex.encode(bytes))]" }
        return text
    }
}
