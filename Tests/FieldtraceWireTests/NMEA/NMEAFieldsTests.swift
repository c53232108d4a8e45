import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAFieldsTests {
    /// Degrees as the exact rational dd + mm.mmmm/60, rounded half away from zero to 1e-7,
    /// computed with a different method than the decoder (decimal digits of minutes / 60 as
    /// a long division on the whole digit string).
    static func reference(_ text: String, degreeDigits: Int, negative: Bool) -> Int32 {
        let degrees = Int64(text.prefix(degreeDigits))!
        let minutesText = text.dropFirst(degreeDigits)
        let parts = minutesText.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        // minutes = N / 10^k; e7 = N * 10^7 / (60 * 10^k), using decimal digits one at a time.
        var numerator: [Int] = Array(String(parts[0]) + fraction).map { Int(String($0))! }
        numerator += Array(repeating: 0, count: 7)  // * 10^7
        let k = fraction.count
        // divide the digit string by 60 * 10^k: first drop k digits' worth by treating the last k
        // digits as a fractional remainder.
        var quotient: Int64 = 0
        var remainder: Int64 = 0
        let denominator: Int64 = 60
        let integerDigits = numerator.count - k
        for (i, d) in numerator.enumerated() {
            remainder = remainder * 10 + Int64(d)
            if i < integerDigits {
                quotient = quotient * 10 + remainder / denominator
                remainder %= denominator
            }
        }
        // remainder / (60 * 10^k) is the fraction left: round half up.
        var scale: Int64 = 60
        for _ in 0..<k { scale *= 10 }
        let rounded = quotient + (remainder * 2 >= scale ? 1 : 0)
        let value = degrees * 10_000_000 + rounded
        return Int32(negative ? -value : value)
    }

    static func latitude(_ text: String, _ hemisphere: String) throws -> Int32? {
        try NMEATest.withFields(text + "," + hemisphere) { f in try f.latitudeE7() }
    }

    static func longitude(_ text: String, _ hemisphere: String) throws -> Int32? {
        try NMEATest.withFields(text + "," + hemisphere) { f in try f.longitudeE7() }
    }

    @Test func coordinatesAreExact() throws {
        #expect(try Self.latitude("4807.038", "N") == 481_173_000)
        #expect(try Self.longitude("01131.000", "E") == 115_166_667)
        #expect(try Self.latitude("3351.6129182", "S") == -338_602_153)
        #expect(try Self.longitude("18000.0000", "W") == -1_800_000_000)
        #expect(try Self.latitude("9000.00", "N") == 900_000_000)
        #expect(try Self.latitude("0000.0000", "S") == 0)
        #expect(try Self.latitude("", "") == nil)
        #expect(try Self.latitude("", "N") == nil)
        // Half way: 0.000003 minute = 0.5e-7 degree rounds away from zero.
        #expect(try Self.latitude("0000.000003", "N") == 1)
        #expect(try Self.latitude("0000.000003", "S") == -1)
        #expect(try Self.latitude("0000.0000029999", "N") == 0)
        // Digits past 9 decimals are read but cannot change the result.
        #expect(try Self.latitude("0000.0000030000000001", "N") == 1)
    }

    @Test func coordinatesMatchAnIndependentComputation() throws {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<5000 {
            let deg = Int(rng.next() % 90)
            let min = Int(rng.next() % 60)
            let decimals = Int(rng.next() % 9)
            var frac = ""
            for _ in 0..<decimals { frac += String(rng.next() % 10) }
            let text = String(format2(deg)) + String(format2(min)) + (decimals > 0 ? "." + frac : "")
            let south = rng.next() % 2 == 0
            let expected = Self.reference(text, degreeDigits: 2, negative: south)
            #expect(try Self.latitude(text, south ? "S" : "N") == expected, "\(text)")
        }
    }

    func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    @Test func badCoordinatesThrow() {
        for (text, hemi) in [
            ("4807.038", ""), ("4807.038", "X"), ("4860.000", "N"), ("9000.001", "N"), ("48a7.038", "N"),
            ("07.038", "N"), ("480700.1", "N"), ("4807.0.1", "N"), ("4807.038", "NN"),
        ] {
            #expect(throws: NMEAError.self, "\(text),\(hemi)") { try Self.latitude(text, hemi) }
        }
        #expect(throws: NMEAError.self) { try Self.longitude("18000.001", "E") }
    }

    @Test func decimals() throws {
        func d(_ t: String, signed: Bool = false) throws -> Double? {
            try NMEATest.withFields(t) { f in try f.decimal(signed: signed) }
        }
        #expect(try d("") == nil)
        #expect(try d("12.5") == 12.5)
        #expect(try d("12.5,7") == 12.5)
        #expect(try d("0.1") == 0.1)
        #expect(try d("054.7") == 54.7)
        #expect(try d("5.") == 5)
        #expect(try d(".5") == 0.5)
        #expect(try d("-12.25", signed: true) == -12.25)
        #expect(try d("123456789.1234567") == 123_456_789.123456)  // 15 significant digits kept
        #expect(try d("0.0000000000000000001") == 0)
        for bad in ["-1", "1.2.3", "abc", ".", "1e5", "+", "12 "] {
            #expect(throws: NMEAError.self, "\(bad)") { try d(bad) }
        }
        #expect(throws: NMEAError.self) { try d("1234567890123456") }
    }

    @Test func timesOfDay() throws {
        func t(_ text: String) throws -> Int32? { try NMEATest.withFields(text) { f in try f.timeOfDayMs() } }
        #expect(try t("") == nil)
        #expect(try t("000000") == 0)
        #expect(try t("123519") == 45_319_000)
        #expect(try t("123519.5") == 45_319_500)
        #expect(try t("123519.25") == 45_319_250)
        #expect(try t("235959.999") == 86_399_999)
        #expect(try t("235959.9999") == 86_399_999)  // truncated to ms
        #expect(try t("235960.000") == 86_400_000)  // leap second
        #expect(throws: NMEAError.badTime) { try t("240000") }
        #expect(throws: NMEAError.badTime) { try t("126000") }
        #expect(throws: NMEAError.self) { try t("12351") }
        #expect(throws: NMEAError.self) { try t("123519;5") }
        #expect(throws: NMEAError.self) { try t("12351a") }
    }

    @Test func missingTrailingFieldsAreEmpty() {
        NMEATest.withFields("a,b") { f in
            #expect(f.next().count == 1)
            #expect(f.next().count == 1)
            #expect(f.next().isEmpty)
            #expect(f.next().isEmpty)
        }
        NMEATest.withFields("") { f in
            #expect(f.next().isEmpty)
            #expect(f.next().isEmpty)
        }
    }

    @Test func twoDigitYearsMatchCore() {
        for reference in [1999, 2000, 2025, 2026, 2049, 2050, 2051, 2070, 2099, 2100] {
            for yy in 0..<100 {
                #expect(
                    NMEAReferenceYear.resolve(yy, referenceYear: reference)
                        == UTCTime.resolveTwoDigitYear(yy, referenceYear: reference), "\(yy) near \(reference)")
            }
        }
    }
}
