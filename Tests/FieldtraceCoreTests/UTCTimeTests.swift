import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct UTCTimeTests {
    @Test func knownDates() {
        #expect(UTCTime.epochMs(year: 1970, month: 1, day: 1) == 0)
        #expect(UTCTime.epochMs(year: 2000, month: 3, day: 1) == 951_868_800_000)
        #expect(UTCTime.epochMs(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59) == 1_709_251_199_000)
        #expect(UTCTime.epochMs(year: 1969, month: 12, day: 31, hour: 23) == -3_600_000)
    }

    @Test func rejectsImpossibleDates() {
        #expect(UTCTime.epochMs(year: 2023, month: 2, day: 29) == nil)
        #expect(UTCTime.epochMs(year: 1900, month: 2, day: 29) == nil)
        #expect(UTCTime.epochMs(year: 2000, month: 2, day: 29) != nil)
        #expect(UTCTime.epochMs(year: 2024, month: 13, day: 1) == nil)
        #expect(UTCTime.epochMs(year: 2024, month: 4, day: 31) == nil)
        #expect(UTCTime.epochMs(year: 2024, month: 1, day: 1, hour: 24) == nil)
        #expect(UTCTime.epochMs(year: 2024, month: 1, day: 0) == nil)
    }

    @Test func civilRoundTripOverFourCenturies() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<20_000 {
            let days = Int64(rng.next() % 146_097 * 2) - 146_097
            let (y, m, d) = UTCTime.civilFromDays(days)
            #expect(UTCTime.daysFromCivil(year: y, month: m, day: d) == days, "days \(days)")
            #expect(d >= 1 && d <= UTCTime.daysInMonth(year: y, month: m))
        }
    }

    @Test func componentsOfNegativeTimes() {
        let c = UTCTime.components(-1)
        #expect(c.year == 1969 && c.month == 12 && c.day == 31 && c.hour == 23 && c.second == 59)
        #expect(c.millisecond == 999)
    }

    @Test(arguments: [
        (99, 2026, 1999), (0, 2026, 2000), (26, 2026, 2026), (76, 2026, 1976), (75, 2026, 2075), (77, 2026, 1977),
        (5, 2098, 2105), (99, 2001, 1999), (50, 2000, 1950),
    ])
    func twoDigitYears(yy: Int, reference: Int, expected: Int) {
        #expect(UTCTime.resolveTwoDigitYear(yy, referenceYear: reference) == expected)
    }
}

@Suite struct GPSWeekRolloverTests {
    let now = UTCTime.epochMs(year: 2026, month: 11, day: 29)!

    @Test func correctsOneRollover() {
        let truth = UTCTime.epochMs(year: 2026, month: 11, day: 28, hour: 12)!
        let reported = truth - GPSWeekRollover.periodMs
        let (fixed, corrected) = GPSWeekRollover.correct(reported, referenceMs: now)
        #expect(corrected)
        #expect(fixed == truth)
    }

    @Test func correctsTwoRollovers() {
        let truth = UTCTime.epochMs(year: 2026, month: 6, day: 1)!
        let (fixed, corrected) = GPSWeekRollover.correct(truth - 2 * GPSWeekRollover.periodMs, referenceMs: now)
        #expect(corrected && fixed == truth)
    }

    @Test func leavesRecentAndBufferedDataAlone() {
        for daysAgo in [0, 1, 30, 365, 5 * 365, 18 * 365] {
            let t = now - Int64(daysAgo) * 86_400_000
            let (fixed, corrected) = GPSWeekRollover.correct(t, referenceMs: now)
            #expect(!corrected && fixed == t, "\(daysAgo) days ago")
        }
    }

    @Test func neverMovesIntoTheFuture() {
        // 19.5 years ago is past the threshold, but one period would land 0.1 years ahead.
        let t = now - GPSWeekRollover.periodMs + 40 * 86_400_000
        let (fixed, corrected) = GPSWeekRollover.correct(t, referenceMs: now)
        #expect(!corrected && fixed == t)
    }
}
