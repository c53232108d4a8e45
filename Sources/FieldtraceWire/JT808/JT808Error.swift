import FieldtraceCore

/// What can go wrong with a JT/T 808 frame or message. Thrown with typed throws inside the
/// decoder and mapped to a `RejectReason` (and a `WireError`) at the module boundary.
public enum JT808Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// Bytes outside any frame (between a closing `0x7E` and the next opening one).
    case bytesBetweenFrames(count: Int)
    /// The stream ended inside a frame.
    case incomplete(bytes: Int)
    /// `0x7D` followed by a byte other than `0x01` or `0x02`.
    case badEscape(byte: UInt8)
    /// A frame longer than the cap, counted as sent (escaped, with both `0x7E`).
    case frameTooLong(limitBytes: Int)
    /// Fewer bytes than a field needs (header, body field, additional item).
    case truncated(neededBytes: Int, availableBytes: Int)
    /// The XOR check byte does not match the XOR of header and body.
    case badChecksum(expected: UInt8, actual: UInt8)
    /// Body length bits 0-9 disagree with the body bytes present, or a batch holds bytes
    /// beyond its items.
    case badBodyLength(declared: Int, actual: Int)
    /// Encryption bits 10-12 set (RSA or a reserved method): not supported.
    case encrypted(method: UInt8)
    /// The terminal phone number holds a nibble that is not a decimal digit.
    case badPhoneNumber
    /// A split-package header with count 0, index 0 or index beyond count.
    case badPackage(count: UInt16, index: UInt16)
    /// A split message larger than the reassembly cap, or with more packages than allowed.
    case messageTooLong(limitBytes: Int)
    /// A BCD time with a non-decimal nibble or an impossible date or time of day.
    case badTime
    /// Latitude beyond 90 degrees or longitude beyond 180 degrees.
    case badCoordinate(latitudeE6: UInt32, longitudeE6: UInt32)
    /// A `0x0704` batch type other than 0 (normal) or 1 (blind-area back-fill).
    case badBatchType(UInt8)
    /// A message id this decoder does not handle.
    case unknownMessage(id: UInt16)
    /// `WireConfiguration.isDeviceAllowed` refused the terminal.
    case deviceRefused
    /// A `0x0102` authentication code that differs from `WireConfiguration.jt808AuthCode`.
    case authenticationFailed

    /// The shared reject code this error is counted under.
    public var reason: RejectReason {
        switch self {
        case .bytesBetweenFrames, .badEscape: .badFraming
        case .frameTooLong, .messageTooLong: .tooLong
        case .truncated: .truncated
        case .incomplete: .incomplete
        case .badChecksum: .badChecksum
        case .badBodyLength: .badLength
        case .encrypted: .unsupported
        case .badPhoneNumber: .badIdentity
        case .badPackage, .badCoordinate, .badBatchType: .badField
        case .badTime: .badTime
        case .unknownMessage: .unknownMessage
        case .deviceRefused: .jt808DeviceRefused
        case .authenticationFailed: .jt808AuthenticationFailed
        }
    }

    public var description: String {
        switch self {
        case .bytesBetweenFrames(let count): "\(count) bytes between frames"
        case .badEscape(let byte): "0x7D followed by 0x\(Hex.encode([byte])), not 0x01 or 0x02"
        case .incomplete(let bytes): "stream ended inside a frame after \(bytes) bytes"
        case .frameTooLong(let limit): "frame longer than \(limit) bytes"
        case .truncated(let needed, let available): "needed \(needed) bytes, \(available) present"
        case .badChecksum(let expected, let actual):
            "check byte 0x\(Hex.encode([actual])), computed 0x\(Hex.encode([expected]))"
        case .badBodyLength(let declared, let actual): "body length \(declared) declared, \(actual) present"
        case .encrypted(let method): "encryption method \(method) not supported"
        case .badPhoneNumber: "terminal phone number is not BCD"
        case .badPackage(let count, let index): "package \(index) of \(count)"
        case .messageTooLong(let limit): "split message beyond \(limit) bytes"
        case .badTime: "time is not a valid BCD date and time"
        case .badCoordinate(let lat, let lon): "latitude \(lat) or longitude \(lon) (1e-6 degree) out of range"
        case .badBatchType(let type): "batch type \(type)"
        case .unknownMessage(let id): "message id 0x\(Hex.encode([UInt8(id >> 8), UInt8(id & 0xFF)]))"
        case .deviceRefused: "terminal refused"
        case .authenticationFailed: "authentication code does not match"
        }
    }

    /// Maps a cursor overrun to `truncated`.
    static func overrun(_ error: ByteCursorError) -> JT808Error {
        .truncated(neededBytes: error.needed, availableBytes: error.available)
    }
}

extension RejectReason {
    /// JT/T 808: `WireConfiguration.isDeviceAllowed` refused the terminal (registration answered
    /// with result 4, other messages with `0x8001` result 1).
    public static let jt808DeviceRefused = RejectReason("device_refused")
    /// JT/T 808: a `0x0102` authentication code that is not the one this platform hands out.
    public static let jt808AuthenticationFailed = RejectReason("bad_auth_code")
    /// JT/T 808: a split message whose missing packages never came (evicted for room, stale, or
    /// pending when the stream ended).
    public static let jt808SplitDropped = RejectReason("split_dropped")
}
