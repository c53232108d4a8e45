/// Calendar arithmetic on UTC milliseconds since the Unix epoch, without Foundation.
///
/// Uses Howard Hinnant's `days_from_civil` algorithms (proleptic Gregorian calendar), O(1).
public enum UTCTime {
    public static let msPerSecond: Int64 = 1000
    public static let msPerDay: Int64 = 86_400_000

    /// Days since 1970-01-01 for a proleptic Gregorian date. No range check.
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    @inlinable
    public static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// Whether `year` is a Gregorian leap year.
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` of `year`.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Milliseconds since the epoch for a calendar date and time of day, or `nil` when a field is
    /// out of range (month 13, February 30, hour 24, ...). A leap second (`second == 60`) is
    /// accepted and folded into the next second, as POSIX time does.
    @inlinable
    public static func epochMs(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0
    ) -> Int64? {
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month),
            hour >= 0, hour < 24, minute >= 0, minute < 60, second >= 0, second <= 60,
            millisecond >= 0, millisecond < 1000
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        return days * msPerDay + seconds * msPerSecond + Int64(millisecond)
    }

    /// Splits epoch milliseconds into calendar fields (UTC).
    @inlinable
    public static func components(
        _ ms: Int64
    ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        var days = ms / msPerDay
        var rem = ms % msPerDay
        if rem < 0 {
            rem += msPerDay
            days -= 1
        }
        let (y, m, d) = civilFromDays(days)
        let msOfDay = Int(rem)
        return (y, m, d, msOfDay / 3_600_000, msOfDay / 60_000 % 60, msOfDay / 1000 % 60, msOfDay % 1000)
    }

    /// Resolves a two-digit year to the full year nearest to `referenceYear` (ties go to the past).
    ///
    /// NMEA RMC and ZDA-less receivers send `yy`; "nearest century" keeps 99 → 1999 and 00 → 2000
    /// right for any reference year, where a fixed pivot would break in 2070.
    @inlinable
    public static func resolveTwoDigitYear(_ yy: Int, referenceYear: Int) -> Int {
        let base = referenceYear - referenceYear % 100
        var best = base + yy
        for candidate in [base - 100 + yy, base + 100 + yy]
        where abs(candidate - referenceYear) < abs(best - referenceYear)
            || (abs(candidate - referenceYear) == abs(best - referenceYear) && candidate < best)
        {
            best = candidate
        }
        return best
    }
}
