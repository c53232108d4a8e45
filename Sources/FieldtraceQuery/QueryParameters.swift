import FieldtraceCore

/// Reading query parameters the way every `/v1` route does: times as ISO 8601 or Unix
/// milliseconds, ranges as `[from, to)`, numbers checked against named limits. The caller passes
/// a lookup (`name -> value?`), so HTTP routes and tests share the same validation.
public struct QueryParameters: Sendable {
    let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public subscript(name: String) -> String? { values[name] }

    /// A time: ISO 8601 (`2026-11-29T08:00:00Z`, any offset, fraction to ms) or Unix
    /// milliseconds (an optional `-` and 1 to 15 digits, up to the year 33658; as `APITime`
    /// reads them). `nil` for anything else.
    public static func parseTime(_ text: String) -> Int64? {
        if let ms = ISO8601.parse(text.utf8) { return ms }
        let digits = text.utf8.first == UInt8(ascii: "-") ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }

    /// A required time parameter.
    public func time(_ name: String) throws(QueryError) -> Int64 {
        guard let text = values[name] else {
            throw .missing(name, "an ISO 8601 time or Unix milliseconds")
        }
        guard let ms = Self.parseTime(text) else {
            throw .bad(name, text, "expected an ISO 8601 time (2026-11-29T08:00:00Z) or Unix milliseconds")
        }
        return ms
    }

    /// The required `[from, to)` range, checked: `from < to` and `to - from <= maxMs`.
    public func range(maxMs: Int64) throws(QueryError) -> Range<Int64> {
        let from = try time("from")
        let to = try time("to")
        guard from < to else {
            throw QueryError(
                .emptyRange, parameter: "to",
                message: "from (\(ISO8601.format(ms: from))) must be earlier than to (\(ISO8601.format(ms: to))): "
                    + "the range is [from, to)")
        }
        guard to - from <= maxMs else {
            throw QueryError(
                .rangeTooLong, parameter: "to",
                message: "the range from \(ISO8601.format(ms: from)) to \(ISO8601.format(ms: to)) is longer than "
                    + "the limit of \(Self.describe(ms: maxMs)); ask for shorter ranges")
        }
        return from..<to
    }

    /// An optional value from a closed list (`smooth=none|kalman|rts`).
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws(QueryError) -> T
    where T.RawValue == String {
        guard let text = values[name] else { return value }
        guard let choice = T(rawValue: text) else {
            throw .bad(name, text, "expected one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    /// An optional decimal number in `range` (no NaN, no infinity).
    public func number(_ name: String, in range: ClosedRange<Double>) throws(QueryError) -> Double? {
        guard let text = values[name] else { return nil }
        guard text.utf8.count <= 32, let value = Double(text), value.isFinite, range.contains(value) else {
            throw .bad(name, text, "expected a number from \(format(range.lowerBound)) to \(format(range.upperBound))")
        }
        return value
    }

    /// An optional integer in `range`.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(QueryError) -> Int? {
        guard let text = values[name] else { return nil }
        guard text.utf8.count <= 20, let value = Int(text), range.contains(value) else {
            throw .bad(name, text, "expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `7 days`, `36 hours`, `90 minutes`, `1500 ms`: the largest unit that divides exactly.
    static func describe(ms: Int64) -> String {
        for (unit, name) in [(86_400_000 as Int64, "day"), (3_600_000, "hour"), (60_000, "minute"), (1000, "second")]
        where ms >= unit && ms % unit == 0 {
            let count = ms / unit
            return "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        return "\(ms) ms"
    }
}
