/// A strict RFC 8259 JSON parser over bytes, with limits (house rule 7): a value or a typed
/// error with a byte offset, never a crash, hang or oversized allocation.
///
/// Recursive descent; recursion depth is bounded by `maxDepth`, so stack use is bounded too.
/// Time is linear in the input (duplicate-key checks use a set for large objects).
public struct JSONParser: Sendable {
    /// Largest document accepted, bytes. 256 MiB: a tenant's 20,000 fences of 50 vertices are
    /// about 40 MB of GeoJSON; anything far beyond that is a mistake or an attack.
    public var maxBytes: Int
    /// Deepest nesting of arrays and objects accepted. 64: GeoJSON needs at most 6 (a
    /// MultiPolygon in a feature in a collection); the bound keeps recursion off the stack limit.
    public var maxDepth: Int

    public init(maxBytes: Int = 256 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// Parses one JSON value (surrounded by optional whitespace) from UTF-8 bytes.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= maxBytes else { throw .tooLarge(bytes: bytes.count, limit: maxBytes) }
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer, maxDepth: maxDepth)
            do throws(JSONParseError) {
                reader.skipWhitespace()
                let value = try reader.readValue(depth: 0)
                reader.skipWhitespace()
                if reader.position < buffer.count { throw .trailingBytes(offset: reader.position) }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON value from a string's UTF-8.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

extension JSONParser {
    fileprivate struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var position = 0
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        func peek() throws(JSONParseError) -> UInt8 {
            guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
            return bytes[position]
        }

        mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
            switch try peek() {
            case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
            case UInt8(ascii: "["): return try readArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try readString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
            case let byte: throw .unexpectedByte(byte, offset: position)
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
            let count = literal.utf8CodeUnitCount
            for i in 0..<count {
                let expected = literal.utf8Start[i]
                guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
                guard bytes[position] == expected else { throw .unexpectedByte(bytes[position], offset: position) }
                position += 1
            }
        }

        mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= maxDepth else { throw .tooDeep(offset: position, limit: maxDepth) }
            position += 1  // [
            var elements: [JSONValue] = []
            skipWhitespace()
            if try peek() == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try readValue(depth: depth))
                skipWhitespace()
                let byte = try peek()
                position += 1
                if byte == UInt8(ascii: "]") { return .array(elements) }
                guard byte == UInt8(ascii: ",") else { throw .unexpectedByte(byte, offset: position - 1) }
            }
        }

        mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= maxDepth else { throw .tooDeep(offset: position, limit: maxDepth) }
            position += 1  // {
            var members: [JSONMember] = []
            var keys: Set<String> = []
            skipWhitespace()
            if try peek() == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                let keyOffset = position
                let byte = try peek()
                guard byte == UInt8(ascii: "\"") else { throw .unexpectedByte(byte, offset: position) }
                let key = try readString()
                // Linear scan for small objects (the common case), a set beyond.
                if members.count < 16 {
                    if members.contains(where: { $0.key == key }) { throw .duplicateKey(key, offset: keyOffset) }
                    if members.count == 15 { keys = Set(members.map(\.key) + [key]) }
                } else if !keys.insert(key).inserted {
                    throw .duplicateKey(key, offset: keyOffset)
                }
                skipWhitespace()
                let colon = try peek()
                guard colon == UInt8(ascii: ":") else { throw .unexpectedByte(colon, offset: position) }
                position += 1
                skipWhitespace()
                members.append(JSONMember(key, try readValue(depth: depth)))
                skipWhitespace()
                let next = try peek()
                position += 1
                if next == UInt8(ascii: "}") { return .object(members) }
                guard next == UInt8(ascii: ",") else { throw .unexpectedByte(next, offset: position - 1) }
            }
        }

        /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        mutating func readNumber() throws(JSONParseError) -> JSONNumber {
            let start = position
            func digits() -> Int {
                let first = position
                while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 { position += 1 }
                return position - first
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else if digits() == 0 {
                throw .invalidNumber(offset: start)
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { throw .invalidNumber(offset: start) }
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
                {
                    position += 1
                }
                guard digits() > 0 else { throw .invalidNumber(offset: start) }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw .invalidNumber(offset: start) }
            return JSONNumber(value: value, text: text)
        }

        /// Reads a string starting at its opening quote; validates UTF-8 and escapes.
        mutating func readString() throws(JSONParseError) -> String {
            let open = position
            position += 1
            // Fast path: no escapes.
            var end = position
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                end += 1
            }
            guard end < bytes.count else { throw .unexpectedEnd(offset: end) }
            if bytes[end] == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[position..<end])
                guard let text = String(validating: slice, as: UTF8.self) else { throw .invalidUTF8(offset: open) }
                position = end + 1
                return text
            }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<end]))
            position = end
            while true {
                guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    guard let text = String(validating: scratch, as: UTF8.self) else {
                        throw .invalidUTF8(offset: open)
                    }
                    return text
                case UInt8(ascii: "\\"):
                    try readEscape()
                case 0..<0x20:
                    throw .controlCharacterInString(offset: position)
                default:
                    scratch.append(byte)
                    position += 1
                }
            }
        }

        mutating func readEscape() throws(JSONParseError) {
            let escapeOffset = position
            position += 1
            guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4(escapeOffset: escapeOffset)
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by `\u` and a low surrogate.
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw .invalidUnicodeEscape(offset: escapeOffset) }
                    position += 2
                    let low = try readHex4(escapeOffset: escapeOffset)
                    guard low >= 0xDC00 && low < 0xE000 else { throw .invalidUnicodeEscape(offset: escapeOffset) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw .invalidUnicodeEscape(offset: escapeOffset)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw .invalidUnicodeEscape(offset: escapeOffset) }
                scratch.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw .invalidEscape(offset: escapeOffset)
            }
        }

        mutating func readHex4(escapeOffset: Int) throws(JSONParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw .invalidUnicodeEscape(offset: escapeOffset) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw .invalidUnicodeEscape(offset: escapeOffset)
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }
    }
}
