import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAGSATests {
    static let rmc = "GPRMC,120000,A,4807.038,N,01131.000,E,,,281126,,,A"

    @Test func hdopAndSatellitesWhenNoGGA() throws {
        let r = NMEATest.decode([
            Self.rmc, "GNGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1,1", "GNGSA,A,3,65,66,,,,,,,,,,,2.5,1.3,2.1,2",
        ])
        let fix = try #require(r.fixes.first)
        #expect(fix.hdop == 1.3)
        #expect(fix.satellites == 7)
    }

    @Test func ggaWinsOverGSA() throws {
        let r = NMEATest.decode([
            Self.rmc, "GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1",
            "GPGGA,120000,4807.038,N,01131.000,E,1,09,0.9,545.4,M,46.9,M,,",
        ])
        let fix = try #require(r.fixes.first)
        #expect(fix.hdop == 0.9)
        #expect(fix.satellites == 9)
    }

    @Test func noPRNsMeansNoSatelliteCount() throws {
        let r = NMEATest.decode([Self.rmc, "GPGSA,A,1,,,,,,,,,,,,,99.9,99.9,99.9"])
        let fix = try #require(r.fixes.first)
        #expect(fix.satellites == nil)
        #expect(fix.hdop == 99.9)
    }

    @Test func prnFieldsAreCountedNotParsed() {
        let r = NMEATest.decode([Self.rmc, "GPGSA,A,3,x4,05,,,,,,,,,,,2.5,1.3,2.1"])
        #expect(r.fixes.first?.satellites == 2)
        let bad = NMEATest.decode([Self.rmc, "GPGSA,A,3,04,05,,,,,,,,,,,2.5,1.x,2.1"])
        #expect(NMEATest.rejected(bad, .badField) == 1)
    }
}
