import FieldtraceCore

/// A parsed JSON document: what GeoJSON fence and route files are read into (standard library
/// only, no Foundation).
///
/// Objects keep their members in document order, so a value written back with `appendJSON`
/// comes out in the order it was read (byte-identical output for the same input). Numbers keep
/// their exact source text next to the `Double`, so coordinates such as `121.4737001` are
/// written back unchanged rather than through a binary round trip.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A number from a `Double` (written with the shortest text that reads back the same value).
    public static func number(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }

    /// The value of the first member named `key` of an object; `nil` for other values.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? {
        if case .number(let n) = self { return n.value }
        return nil
    }

    /// The text, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members in document order, if this is an object.
    public var objectValue: [JSONMember]? {
        if case .object(let m) = self { return m }
        return nil
    }

    /// The JSON type's name, for error messages (`"string"`, `"number"`, ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON number: its value and the exact text it was read from (or will be written as).
public struct JSONNumber: Sendable, Hashable {
    /// The value, rounded to the nearest `Double`.
    public var value: Double
    /// The number's text as in the document (`"1.50"`, `"-0"`, `"1e3"`); for a number made from a
    /// `Double`, its shortest round-tripping text.
    public var text: String

    public init(_ value: Double) {
        self.value = value
        var out: [UInt8] = []
        JSONText.appendNumber(value, to: &out)
        self.text = String(decoding: out, as: UTF8.self)
    }

    /// A number with its source text. `text` must be a valid JSON number for `value`.
    public init(value: Double, text: String) {
        self.value = value
        self.text = text
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
