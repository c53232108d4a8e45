import FieldtraceCore

extension RejectReason {
    /// A device that logged in but is not allowed to send data (no ack, connection closed).
    public static let gt06Refused = RejectReason("refused")
}

/// What can go wrong inside the GT06 framer and parsers. Thrown with typed throws and mapped to
/// a `RejectReason` and a `WireError` at the decoder boundary.
public enum GT06Error: Error, Sendable, Hashable {
    /// The stop bytes are not `0x0D 0x0A` where the declared length puts them.
    case badStop
    /// A declared length too small to hold protocol number, serial and CRC (5 bytes).
    case badLength(declared: Int)
    /// A declared length whose whole frame (start, length, body, stop) exceeds the configured cap.
    case tooLong(frameBytes: Int, limit: Int)
    /// The CRC-16/X-25 over length through serial does not match. `frameBytes` is the whole
    /// frame, which is consistent (its stop bytes are in place), so the framer skips it whole.
    case badCRC(expected: UInt16, actual: UInt16, frameBytes: Int)
    /// Message content shorter than its protocol number requires.
    case truncated(protocolNumber: UInt8, needed: Int, available: Int)
    /// A date-time that is not a calendar date and time of day (or a year byte past 99).
    case badTime
    /// A coordinate beyond ±90 / ±180 degrees, or a course past 360 degrees.
    case badField(String)
    /// A login IMEI that is not 15 BCD digits behind a leading 0 nibble.
    case badIdentity
    /// Data before the device logged in.
    case noIdentity
    /// A login from a device the configuration does not allow.
    case refused
    /// A protocol number this decoder does not know.
    case unknownProtocol(UInt8)

    /// The shared reject reason (counter label).
    public var reason: RejectReason {
        switch self {
        case .badStop: .badFraming
        case .badLength: .badLength
        case .tooLong: .tooLong
        case .badCRC: .badChecksum
        case .truncated: .truncated
        case .badTime: .badTime
        case .badField: .badField
        case .badIdentity: .badIdentity
        case .noIdentity: .noIdentity
        case .refused: .gt06Refused
        case .unknownProtocol: .unknownMessage
        }
    }

    /// A human-readable detail for logs.
    public var detail: String {
        switch self {
        case .badStop: "stop bytes are not 0D 0A"
        case .badLength(let declared): "declared length \(declared) is below the minimum of 5"
        case .tooLong(let frameBytes, let limit): "declared frame of \(frameBytes) bytes exceeds the cap of \(limit)"
        case .badCRC(let expected, let actual, _):
            "CRC expected \(Hex.encode([UInt8(expected >> 8), UInt8(expected & 0xFF)])), "
                + "got \(Hex.encode([UInt8(actual >> 8), UInt8(actual & 0xFF)]))"
        case .truncated(let number, let needed, let available):
            "protocol 0x\(Hex.encode([number])) needs \(needed) content bytes, has \(available)"
        case .badTime: "date-time is not a valid UTC date and time"
        case .badField(let what): what
        case .badIdentity: "login IMEI is not 15 BCD digits"
        case .noIdentity: "data before login"
        case .refused: "device not allowed"
        case .unknownProtocol(let number): "unknown protocol number 0x\(Hex.encode([number]))"
        }
    }
}
