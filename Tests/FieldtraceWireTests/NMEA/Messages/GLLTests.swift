import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAGLLTests {
    static let date = "GPRMC,225444,A,4916.45,N,12311.12,W,,,281126,,,A"

    @Test func positionTimeAndStatus() throws {
        let r = NMEATest.decode([
            Self.date, "GPGLL,4916.45,N,12311.12,W,225445,A,A", "GPGLL,4916.46,N,12311.12,W,225446,V,N",
        ])
        #expect(r.fixes.count == 3)
        #expect(r.fixes[1].latitudeE7 == 492_741_667 && r.fixes[1].longitudeE7 == -1_231_853_333)
        #expect(r.fixes[1].timeMs == NMEATest.ms(2026, 11, 28, 22, 54, 45))
        #expect(r.fixes[1].isValid)
        #expect(!r.fixes[2].isValid)
    }

    @Test func withoutStatusIsNotValid() throws {
        let r = NMEATest.decode([Self.date, "GPGLL,4916.45,N,12311.12,W,225445"])
        #expect(try !#require(r.fixes.last).isValid)
    }
}
