/// A strict, allocation-free pull reader for JSON (RFC 8259) over borrowed bytes.
///
/// The caller walks the document: `beginObject`/`nextMember`, `beginArray`/`nextElement`,
/// `readString`, `readNumber`, `readBool`, `readNull`, `skipValue`, and `finish` at the end.
/// Every value is validated as it is read or skipped: objects, arrays, strings with escapes
/// (`\uXXXX` with surrogate pairs checked), numbers in JSON's grammar, `true`/`false`/`null`.
/// Control characters in strings, trailing commas, leading zeros, `NaN` and trailing content
/// are errors. Bytes of 0x80 and above inside strings are passed through (not UTF-8 checked).
///
/// Nesting is capped at `maxDepth`, so skipping never recurses deeper than that; the size of
/// the input is capped by the caller (`osmandRequestMaxBytes`). O(n) in the input.
public struct JSONReader {
    /// Deepest nesting accepted. Phone apps nest 3 levels (`location.coords.latitude`); 32
    /// leaves room for `extras` and still bounds recursion.
    public static let defaultMaxDepth = 32

    public let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read.
    public private(set) var position = 0
    public private(set) var depth = 0
    public let maxDepth: Int

    public init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The kind of the next value.
    public enum Kind: Sendable, Equatable { case object, array, string, number, bool, null }

    /// Iteration state of one object or array.
    public struct Container {
        var first = true
    }

    func fail(_ what: StaticString) -> OsmAndError { .malformedJSON(offset: position, what.description) }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The kind of the next value (after whitespace), without consuming it.
    public mutating func peek() throws(OsmAndError) -> Kind {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw fail("unexpected character")
        }
    }

    mutating func expect(_ byte: UInt8, _ what: StaticString) throws(OsmAndError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw fail(what) }
        position += 1
    }

    // MARK: Containers

    public mutating func beginObject() throws(OsmAndError) -> Container {
        try expect(UInt8(ascii: "{"), "expected {")
        try enter()
        return Container()
    }

    public mutating func beginArray() throws(OsmAndError) -> Container {
        try expect(UInt8(ascii: "["), "expected [")
        try enter()
        return Container()
    }

    mutating func enter() throws(OsmAndError) {
        depth += 1
        guard depth <= maxDepth else { throw fail("nested deeper than the cap") }
    }

    /// The next member's key, with the reader at its value (which the caller must read or
    /// skip); `nil` at the closing `}`.
    public mutating func nextMember(_ container: inout Container) throws(OsmAndError) -> JSONString? {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unterminated object") }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return nil
        }
        if !container.first { try expect(UInt8(ascii: ","), "expected , or }") }
        container.first = false
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("expected a key") }
        let key = try readString()
        try expect(UInt8(ascii: ":"), "expected :")
        return key
    }

    /// Whether another element follows (the reader is then at it); `false` at the closing `]`.
    public mutating func nextElement(_ container: inout Container) throws(OsmAndError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw fail("unterminated array") }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return false
        }
        if !container.first { try expect(UInt8(ascii: ","), "expected , or ]") }
        container.first = false
        return true
    }

    // MARK: Scalars

    /// Reads a string; the result borrows its raw (still escaped) bytes.
    public mutating func readString() throws(OsmAndError) -> JSONString {
        try expect(UInt8(ascii: "\""), "expected a string")
        let start = position
        var hasEscapes = false
        while true {
            // Plain bytes in a local loop: the common case is a short string without escapes.
            var i = position
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                i += 1
            }
            position = i
            guard i < n else { throw fail("unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                position = i + 1
                return JSONString(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), hasEscapes: hasEscapes)
            }
            guard b >= 0x20 else { throw fail("control character in a string") }
            hasEscapes = true
            try skipEscape()
        }
    }

    /// Validates one escape sequence at `position` (the backslash).
    mutating func skipEscape() throws(OsmAndError) {
        guard position + 1 < bytes.count else { throw fail("unterminated escape") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            guard let unit = JSONString.hex4(bytes, at: position + 2) else { throw fail("bad \\u escape") }
            position += 6
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u"), let low = JSONString.hex4(bytes, at: position + 2),
                    low >= 0xDC00 && low <= 0xDFFF
                else { throw fail("unpaired surrogate") }
                position += 6
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail("unpaired surrogate")
            }
        default:
            throw fail("bad escape")
        }
    }

    /// Reads a number in JSON's grammar and returns its text.
    public mutating func readNumber() throws(OsmAndError) -> UnsafeRawBufferPointer {
        skipWhitespace()
        let start = position
        func digits() -> Int {
            let from = position
            while position < bytes.count, bytes[position] &- 0x30 < 10 { position += 1 }
            return position - from
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, bytes[position] &- 0x30 < 10 else { throw fail("expected a number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            _ = digits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw fail("expected fraction digits") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw fail("expected exponent digits") }
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    }

    public mutating func readBool() throws(OsmAndError) -> Bool {
        skipWhitespace()
        if literal("true") { return true }
        if literal("false") { return false }
        throw fail("expected true or false")
    }

    public mutating func readNull() throws(OsmAndError) {
        skipWhitespace()
        guard literal("null") else { throw fail("expected null") }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for i in 0..<count where bytes[position + i] != word.utf8Start[i] { return false }
        position += count
        return true
    }

    /// Skips (and validates) one value of any kind.
    public mutating func skipValue() throws(OsmAndError) {
        switch try peek() {
        case .object:
            var members = try beginObject()
            while try nextMember(&members) != nil { try skipValue() }
        case .array:
            var elements = try beginArray()
            while try nextElement(&elements) { try skipValue() }
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }

    /// Checks that only whitespace follows the document.
    public mutating func finish() throws(OsmAndError) {
        skipWhitespace()
        guard position == bytes.count else { throw fail("trailing content") }
    }
}
