import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct DecimalTextTests {
    func scaled(_ text: String, _ scale: Int = 7, limit: Int64 = 1 << 62) -> Int64? {
        OsmAndFixtures.with(text) { DecimalText.scaled($0, scale: scale, limit: limit) }
    }

    func double(_ text: String) -> Double? { OsmAndFixtures.with(text) { DecimalText.double($0) } }

    @Test func exactCoordinates() {
        #expect(scaled("31.2304") == 312_304_000)
        #expect(scaled("-33.8688197") == -338_688_197)
        #expect(scaled("0") == 0)
        #expect(scaled("-0.0") == 0)
        #expect(scaled("180") == 1_800_000_000)
        #expect(scaled("-180.0000000") == -1_800_000_000)
        #expect(scaled(".5") == 5_000_000)
        #expect(scaled("5.") == 50_000_000)
        #expect(scaled("0000012.5") == 125_000_000)
    }

    /// Round half away from zero, decided by the digits, not by binary floating point.
    @Test func roundingFromTheDigits() {
        #expect(scaled("0.00000005") == 1)
        #expect(scaled("-0.00000005") == -1)
        #expect(scaled("0.000000049999999999") == 0)
        #expect(scaled("0.00000014999") == 1)
        #expect(scaled("0.00000015") == 2)
        #expect(scaled("12.34567895") == 123_456_790)
        #expect(scaled("12.345678949") == 123_456_789)
        // 0.1 + 0.2 style traps: Double would give 4.35 * 1e7 = 43499999.99...
        #expect(scaled("4.35") == 43_500_000)
        #expect(scaled("1.0000000500000000000000001") == 10_000_001)
    }

    @Test func exponents() {
        #expect(scaled("3.12e1") == 312_000_000)
        #expect(scaled("3.12E+1") == 312_000_000)
        #expect(scaled("312e-1") == 312_000_000)
        #expect(scaled("5e-8") == 1)
        #expect(scaled("4e-8") == 0)
        #expect(scaled("1e-9999") == 0)
        #expect(scaled("0e9999") == 0)
        #expect(scaled("1e9999") == nil)
    }

    @Test func syntaxErrors() {
        for text in [
            "", "-", "+1", ".", "1.2.3", "1e", "1e+", "abc", "1 ", " 1", "1,5", "--1", "1e12345", "0x10", "NaN",
        ] {
            #expect(scaled(text) == nil, "\(text)")
            #expect(double(text) == nil, "\(text)")
        }
        #expect(OsmAndFixtures.with("+1") { DecimalText.scaled($0, scale: 0, allowPlus: true) } == 1)
    }

    @Test func limit() {
        #expect(scaled("90", limit: 1 << 40) == 900_000_000)
        #expect(scaled("999999999999999", limit: 1 << 40) == nil)
        #expect(scaled("9223372036854775807", 0) == nil)
    }

    /// Every E7 value's exact decimal text parses back to it.
    @Test func e7TextRoundTrips() {
        var rng = SeededRandom(seed: 0xD7)
        for _ in 0..<20_000 {
            let e7 = Int32(truncatingIfNeeded: Int64(rng.next() % 3_600_000_001) - 1_800_000_000)
            #expect(scaled(CoordinateE7.decimalString(e7)) == Int64(e7))
        }
    }

    /// `double` is correctly rounded for the digits phone apps send (equal to `Double(String)`,
    /// used here only as the reference).
    @Test func doublesMatchTheStandardLibrary() {
        var rng = SeededRandom(seed: 0xD8)
        var texts = ["0", "0.1", "0.2", "12.5", "-1", "1e3", "1.5E-3", "123456789012345", "0.000001", "359.99"]
        for _ in 0..<20_000 {
            let digits = 1 + Int(rng.next() % 15)
            var text = String(rng.next() % 1_000_000_000_000_000).prefix(digits)
            let point = Int(rng.next() % UInt64(text.count + 1))
            if point < text.count { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            texts.append((rng.next() % 2 == 0 ? "-" : "") + text)
        }
        for text in texts {
            #expect(double(text) == Double(text), "\(text)")
        }
    }
}
