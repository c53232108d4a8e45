/// A query the caller got wrong: a missing or malformed parameter, an impossible or too long
/// range. The HTTP layer answers 400 `bad_request` with `message`; nothing here knows HTTP.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for programs (tests, metrics); `message` is for people.
    public enum Code: String, Sendable, Hashable {
        case missingParameter = "missing_parameter"
        case badParameter = "bad_parameter"
        case emptyRange = "empty_range"
        case rangeTooLong = "range_too_long"
        case tooManyDevices = "too_many_devices"
    }

    public var code: Code
    /// The query parameter at fault (`from`, `smooth`, ...), if one is.
    public var parameter: String?
    /// One sentence naming the parameter, what was given (at most 64 bytes of it) and what is allowed.
    public var message: String

    public init(_ code: Code, parameter: String?, message: String) {
        self.code = code
        self.parameter = parameter
        self.message = message
    }

    public var description: String { message }

    static func missing(_ name: String, _ what: String) -> QueryError {
        QueryError(.missingParameter, parameter: name, message: "\(name) is required: \(what)")
    }

    static func bad(_ name: String, _ value: String, _ allowed: String) -> QueryError {
        QueryError(.badParameter, parameter: name, message: "\(name) '\(clip(value))' is not valid: \(allowed)")
    }

    /// At most 64 bytes of a caller's text, cut on a character boundary.
    static func clip(_ text: String) -> String {
        guard text.utf8.count > 64 else { return text }
        var out = ""
        for character in text {
            if out.utf8.count + character.utf8.count > 61 { break }
            out.append(character)
        }
        return out + "..."
    }
}
