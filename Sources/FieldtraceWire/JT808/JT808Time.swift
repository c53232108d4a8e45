import FieldtraceCore

/// A JT/T 808 time: 6 BCD bytes `YY MM DD hh mm ss`, Beijing time (UTC+8, no daylight saving).
public struct JT808Time: Sendable, Hashable {
    /// Beijing time's offset from UTC, milliseconds.
    public static let beijingOffsetMs: Int64 = 8 * 3_600_000

    /// Two-digit year, 0-99.
    public var year: UInt8
    public var month: UInt8
    public var day: UInt8
    public var hour: UInt8
    public var minute: UInt8
    public var second: UInt8

    public init(year: UInt8, month: UInt8, day: UInt8, hour: UInt8, minute: UInt8, second: UInt8) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Reads 6 BCD bytes; `badTime` when a nibble is not a decimal digit.
    public static func read(_ cursor: inout ByteCursor) throws(JT808Error) -> JT808Time {
        guard cursor.remaining >= 6 else { throw .truncated(neededBytes: 6, availableBytes: cursor.remaining) }
        let time = try decode(cursor.bytes, at: cursor.offset)
        cursor.offset += 6
        return time
    }

    /// Decodes the 6 BCD bytes at `offset`, which the caller has checked are present: one
    /// 48-bit word, its nibbles checked at once.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(JT808Error) -> JT808Time {
        precondition(offset >= 0 && offset + 6 <= bytes.count, "time outside its bytes")
        let high = UInt64(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let low = UInt64(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt16.self)))
        let w = high << 16 | low
        guard !JT808Phone.hasNonDecimalNibble(w) else { throw .badTime }
        // Each byte 16h + l becomes 10h + l: subtract 6h (at most 54, so no borrow between bytes).
        let binary = w &- 6 &* ((w >> 4) & 0x0F0F_0F0F_0F0F)
        func byte(_ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: binary >> shift) }
        return JT808Time(
            year: byte(40), month: byte(32), day: byte(24), hour: byte(16), minute: byte(8), second: byte(0))
    }

    /// Milliseconds since the Unix epoch, UTC (Beijing time minus 8 hours), with the two-digit
    /// year taken in the century nearest `referenceYear`; `nil` for an impossible date or time.
    @inlinable
    public func utcMs(referenceYear: Int) -> Int64? {
        guard
            let local = UTCTime.epochMs(
                year: Self.fullYear(Int(year), referenceYear: referenceYear), month: Int(month), day: Int(day),
                hour: Int(hour), minute: Int(minute), second: Int(second))
        else { return nil }
        return local - Self.beijingOffsetMs
    }

    /// The year `20YY` for any reference year of this century, or, in general, `yy` in the
    /// century nearest `referenceYear` (ties go to the past): `UTCTime.resolveTwoDigitYear`
    /// without its candidate array, for the per-fix path.
    @inlinable
    public static func fullYear(_ yy: Int, referenceYear: Int) -> Int {
        var best = referenceYear - referenceYear % 100 + yy
        let earlier = best - 100
        let later = best + 100
        if abs(earlier - referenceYear) <= abs(best - referenceYear) {
            best = earlier
        } else if abs(later - referenceYear) < abs(best - referenceYear) {
            best = later
        }
        return best
    }
}

/// The receive-time context for turning JT/T 808 times into UTC on the fix path: the reference
/// year for two-digit years (from `receivedMs`), and the last date converted. Consecutive
/// reports share their date, so the calendar arithmetic runs about once a day per connection
/// instead of once per fix. Gives exactly `JT808Time.utcMs(referenceYear:)`.
struct JT808Clock {
    private(set) var receivedMs: Int64
    private(set) var referenceYear: Int
    /// `yy << 16 | mm << 8 | dd` of the cached date; `UInt32.max` when none.
    private var dateKey = UInt32.max
    /// UTC milliseconds of the cached date's Beijing midnight.
    private var midnightMs: Int64 = 0

    init(receivedMs: Int64, referenceYear: Int) {
        self.receivedMs = receivedMs
        self.referenceYear = referenceYear
    }

    init() { self.init(receivedMs: .min, referenceYear: 2000) }

    /// Sets "now"; a new year of reference drops the cached date.
    mutating func set(receivedMs ms: Int64) {
        guard ms != receivedMs else { return }
        receivedMs = ms
        let year = UTCTime.components(ms).year
        if year != referenceYear {
            referenceYear = year
            dateKey = .max
        }
    }

    /// UTC milliseconds of a Beijing time; `nil` for an impossible date or time of day.
    @inline(__always)
    mutating func utcMs(_ t: JT808Time) -> Int64? {
        guard t.hour < 24, t.minute < 60, t.second <= 60 else { return nil }
        let key = UInt32(t.year) << 16 | UInt32(t.month) << 8 | UInt32(t.day)
        if key != dateKey {
            guard
                let midnight = UTCTime.epochMs(
                    year: JT808Time.fullYear(Int(t.year), referenceYear: referenceYear), month: Int(t.month),
                    day: Int(t.day))
            else { return nil }
            dateKey = key
            midnightMs = midnight - JT808Time.beijingOffsetMs
        }
        return midnightMs + Int64(t.hour) * 3_600_000 + Int64(t.minute) * 60_000 + Int64(t.second) * 1000
    }
}
