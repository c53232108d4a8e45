/// Why a document is not acceptable JSON, with the byte offset (from 0) where it went wrong.
public enum JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The document is longer than the parser's `maxBytes`.
    case tooLarge(bytes: Int, limit: Int)
    /// Arrays and objects nest deeper than the parser's `maxDepth`.
    case tooDeep(offset: Int, limit: Int)
    /// The document ended inside a value.
    case unexpectedEnd(offset: Int)
    /// A byte that cannot start or continue the value being read.
    case unexpectedByte(UInt8, offset: Int)
    /// A malformed number (`01`, `1.`, `-`, `1e`) or one outside the `Double` range.
    case invalidNumber(offset: Int)
    /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
    case invalidEscape(offset: Int)
    /// A `\u` escape without four hex digits, or a surrogate that is not part of a valid pair.
    case invalidUnicodeEscape(offset: Int)
    /// An unescaped control character (below U+0020) inside a string.
    case controlCharacterInString(offset: Int)
    /// String bytes that are not valid UTF-8 (the offset is the string's opening quote).
    case invalidUTF8(offset: Int)
    /// The same key twice in one object (ambiguous: readers disagree on which one wins).
    case duplicateKey(String, offset: Int)
    /// Non-whitespace after the top-level value.
    case trailingBytes(offset: Int)

    /// The byte offset the error refers to.
    public var offset: Int {
        switch self {
        case .tooLarge(_, let limit): limit
        case .tooDeep(let offset, _), .unexpectedEnd(let offset), .unexpectedByte(_, let offset),
            .invalidNumber(let offset), .invalidEscape(let offset), .invalidUnicodeEscape(let offset),
            .controlCharacterInString(let offset), .invalidUTF8(let offset), .duplicateKey(_, let offset),
            .trailingBytes(let offset):
            offset
        }
    }

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): "JSON document of \(bytes) bytes exceeds the limit of \(limit)"
        case .tooDeep(let offset, let limit): "JSON nesting deeper than \(limit) at byte \(offset)"
        case .unexpectedEnd(let offset): "JSON ends unexpectedly at byte \(offset)"
        case .unexpectedByte(let byte, let offset): "unexpected byte 0x\(String(byte, radix: 16)) at byte \(offset)"
        case .invalidNumber(let offset): "invalid number at byte \(offset)"
        case .invalidEscape(let offset): "invalid escape at byte \(offset)"
        case .invalidUnicodeEscape(let offset): "invalid \\u escape at byte \(offset)"
        case .controlCharacterInString(let offset): "control character in string at byte \(offset)"
        case .invalidUTF8(let offset): "invalid UTF-8 in string starting at byte \(offset)"
        case .duplicateKey(let key, let offset): "duplicate key \"\(key)\" at byte \(offset)"
        case .trailingBytes(let offset): "unexpected data after the JSON value at byte \(offset)"
        }
    }
}
