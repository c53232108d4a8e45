/// A JSON string as it appears in the input (between the quotes, escapes not yet decoded),
/// borrowed from the reader's bytes. Already validated by `JSONReader.readString`.
public struct JSONString {
    /// The bytes between the quotes.
    public var raw: UnsafeRawBufferPointer
    /// Whether `raw` holds any `\` escape.
    public var hasEscapes: Bool

    /// Whether the decoded string equals an ASCII `name`, decoding escapes on the fly (no copy).
    public func equals(_ name: StaticString) -> Bool {
        let target = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard hasEscapes else { return Self.same(raw, target) }
        var i = 0
        var j = 0
        while i < raw.count {
            var byte = raw[i]
            if byte == UInt8(ascii: "\\") {
                guard let (decoded, length) = Self.simpleEscape(raw, at: i), decoded < 0x80 else { return false }
                byte = UInt8(decoded)
                i += length
            } else {
                i += 1
            }
            guard j < target.count, target[j] == byte else { return false }
            j += 1
        }
        return j == target.count
    }

    /// Byte equality, length first.
    static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// Decodes into `out` (cleared first, capacity kept), `\uXXXX` as UTF-8.
    public func decode(into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        guard hasEscapes else {
            out.append(contentsOf: raw)
            return
        }
        var i = 0
        while i < raw.count {
            guard raw[i] == UInt8(ascii: "\\"), let (scalar, length) = Self.simpleEscape(raw, at: i) else {
                out.append(raw[i])
                i += 1
                continue
            }
            i += length
            var value = scalar
            if value >= 0xD800 && value <= 0xDBFF, let low = Self.hex4(raw, at: i + 2) {
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            }
            Self.appendUTF8(value, to: &out)
        }
    }

    /// The code unit of the escape at `i` and the escape's length in bytes.
    static func simpleEscape(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int)? {
        guard i + 1 < bytes.count else { return nil }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""): return (0x22, 2)
        case UInt8(ascii: "\\"): return (0x5C, 2)
        case UInt8(ascii: "/"): return (0x2F, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            guard let unit = hex4(bytes, at: i + 2) else { return nil }
            return (unit, 6)
        default: return nil
        }
    }

    /// Four hex digits at `i` as a UTF-16 code unit.
    static func hex4(_ bytes: UnsafeRawBufferPointer, at i: Int) -> UInt32? {
        guard i >= 0, i + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in i..<(i + 4) {
            guard let digit = PercentDecoding.hexValue(bytes[k]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18 & 0x07))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
