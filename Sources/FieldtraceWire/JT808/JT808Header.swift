import FieldtraceCore

/// The header of a JT/T 808 message, read from un-escaped bytes.
///
/// 2013 edition: message id (2), body attributes (2), terminal phone number (6 BCD), message
/// serial (2), and, only when the split bit is set, package count (2) and package index (2).
/// 2019 edition (attribute bit 14): a protocol version byte goes before the phone number, which
/// is 10 BCD bytes.
public struct JT808Header: Sendable, Hashable {
    /// Bytes of the shortest header (2013, not split).
    public static let minimumBytes = 12

    public var messageID: UInt16
    /// Body attributes: bits 0-9 body length, 10-12 encryption, 13 split, 14 2019 edition.
    public var attributes: UInt16
    /// The 2019 edition's protocol version byte (1 for JT/T 808-2019); 0 in a 2013 header.
    public var protocolVersion: UInt8
    public var phone: JT808Phone
    /// The terminal's message serial (0 ... 65535, wrapping).
    public var serial: UInt16
    /// Packages of a split message, 0 when not split.
    public var packageCount: UInt16
    /// This package's index, 1-based, 0 when not split.
    public var packageIndex: UInt16
    /// Header bytes read.
    public var byteCount: Int

    public init(
        messageID: UInt16, attributes: UInt16, protocolVersion: UInt8 = 0, phone: JT808Phone, serial: UInt16,
        packageCount: UInt16 = 0, packageIndex: UInt16 = 0
    ) {
        self.messageID = messageID
        self.attributes = attributes
        self.protocolVersion = protocolVersion
        self.phone = phone
        self.serial = serial
        self.packageCount = packageCount
        self.packageIndex = packageIndex
        self.byteCount = 4 + (attributes & 0x4000 != 0 ? 11 : 6) + 2 + (attributes & 0x2000 != 0 ? 4 : 0)
    }

    /// Declared body length, bytes (bits 0-9).
    @inlinable public var bodyLength: Int { Int(attributes & 0x03FF) }
    /// Encryption method (bits 10-12): 0 none, 1 RSA, others reserved.
    @inlinable public var encryption: UInt8 { UInt8(truncatingIfNeeded: attributes >> 10) & 0x07 }
    /// Whether the message is split into packages (bit 13).
    @inlinable public var isSplit: Bool { attributes & 0x2000 != 0 }
    /// Whether the header is the 2019 edition's (bit 14).
    @inlinable public var is2019: Bool { attributes & 0x4000 != 0 }

    /// Reads a header; the phone number is checked to be BCD.
    @inline(__always)
    public static func read(_ cursor: inout ByteCursor) throws(JT808Error) -> JT808Header {
        let bytes = cursor.bytes
        let start = cursor.offset
        let available = bytes.count - start
        guard available >= 4 else { throw .truncated(neededBytes: 4, availableBytes: available) }
        let attributes = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 2, as: UInt16.self))
        let is2019 = attributes & 0x4000 != 0
        let isSplit = attributes & 0x2000 != 0
        let needed = (is2019 ? 17 : 12) + (isSplit ? 4 : 0)
        guard available >= needed else { throw .truncated(neededBytes: needed, availableBytes: available) }
        func u16(_ at: Int) -> UInt16 {
            UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: start + at, as: UInt16.self))
        }
        // The phone number is read 8 bytes at a time; a 6-byte one is followed by the serial.
        let phoneAt = is2019 ? 5 : 4
        let word = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start + phoneAt, as: UInt64.self))
        let phone =
            is2019
            ? JT808Phone(high: word, low: u16(13), byteCount: 10)
            : JT808Phone(high: word & 0xFFFF_FFFF_FFFF_0000, low: 0, byteCount: 6)
        guard phone.isBCD else { throw .badPhoneNumber }
        let serialAt = is2019 ? 15 : 10
        var header = JT808Header(
            messageID: u16(0), attributes: attributes, protocolVersion: is2019 ? bytes[start + 4] : 0, phone: phone,
            serial: u16(serialAt), packageCount: isSplit ? u16(serialAt + 2) : 0,
            packageIndex: isSplit ? u16(serialAt + 4) : 0)
        header.byteCount = needed
        cursor.offset = start + needed
        return header
    }
}

/// A terminal phone number as sent: 6 BCD bytes (12 digits, 2013) or 10 (20 digits, 2019).
/// Stored inline (no allocation) so a decoder can compare it with the last one per frame.
public struct JT808Phone: Sendable, Hashable {
    /// The first up to 8 bytes, big-endian, left-aligned.
    public var high: UInt64
    /// Bytes 9 and 10 (2019 only), big-endian.
    public var low: UInt16
    /// 6 or 10.
    public var byteCount: Int

    init(high: UInt64, low: UInt16, byteCount: Int) {
        self.high = high
        self.low = low
        self.byteCount = byteCount
    }

    /// Takes 6 or 10 raw BCD bytes.
    public init(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 6 || bytes.count == 10, "a phone number is 6 or 10 bytes")
        var h: UInt64 = 0
        for i in 0..<min(8, bytes.count) { h |= UInt64(bytes[i]) << (56 - 8 * i) }
        high = h
        low = bytes.count == 10 ? UInt16(bytes[8]) << 8 | UInt16(bytes[9]) : 0
        byteCount = bytes.count
    }

    /// Parses decimal digits (12 or 20) into BCD; `nil` for any other text.
    public init?(digits: String) {
        let d = Array(digits.utf8)
        guard d.count == 12 || d.count == 20, d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var raw = [UInt8](repeating: 0, count: d.count / 2)
        for i in 0..<raw.count { raw[i] = (d[2 * i] - 0x30) << 4 | (d[2 * i + 1] - 0x30) }
        self = raw.withUnsafeBytes { JT808Phone($0) }
    }

    /// Byte `i` (0 ..< byteCount) as sent.
    @inlinable
    public func byte(_ i: Int) -> UInt8 {
        i < 8 ? UInt8(truncatingIfNeeded: high >> (56 - 8 * i)) : UInt8(truncatingIfNeeded: low >> (8 * (9 - i)))
    }

    /// Whether every nibble is a decimal digit (unused bytes are zero, so they pass).
    public var isBCD: Bool { !Self.hasNonDecimalNibble(high) && !Self.hasNonDecimalNibble(UInt64(low)) }

    /// Whether a nibble of `w` is above 9: each nibble plus 6 carries into bit 4 exactly then.
    static func hasNonDecimalNibble(_ w: UInt64) -> Bool {
        let nibbles: UInt64 = 0x0F0F_0F0F_0F0F_0F0F
        let six: UInt64 = 0x0606_0606_0606_0606
        let low = (w & nibbles) &+ six
        let high = ((w >> 4) & nibbles) &+ six
        return (low | high) & 0x1010_1010_1010_1010 != 0
    }

    /// The number as decimal digits, leading zeros kept as sent (`013912345678`).
    public var digits: String {
        var text: [UInt8] = []
        text.reserveCapacity(2 * byteCount)
        for i in 0..<byteCount {
            let b = byte(i)
            text.append(0x30 + (b >> 4))
            text.append(0x30 + (b & 0x0F))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the bytes as sent.
    @inlinable
    public func append(to out: inout [UInt8]) {
        for i in 0..<byteCount { out.append(byte(i)) }
    }
}
