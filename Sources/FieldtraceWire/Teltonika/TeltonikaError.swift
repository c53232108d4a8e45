import FieldtraceCore

extension RejectReason {
    /// A Teltonika device whose IMEI `WireConfiguration.isDeviceAllowed` refused.
    public static let teltonikaRefused = RejectReason("refused")
}

/// What can be wrong with Teltonika bytes. Thrown with typed throws inside the parsers and mapped
/// to a `RejectReason` and a `WireError` at the decoder boundary.
public enum TeltonikaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field ran past the end of its packet, record or datagram.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The four bytes before a TCP packet's data length were not zero.
    case badPreamble
    /// A declared length beyond `WireLimits.teltonikaPacketMaxBytes` (bytes of the whole packet).
    case tooLong(declaredBytes: Int, maxBytes: Int)
    /// A declared length or count that disagrees with the bytes or items present.
    case badLength(String)
    /// The CRC-16/IBM of a TCP packet did not match.
    case badCRC(expected: UInt16, actual: UInt16)
    /// A codec id other than 0x08 (Codec 8) and 0x8E (Codec 8 Extended).
    case unknownCodec(UInt8)
    /// An IMEI that is empty, longer than 64 bytes or holds a byte that is not an ASCII digit.
    case badIMEI
    /// AVL data arrived on a TCP stream before the IMEI handshake.
    case noIdentity
    /// `WireConfiguration.isDeviceAllowed` refused the IMEI.
    case refused
    /// A record time before the GPS epoch, or outside the plausible range after rollover correction.
    case badTime(Int64)
    /// A record value out of range (coordinates, speed, altitude).
    case badField(String)

    init(_ error: ByteCursorError) {
        self = .truncated(offset: error.offset, needed: error.needed, available: error.available)
    }

    /// The shared reject reason this error is counted under.
    public var reason: RejectReason {
        switch self {
        case .truncated: .truncated
        case .badPreamble: .badFraming
        case .tooLong: .tooLong
        case .badLength: .badLength
        case .badCRC: .badChecksum
        case .unknownCodec: .unknownMessage
        case .badIMEI: .badIdentity
        case .noIdentity: .noIdentity
        case .refused: .teltonikaRefused
        case .badTime: .badTime
        case .badField: .badField
        }
    }

    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let available):
            "truncated at offset \(offset): needed \(needed) bytes, \(available) left"
        case .badPreamble: "preamble is not four zero bytes"
        case .tooLong(let declared, let max): "declared packet of \(declared) bytes exceeds \(max)"
        case .badLength(let detail): detail
        case .badCRC(let expected, let actual): "CRC expected \(hex(expected)), got \(hex(actual))"
        case .unknownCodec(let codec): "unknown codec id \(hex(UInt16(codec)))"
        case .badIMEI: "IMEI is not 1 to 64 ASCII digits"
        case .noIdentity: "AVL data before the IMEI handshake"
        case .refused: "device not allowed"
        case .badTime(let ms): "record time \(ms) ms out of range"
        case .badField(let detail): detail
        }
    }

    /// `Array.withUnsafeBytes` with a typed-throwing body (the standard library's form rethrows
    /// `any Error`).
    @inline(__always)
    static func withBytes<R>(
        _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(TeltonikaError) -> R
    ) throws(TeltonikaError) -> R {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(TeltonikaError) in try body(raw) } }
        return try result.get()
    }

    /// The error as it crosses the module boundary.
    func wireError(_ wireProtocol: WireProtocol, offset: Int, bytes: UnsafeRawBufferPointer) -> WireError {
        WireError(reason, protocol: wireProtocol, offset: offset, bytes: bytes, detail: description)
    }
}

private func hex(_ value: UInt16) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = Array("0x".utf8)
    for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int((value >> UInt16(shift)) & 0xF)]) }
    return String(decoding: out, as: UTF8.self)
}
