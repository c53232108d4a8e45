import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAGNSTests {
    static let zda = "GNZDA,090000.00,28,11,2026,00,00"

    @Test func modeLettersDecideValidity() throws {
        for (mode, valid) in [("AAN", true), ("NNNN", false), ("NDN", true), ("N", false)] {
            let r = NMEATest.decode([Self.zda, "GNGNS,090000.00,4807.038,N,01131.000,E,\(mode),12,0.8,545.4,46.9,,,V"])
            let fix = try #require(r.fixes.first)
            #expect(fix.isValid == valid, "\(mode)")
            #expect(fix.satellites == 12 && fix.hdop == 0.8 && fix.altitudeM == 545.4)
            #expect(fix.timeMs == NMEATest.ms(2026, 11, 28, 9))
        }
    }

    @Test func badModeRejects() {
        let r = NMEATest.decode([Self.zda, "GNGNS,090000.00,4807.038,N,01131.000,E,A1N,12,0.8,545.4,46.9,,,V"])
        #expect(NMEATest.rejected(r, .badField) == 1)
    }
}
