import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAGGATests {
    static let date = "GPRMC,120000.00,A,4807.038,N,01131.000,E,,,281126,,,A"

    @Test func fullSentence() throws {
        let r = NMEATest.decode([Self.date, "GPGGA,120001.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"])
        #expect(r.fixes.count == 2)
        let fix = try #require(r.fixes.last)
        #expect(fix.timeMs == NMEATest.ms(2026, 11, 28, 12, 0, 1))
        #expect(fix.isValid)
        #expect(fix.satellites == 8)
        #expect(fix.hdop == 0.9)
        #expect(fix.altitudeM == 545.4)
        #expect(fix.latitudeE7 == 481_173_000)
    }

    @Test func qualityZeroIsNotValid() throws {
        let r = NMEATest.decode([Self.date, "GPGGA,120001,4807.038,N,01131.000,E,0,00,99.99,,,,,,"])
        let fix = try #require(r.fixes.last)
        #expect(!fix.isValid)
        #expect(fix.satellites == 0)
        #expect(fix.altitudeM == nil)
    }

    @Test func negativeAltitude() throws {
        let r = NMEATest.decode([Self.date, "GPGGA,120001,3130.000,S,03530.000,E,2,05,1.5,-412.5,M,,M,,"])
        #expect(try #require(r.fixes.last).altitudeM == -412.5)
    }

    @Test func noDateYetIsRejectedNotGuessed() {
        let r = NMEATest.decode(["GPGGA,120001,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"])
        #expect(r.fixes.isEmpty)
        #expect(NMEATest.rejected(r, .nmeaNoDate) == 1)
    }

    @Test func badFieldsReject() {
        for body in [
            "GPGGA,120001,4807.038,N,01131.000,E,10,08,0.9,545.4,M,,M,,",  // quality
            "GPGGA,120001,4807.038,N,01131.000,E,1,256,0.9,545.4,M,,M,,",  // satellites
            "GPGGA,120001,4807.038,N,01131.000,E,1,08,10000,545.4,M,,M,,",  // hdop
            "GPGGA,120001,4807.038,N,01131.000,E,1,08,0.9,2000000,M,,M,,",  // altitude
        ] {
            let r = NMEATest.decode([Self.date, body])
            #expect(r.fixes.count == 1, "\(body)")
            #expect(NMEATest.rejected(r, .badField) == 1, "\(body)")
        }
    }
}
