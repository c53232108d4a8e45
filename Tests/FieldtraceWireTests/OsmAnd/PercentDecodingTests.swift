import FieldtraceCore
import Testing

@testable import FieldtraceWire

@Suite struct PercentDecodingTests {
    func decode(_ text: String) -> String? {
        var out: [UInt8] = [9, 9, 9]
        let ok = OsmAndFixtures.with(text) { PercentDecoding.decode($0, into: &out) }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }

    @Test func decodes() {
        #expect(decode("2026-11-28T08%3A00%3A00Z") == "2026-11-28T08:00:00Z")
        #expect(decode("a+b") == "a b")
        #expect(decode("%2B1%2b") == "+1+")
        #expect(decode("plain") == "plain")
        #expect(decode("") == "")
        #expect(decode("%E2%82%AC") == "€")
    }

    @Test func rejectsBadEscapes() {
        #expect(decode("%") == nil)
        #expect(decode("%4") == nil)
        #expect(decode("%G0") == nil)
        #expect(decode("ab%2") == nil)
    }

    @Test func needsDecoding() {
        #expect(OsmAndFixtures.with("12.5") { PercentDecoding.needsDecoding($0) } == false)
        #expect(OsmAndFixtures.with("a+b") { PercentDecoding.needsDecoding($0) })
        #expect(OsmAndFixtures.with("%20") { PercentDecoding.needsDecoding($0) })
    }
}
