import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAEpochTests {
    static func gga(_ time: String, lat: String = "4807.038") -> String {
        "GPGGA,\(time),\(lat),N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"
    }
    static func rmc(_ time: String, _ date: String) -> String {
        "GPRMC,\(time),A,4807.038,N,01131.000,E,10.0,90.0,\(date),,,A"
    }

    @Test func sentencesOfOneTimeAreOneFix() throws {
        let r = NMEATest.decode([
            Self.rmc("120000.00", "281126"), Self.gga("120000.00"), "GPGSA,A,3,1,2,3,,,,,,,,,,1.5,0.7,1.2",
            "GPVTG,91.0,T,,M,11.0,N,20.4,K,A",
        ])
        #expect(r.fixes.count == 1)
        let fix = try #require(r.fixes.first)
        // First carrier wins: RMC's speed and course, GGA's HDOP over GSA's.
        #expect(fix.courseDeg == 90 && abs(fix.speedMps! - 10 * 1852 / 3600) < 1e-12)
        #expect(fix.hdop == 0.9 && fix.satellites == 8 && fix.altitudeM == 545.4)
        #expect(r.counters.frames == 5 && r.counters.ignored == 0)
    }

    @Test func aNewTimeClosesTheEpoch() {
        let r = NMEATest.decode([Self.rmc("120000", "281126"), Self.gga("120000"), Self.gga("120001")])
        #expect(r.fixes.map(\.timeMs) == [NMEATest.ms(2026, 11, 28, 12), NMEATest.ms(2026, 11, 28, 12, 0, 1)])
    }

    @Test func validityNeedsEveryClaimValid() throws {
        let r = NMEATest.decode([
            "GPRMC,120000,V,4807.038,N,01131.000,E,,,281126,,,N", Self.gga("120000"),
        ])
        #expect(try !#require(r.fixes.first).isValid)
    }

    @Test func midnightWrapWithoutNewDate() {
        let r = NMEATest.decode([
            Self.rmc("235958.00", "281126"), Self.gga("235959.00"), Self.gga("000000.00"), Self.gga("000001.00"),
        ])
        #expect(
            r.fixes.map(\.timeMs) == [
                NMEATest.ms(2026, 11, 28, 23, 59, 58), NMEATest.ms(2026, 11, 28, 23, 59, 59),
                NMEATest.ms(2026, 11, 29), NMEATest.ms(2026, 11, 29, 0, 0, 1),
            ])
    }

    @Test func leapDayMidnight() {
        let r = NMEATest.decode([
            Self.rmc("235959.999", "280224"), Self.gga("000000.000"), Self.gga("235959.999"),
            Self.gga("000000.000"),
        ])
        #expect(
            r.fixes.map(\.timeMs) == [
                NMEATest.ms(2024, 2, 28, 23, 59, 59, 999), NMEATest.ms(2024, 2, 29),
                NMEATest.ms(2024, 2, 29, 23, 59, 59, 999),
                NMEATest.ms(2024, 3, 1),
            ])
    }

    @Test func smallBackwardStepKeepsTheDate() {
        let r = NMEATest.decode([Self.rmc("120005", "281126"), Self.gga("120004")])
        #expect(r.fixes.last?.timeMs == NMEATest.ms(2026, 11, 28, 12, 0, 4))
    }

    @Test func aNewDateOverridesTheCarriedOne() {
        let r = NMEATest.decode([
            Self.rmc("120000", "281126"), Self.gga("130000"), Self.rmc("140000", "010127"), Self.gga("150000"),
        ])
        #expect(r.fixes.last?.timeMs == NMEATest.ms(2027, 1, 1, 15))
    }

    @Test func timelessSentencesBeforeAnyTimeFormTheirOwnEpoch() {
        let r = NMEATest.decode(["GPVTG,91.0,T,,M,11.0,N,20.4,K,A", Self.rmc("120000", "281126")])
        #expect(r.counters.ignored == 1)
        #expect(r.fixes.count == 1)
        #expect(r.fixes.first?.courseDeg == 90)
    }

    @Test func positionWithoutTimeIsNoDate() {
        let r = NMEATest.decode(["GPGLL,4807.038,N,01131.000,E,,A,A"])
        #expect(NMEATest.rejected(r, .nmeaNoDate) == 1)
    }

    @Test func weekRolloverIsCorrectedAndFlagged() throws {
        // 2026-11-28 minus 1024 weeks: 2007-04-14.
        let r = NMEATest.decode([Self.rmc("120000", "140407")])
        let fix = try #require(r.fixes.first)
        #expect(fix.timeMs == NMEATest.ms(2026, 11, 28, 12))
        #expect(fix.flags.contains(.weekRolloverCorrected))
        let recent = NMEATest.decode([Self.rmc("120000", "281126")])
        #expect(recent.fixes.first?.flags.contains(.weekRolloverCorrected) == false)
    }

    @Test func calendarPlacement() {
        var c = NMEACalendar()
        #expect(c.place(dayNumber: nil, timeOfDayMs: 1000) == nil)
        #expect(c.place(dayNumber: 100, timeOfDayMs: 86_000_000) == 100)
        #expect(c.place(dayNumber: nil, timeOfDayMs: 86_399_000) == 100)
        #expect(c.place(dayNumber: nil, timeOfDayMs: 500) == 101)
        #expect(c.place(dayNumber: nil, timeOfDayMs: 400) == 101)
        #expect(c.place(dayNumber: nil, timeOfDayMs: 50_000_000) == 101)
        #expect(c.place(dayNumber: nil, timeOfDayMs: 6_000_000) == 102)
    }
}
