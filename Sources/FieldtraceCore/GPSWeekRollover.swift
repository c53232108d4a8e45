/// Correction for the GPS week-number rollover.
///
/// GPS broadcasts the week as a 10-bit number, so receivers with old firmware report dates
/// exactly 1024 weeks (about 19.6 years) too early after each rollover (1999-08-22,
/// 2019-04-07). A fix time more than `threshold` before the reference time cannot be genuine
/// buffered data: it is moved forward by 1024 weeks, as often as needed, while that does not
/// push it past the reference time plus `futureTolerance`.
public enum GPSWeekRollover {
    /// 1024 weeks in milliseconds.
    public static let periodMs: Int64 = 1024 * 7 * 86_400_000
    /// How far in the past a fix time must be to count as rolled over: 19 years of 365.25 days.
    /// Shorter than one period (19.6 years) by about seven months, so a rolled-over fix from a
    /// device that buffered data for up to seven months is still corrected, while no real fix of
    /// this century's fleets is ever 19 years old on arrival.
    public static let thresholdMs: Int64 = 19 * 36_525 * 86_400_000 / 100
    /// How far past the reference a corrected time may land (device clocks run ahead a little).
    public static let futureToleranceMs: Int64 = 86_400_000

    /// Returns the corrected time and whether it was corrected.
    @inlinable
    public static func correct(_ timeMs: Int64, referenceMs: Int64) -> (timeMs: Int64, corrected: Bool) {
        var t = timeMs
        var corrected = false
        while referenceMs - t > thresholdMs, t + periodMs <= referenceMs + futureToleranceMs {
            t += periodMs
            corrected = true
        }
        return (t, corrected)
    }
}
