import FieldtraceAnalytics
import FieldtraceCore
import Foundation

/// The time zone of a group: an IANA name (`Europe/Berlin`, with daylight saving from the
/// system's time-zone database) or a fixed UTC offset (`+08:00`, `-05:30`, `Z`, `UTC`).
/// Shifts and route assignment days are local dates and times in it.
public enum GroupTimeZone: Sendable, Hashable, CustomStringConvertible {
    case utcOffset(minutes: Int)
    case named(String)

    /// Parses the stored or submitted text; throws `.invalid` naming the accepted forms.
    public init(parsing text: String) throws(DirectoryError) {
        if text == "UTC" || text == "Z" {
            self = .utcOffset(minutes: 0)
        } else if let minutes = ActiveHours.parseUTCOffset(text) {
            self = .utcOffset(minutes: minutes)
        } else if text.utf8.count <= 64, Self.ianaNames.contains(text) {
            self = .named(text)
        } else {
            throw .invalid(
                "time_zone \"\(text.prefix(64))\" is neither an IANA time zone name (Europe/Berlin) "
                    + "nor a UTC offset (+08:00, -05:30, Z)")
        }
    }

    /// The names of the system's time-zone database, read once.
    static let ianaNames = Set(TimeZone.knownTimeZoneIdentifiers)

    /// The canonical text (`+08:00`, or the IANA name).
    public var description: String {
        switch self {
        case .utcOffset(let minutes): ActiveHours.formatUTCOffset(minutes)
        case .named(let name): name
        }
    }

    /// Offset of local time from UTC at an instant, ms UTC → minutes.
    public func offsetMinutes(atUTCMs ms: Int64) -> Int {
        switch self {
        case .utcOffset(let minutes): return minutes
        case .named(let name):
            guard let zone = TimeZone(identifier: name) else { return 0 }
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000)) / 60
        }
    }

    /// The instant, ms UTC, of local time `minuteOfDay` on `date` (minutes may exceed a day). A
    /// local time skipped by a daylight-saving jump maps to the instant with the offset in force
    /// before it; a repeated one to its first occurrence.
    public func utcMs(of date: LocalDate, minuteOfDay: Int = 0) -> Int64 {
        let local = date.daysSinceEpoch * UTCTime.msPerDay + Int64(minuteOfDay) * 60_000
        let first = local - Int64(offsetMinutes(atUTCMs: local)) * 60_000
        return local - Int64(offsetMinutes(atUTCMs: first)) * 60_000
    }

    /// The local date of an instant.
    public func localDate(atUTCMs ms: Int64) -> LocalDate {
        LocalDate(utcMs: ms + Int64(offsetMinutes(atUTCMs: ms)) * 60_000)
    }
}
