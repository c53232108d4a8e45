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
        let raw: UnsafeRawBufferPointer
        do throws(ByteCursorError) {
            raw = try cursor.readBytes(6)
        } catch {
            throw .overrun(error)
        }
        var v: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        var bad: UInt8 = 0
        func digit(_ b: UInt8) -> UInt8 {
            // A nibble above 9 has bit 3 set and bit 2 or 1 set.
            bad |= (b >> 4 &+ 6) & 0x10 | ((b & 0x0F) &+ 6) & 0x10
            return (b >> 4) &* 10 &+ (b & 0x0F)
        }
        v = (digit(raw[0]), digit(raw[1]), digit(raw[2]), digit(raw[3]), digit(raw[4]), digit(raw[5]))
        guard bad == 0 else { throw .badTime }
        return JT808Time(year: v.0, month: v.1, day: v.2, hour: v.3, minute: v.4, second: v.5)
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
