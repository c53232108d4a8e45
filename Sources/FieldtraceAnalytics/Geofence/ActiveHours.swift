/// The local times of day a fence produces events, e.g. `"08:00-18:00"` at UTC+08:00.
///
/// GeoJSON form: `"active_hours": "08:00-18:00"` (several ranges comma-separated:
/// `"07:00-12:00,13:00-19:00"`; a range may cross midnight: `"22:00-06:00"`; `"24:00"` ends a
/// day) and the local time's offset from UTC as `"utc_offset": "+08:00"` (or `"Z"`) or
/// `"timezone_offset_min": 480`. Without either, the hours are UTC. The offset is fixed: there
/// is no time-zone database in the standard library, so a zone with daylight saving needs the
/// fence updated when the clocks change. Days of the week are not modelled.
public struct ActiveHours: Sendable, Hashable, CustomStringConvertible {
    /// Minute-of-day ranges `[start, end)`, 0...1440; `start > end` crosses midnight.
    public var ranges: [(startMinute: Int, endMinute: Int)] {
        get { zip(starts, ends).map { ($0, $1) } }
        set {
            starts = newValue.map(\.startMinute)
            ends = newValue.map(\.endMinute)
        }
    }
    /// Offset of local time from UTC, minutes (UTC+08:00 is 480).
    public var utcOffsetMinutes: Int

    private var starts: [Int]
    private var ends: [Int]

    public init(ranges: [(startMinute: Int, endMinute: Int)], utcOffsetMinutes: Int) {
        self.starts = ranges.map(\.startMinute)
        self.ends = ranges.map(\.endMinute)
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// Parses `"HH:MM-HH:MM[,HH:MM-HH:MM...]"`; `nil` if malformed or a range is empty.
    public init?(parsing text: String, utcOffsetMinutes: Int) {
        var ranges: [(startMinute: Int, endMinute: Int)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 2, let start = Self.minute(ends[0]), let end = Self.minute(ends[1]),
                start != end, start < 1440
            else { return nil }
            ranges.append((start, end))
        }
        guard !ranges.isEmpty, utcOffsetMinutes > -24 * 60, utcOffsetMinutes < 24 * 60 else { return nil }
        self.init(ranges: ranges, utcOffsetMinutes: utcOffsetMinutes)
    }

    /// Parses a UTC offset `"+08:00"`, `"-05:30"`, `"+0800"` or `"Z"` into minutes.
    public static func parseUTCOffset(_ text: String) -> Int? {
        if text == "Z" { return 0 }
        let bytes = Array(text.utf8)
        guard bytes.count == 6 || bytes.count == 5, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-")
        else { return nil }
        let digits = bytes.count == 6 ? [bytes[1], bytes[2], bytes[4], bytes[5]] : Array(bytes[1...4])
        if bytes.count == 6 && bytes[3] != UInt8(ascii: ":") { return nil }
        guard digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
        let d = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hours = d[0] * 10 + d[1]
        let minutes = d[2] * 10 + d[3]
        guard hours < 24, minutes < 60 else { return nil }
        return (bytes[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
    }

    /// Formats minutes as `"+08:00"`.
    public static func formatUTCOffset(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        return sign + Self.clock(abs(minutes))
    }

    private static func minute(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
            [bytes[0], bytes[1], bytes[3], bytes[4]].allSatisfy({ $0 &- UInt8(ascii: "0") < 10 })
        else { return nil }
        let hours = Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48)
        let minutes = Int(bytes[3] - 48) * 10 + Int(bytes[4] - 48)
        guard minutes < 60, hours < 24 || (hours == 24 && minutes == 0) else { return nil }
        return hours * 60 + minutes
    }

    private static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// Whether the instant `timeMs` (ms UTC) falls in one of the ranges, in local time. O(ranges).
    public func contains(timeMs: Int64) -> Bool {
        let dayMs: Int64 = 86_400_000
        var local = (timeMs + Int64(utcOffsetMinutes) * 60_000) % dayMs
        if local < 0 { local += dayMs }
        let minute = Int(local / 60_000)
        for (start, end) in zip(starts, ends) {
            if start < end ? (minute >= start && minute < end) : (minute >= start || minute < end) { return true }
        }
        return false
    }

    /// The `active_hours` text, e.g. `"08:00-18:00"`.
    public var description: String {
        zip(starts, ends).map { Self.clock($0) + "-" + Self.clock($1) }.joined(separator: ",")
    }

    public static func == (a: ActiveHours, b: ActiveHours) -> Bool {
        a.starts == b.starts && a.ends == b.ends && a.utcOffsetMinutes == b.utcOffsetMinutes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(starts)
        hasher.combine(ends)
        hasher.combine(utcOffsetMinutes)
    }
}
