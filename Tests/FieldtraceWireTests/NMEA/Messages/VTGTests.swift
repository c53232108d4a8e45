import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAVTGTests {
    static let gga = "GPGGA,120000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"
    static let zda = "GPZDA,120000,28,11,2026,00,00"

    @Test func speedAndCourseJoinTheEpoch() throws {
        let r = NMEATest.decode([Self.zda, Self.gga, "GPVTG,054.7,T,034.4,M,005.5,N,010.2,K,A"])
        let fix = try #require(r.fixes.first)
        #expect(r.fixes.count == 1)
        #expect(fix.courseDeg == 54.7)
        #expect(abs(fix.speedMps! - 5.5 * 1852 / 3600) < 1e-12)
    }

    @Test func kmhWhenKnotsAreEmpty() throws {
        let r = NMEATest.decode([Self.zda, Self.gga, "GPVTG,,T,,M,,N,36.0,K,A"])
        let fix = try #require(r.fixes.first)
        #expect(abs(fix.speedMps! - 10) < 1e-12)
        #expect(fix.courseDeg == nil)
    }

    @Test func aloneMakesNoFix() {
        let r = NMEATest.decode(["GPVTG,054.7,T,034.4,M,005.5,N,010.2,K,A"])
        #expect(r.fixes.isEmpty)
        #expect(r.counters.ignored == 1)
        #expect(r.counters.rejectedTotal == 0)
    }
}
