/// Text written straight into byte buffers (no intermediate `String`).
enum ByteText {
    /// Decimal digits of an integer.
    @inline(__always)
    static func append(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )
        var count = 0
        // 20 digits at most; the tuple holds the low 10, larger values take the slow path.
        guard magnitude < 10_000_000_000 else {
            out.append(contentsOf: String(magnitude).utf8)
            return
        }
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[9 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: buffer[(10 - count)...])
        }
    }

    /// XML character data: `&`, `<`, `>` escaped.
    static func appendXMLEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            default: out.append(byte)
            }
        }
    }

    /// A CSV field (RFC 4180): as is, or quoted with doubled quotes when it holds a comma, a
    /// quote or a line break.
    static func appendCSVField(_ text: String, to out: inout [UInt8]) {
        let special = text.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13
        }
        guard special else {
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
