import FieldtraceAnalytics

/// A group's weekly shift schedule (issue 7: attendance against shifts), stored as JSON text:
///
/// ```json
/// {"mon": [{"start": "08:00", "end": "17:00"}], "tue": [{"start": "22:00", "end": "06:00"}]}
/// ```
///
/// Keys `mon` `tue` `wed` `thu` `fri` `sat` `sun`, each a list of shifts in the group's local
/// time; a day without a key (or `{}` for the whole schedule) has no shift. A shift whose end is
/// not after its start ends the next day (a night shift). `"24:00"` ends a day.
public struct WeeklySchedule: Sendable, Hashable {
    /// A shift: local minutes of the day, `startMinute` 0..<1440, `endMinute` 0...1440; ends
    /// the next day when `endMinute <= startMinute`.
    public struct Shift: Sendable, Hashable {
        public var startMinute: Int
        public var endMinute: Int
        public init(startMinute: Int, endMinute: Int) {
            self.startMinute = startMinute
            self.endMinute = endMinute
        }
        /// Length in minutes (a night shift counts across midnight).
        public var durationMinutes: Int {
            endMinute > startMinute ? endMinute - startMinute : endMinute + 1440 - startMinute
        }
    }

    /// Day keys in ISO order (index 0 is Monday, as `LocalDate.weekday`).
    public static let dayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// Most shifts on one day: split shifts and a few crews fit; more is a data error.
    public static let maxShiftsPerDay = 8
    /// Largest schedule text, bytes.
    public static let maxBytes = 16 << 10

    /// Shifts per weekday, index 0 Monday.
    public var days: [[Shift]]

    public init(days: [[Shift]] = Array(repeating: [], count: 7)) {
        precondition(days.count == 7, "a week has 7 days")
        self.days = days
    }

    /// The shifts starting on a date's weekday.
    public func shifts(on date: LocalDate) -> [Shift] { days[date.weekday] }

    /// Parses and checks schedule JSON; throws `.invalid` naming the offending day and shift.
    public init(json text: String) throws(DirectoryError) {
        guard text.utf8.count <= Self.maxBytes else { throw .invalid("shifts: larger than \(Self.maxBytes) bytes") }
        let root: JSONValue
        do { root = try JSONParser(maxBytes: Self.maxBytes, maxDepth: 8).parse(text) } catch {
            throw .invalid("shifts: not valid JSON: \(error)")
        }
        guard let members = root.objectValue else { throw .invalid("shifts: must be an object keyed by mon...sun") }
        var days = Array(repeating: [Shift](), count: 7)
        var seen: Set<String> = []
        for member in members {
            guard let day = Self.dayKeys.firstIndex(of: member.key) else {
                throw .invalid("shifts: unknown day \"\(member.key.prefix(16))\" (use mon tue wed thu fri sat sun)")
            }
            guard seen.insert(member.key).inserted else { throw .invalid("shifts: day \(member.key) given twice") }
            guard let list = member.value.arrayValue, list.count <= Self.maxShiftsPerDay else {
                throw .invalid("shifts.\(member.key): must be a list of at most \(Self.maxShiftsPerDay) shifts")
            }
            for (i, item) in list.enumerated() {
                guard let start = item["start"]?.stringValue.flatMap(Self.minute), start < 1440,
                    let end = item["end"]?.stringValue.flatMap(Self.minute), start != end
                else {
                    throw .invalid(
                        "shifts.\(member.key)[\(i)]: needs \"start\" and \"end\" as different \"HH:MM\" local times")
                }
                days[day].append(Shift(startMinute: start, endMinute: end))
            }
        }
        self.init(days: days)
    }

    /// The canonical JSON text: days in order, days without shifts left out.
    public var json: String {
        var members: [JSONMember] = []
        for (day, shifts) in days.enumerated() where !shifts.isEmpty {
            let list = shifts.map { shift in
                JSONValue.object([
                    JSONMember("start", .string(Self.clock(shift.startMinute))),
                    JSONMember("end", .string(Self.clock(shift.endMinute))),
                ])
            }
            members.append(JSONMember(Self.dayKeys[day], .array(list)))
        }
        return JSONValue.object(members).jsonText
    }

    static func minute(_ text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 5, b[2] == UInt8(ascii: ":"),
            [b[0], b[1], b[3], b[4]].allSatisfy({ $0 &- UInt8(ascii: "0") < 10 })
        else { return nil }
        let hours = Int(b[0] - 48) * 10 + Int(b[1] - 48)
        let minutes = Int(b[3] - 48) * 10 + Int(b[4] - 48)
        guard minutes < 60, hours < 24 || (hours == 24 && minutes == 0) else { return nil }
        return hours * 60 + minutes
    }

    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
