import FieldtraceCore

/// A calendar date without a time or zone (`2026-11-29`), as route assignments and reports name
/// days. Ordered; arithmetic in whole days.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (proleptic Gregorian).
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// `nil` when the date does not exist or the year is outside 1970...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1970...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= UTCTime.daysInMonth(year: year, month: month)
        else { return nil }
        daysSinceEpoch = UTCTime.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(parsing text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC date of an instant, ms UTC.
    public init(utcMs: Int64) {
        let days = utcMs >= 0 ? utcMs / UTCTime.msPerDay : (utcMs - UTCTime.msPerDay + 1) / UTCTime.msPerDay
        self.init(daysSinceEpoch: days)
    }

    public var components: (year: Int, month: Int, day: Int) { UTCTime.civilFromDays(daysSinceEpoch) }

    /// ISO weekday index: 0 Monday ... 6 Sunday (1970-01-01 was a Thursday).
    public var weekday: Int { Int(((daysSinceEpoch + 3) % 7 + 7) % 7) }

    public func adding(days: Int64) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}
