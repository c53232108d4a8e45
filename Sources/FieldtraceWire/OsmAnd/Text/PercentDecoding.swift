/// `application/x-www-form-urlencoded` components: `%XX` is a byte, `+` is a space.
public enum PercentDecoding {
    /// Whether a component needs decoding at all (most do not: digits, `.`, `-`).
    public static func needsDecoding(_ text: UnsafeRawBufferPointer) -> Bool {
        for b in text where b == UInt8(ascii: "%") || b == UInt8(ascii: "+") { return true }
        return false
    }

    /// Decodes `text` into `out` (cleared first, capacity kept). Returns `false` on a `%` not
    /// followed by two hex digits.
    public static func decode(_ text: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        var i = 0
        while i < text.count {
            let b = text[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < text.count, let high = hexValue(text[i + 1]), let low = hexValue(text[i + 2]) else {
                    return false
                }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return true
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
