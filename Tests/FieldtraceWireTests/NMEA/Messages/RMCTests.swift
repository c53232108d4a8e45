import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEARMCTests {
    @Test func fullSentence() throws {
        let r = NMEATest.decode(["GPRMC,123519.25,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,A"])
        let fix = try #require(r.fixes.first)
        #expect(r.fixes.count == 1)
        #expect(fix.device.rawValue == NMEATest.device)
        // 1994 is more than 19 years before "now" (2026): moved forward 1024 weeks.
        #expect(fix.timeMs == NMEATest.ms(1994, 3, 23, 12, 35, 19, 250) + GPSWeekRollover.periodMs)
        #expect(fix.flags == [.valid, .weekRolloverCorrected])
        #expect(fix.latitudeE7 == 481_173_000)
        #expect(fix.longitudeE7 == 115_166_667)
        #expect(abs(fix.speedMps! - 22.4 * 1852 / 3600) < 1e-12)
        #expect(fix.courseDeg == 84.4)
        #expect(fix.altitudeM == nil && fix.hdop == nil && fix.satellites == nil)
        #expect(fix.receivedMs == NMEATest.nowMs)
        #expect(fix.source == .nmea)
        #expect(r.counters.frames == 2 && r.counters.fixes == 1 && r.counters.rejectedTotal == 0)
    }

    @Test func statusVIsNotValidAndEmptyFieldsAreAbsent() throws {
        let r = NMEATest.decode(["GPRMC,081500.00,V,5230.000,N,01324.000,E,,,281126,,,N"])
        let fix = try #require(r.fixes.first)
        #expect(!fix.isValid)
        #expect(fix.speedMps == nil && fix.courseDeg == nil)
        #expect(fix.timeMs == NMEATest.ms(2026, 11, 28, 8, 15))
    }

    @Test func emptyPositionMakesNoFix() {
        let r = NMEATest.decode(["GPRMC,081500.00,V,,,,,,,281126,,,N"])
        #expect(r.fixes.isEmpty)
        #expect(r.counters.ignored == 1)
    }

    @Test func olderLayoutWithoutModeField() throws {
        let r = NMEATest.decode(["GPRMC,081500,A,5230.000,S,01324.000,W,0.0,,281126,,"])
        let fix = try #require(r.fixes.first)
        #expect(fix.latitudeE7 == -525_000_000 && fix.longitudeE7 == -134_000_000)
        #expect(fix.speedMps == 0)
    }

    @Test func twoDigitYearNearestCentury() throws {
        // "now" is 2026: 26 is 2026, 99 is 1999 (27 years away, against 73 for 2099).
        let r = NMEATest.decode(["GPRMC,000000,A,0000.000,N,00000.000,E,,,010126,,,A"])
        #expect(r.fixes.first?.timeMs == NMEATest.ms(2026, 1, 1))
        let old = NMEATest.decode(["GPRMC,000000,A,0000.000,N,00000.000,E,,,010199,,,A"])
        // 1999 -> corrected by one rollover to 2018-08-17.
        #expect(old.fixes.first?.timeMs == NMEATest.ms(1999, 1, 1) + GPSWeekRollover.periodMs)
    }

    @Test func leapDayAndImpossibleDates() {
        let ok = NMEATest.decode(["GPRMC,120000,A,0000.000,N,00000.000,E,,,290224,,,A"])
        #expect(ok.fixes.first?.timeMs == NMEATest.ms(2024, 2, 29, 12))
        for date in ["290226", "310426", "001126", "011326", "32112a", "28112"] {
            let r = NMEATest.decode(["GPRMC,120000,A,0000.000,N,00000.000,E,,,\(date),,,A"])
            #expect(r.fixes.isEmpty, "\(date)")
            #expect(r.counters.rejectedTotal == 1, "\(date)")
        }
    }

    @Test func badFieldsReject() {
        for body in [
            "GPRMC,120000,X,0000.000,N,00000.000,E,,,281126,,,A",  // status
            "GPRMC,120000,A,0000.000,N,00000.000,E,-1.0,,281126,,,A",  // negative speed
            "GPRMC,120000,A,0000.000,N,00000.000,E,9999.0,,281126,,,A",  // beyond the speed cap
            "GPRMC,120000,A,0000.000,N,00000.000,E,1.0,361.0,281126,,,A",  // course
            "GPRMC,120000,A,0000.000,N,,,1.0,,281126,,,A",  // latitude without longitude
            "GPRMC,250000,A,0000.000,N,00000.000,E,1.0,,281126,,,A",  // hour 25
        ] {
            let r = NMEATest.decode([body])
            #expect(r.fixes.isEmpty, "\(body)")
            #expect(r.counters.rejectedTotal == 1, "\(body)")
        }
    }

    @Test func course360IsZero() {
        let r = NMEATest.decode(["GPRMC,120000,A,0000.000,N,00000.000,E,1.0,360.0,281126,,,A"])
        #expect(r.fixes.first?.courseDeg == 0)
    }
}
