import FieldtraceCore

/// Times on the API: written as ISO 8601 UTC with milliseconds, read as ISO 8601 or as Unix
/// milliseconds (all digits, optionally negative).
public enum APITime {
    public static func format(_ ms: Int64) -> String { ISO8601.format(ms: ms) }

    /// Parses `text`; throws `bad_request` naming `field` when it is neither form.
    public static func parse(_ text: some StringProtocol, field: String) throws(APIError) -> Int64 {
        let s = String(text)
        if let first = s.utf8.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39),
            s.utf8.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let ms = Int64(s)
        {
            return ms
        }
        if let ms = ISO8601.parse(Array(s.utf8)) { return ms }
        throw APIError.badRequest("\(field) '\(s.prefix(64))': expected ISO 8601 (2026-01-31T08:00:00Z) or Unix ms")
    }

    /// Parses a duration like `90d`, `12h`, `30m`, `45s` into ms; nil when malformed.
    public static func parseDuration(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        let scale: Int64
        switch unit {
        case "d": scale = 86_400_000
        case "h": scale = 3_600_000
        case "m": scale = 60_000
        case "s": scale = 1000
        default: return nil
        }
        let (ms, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : ms
    }
}
