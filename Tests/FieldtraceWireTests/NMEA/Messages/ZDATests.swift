import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAZDATests {
    @Test func givesTheDateToItsEpoch() throws {
        let r = NMEATest.decode([
            "GPGGA,235959.50,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,", "GPZDA,235959.50,29,02,2024,00,00",
        ])
        #expect(try #require(r.fixes.first).timeMs == NMEATest.ms(2024, 2, 29, 23, 59, 59, 500))
    }

    @Test func badDatesReject() {
        for fields in ["30,02,2024", "01,13,2026", "01,01,1979", "01,01,2100", "01,01,26", "01,,2026", "1a,01,2026"] {
            let r = NMEATest.decode(["GPZDA,120000,\(fields),00,00"])
            #expect(r.counters.rejectedTotal == 1, "\(fields)")
        }
    }

    @Test func aloneIsIgnoredButDatesLaterEpochs() throws {
        let r = NMEATest.decode([
            "GPZDA,120000,28,11,2026,00,00", "GPGGA,120001,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
        ])
        #expect(r.counters.ignored == 1)
        #expect(try #require(r.fixes.first).timeMs == NMEATest.ms(2026, 11, 28, 12, 0, 1))
    }
}
