import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808TimeTests {
    static func read(_ bytes: [UInt8]) -> Result<JT808Time, JT808Error> {
        JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in try JT808Time.read(&c) }
    }

    @Test func beijingToUTC() throws {
        // 2025-11-29 07:30:00 Beijing = 2025-11-28T23:30:00Z (the day boundary).
        let time = try Self.read([0x25, 0x11, 0x29, 0x07, 0x30, 0x00]).get()
        #expect(time.utcMs(referenceYear: 2025) == ISO8601.parse("2025-11-28T23:30:00Z".utf8))
        // Leap day, Beijing 2024-02-29 08:00:00 = 2024-02-29T00:00:00Z.
        let leap = try Self.read([0x24, 0x02, 0x29, 0x08, 0x00, 0x00]).get()
        #expect(leap.utcMs(referenceYear: 2026) == ISO8601.parse("2024-02-29T00:00:00Z".utf8))
        // New year in Beijing is still the old year in UTC.
        let newYear = try Self.read([0x26, 0x01, 0x01, 0x05, 0x00, 0x00]).get()
        #expect(newYear.utcMs(referenceYear: 2026) == ISO8601.parse("2025-12-31T21:00:00Z".utf8))
    }

    @Test func invalidBCDAndDates() {
        #expect(JT808Fixtures.error(Self.read([0x25, 0x1A, 0x01, 0, 0, 0])) == .badTime)
        #expect(JT808Fixtures.error(Self.read([0xA5, 0x11, 0x01, 0, 0, 0])) == .badTime)
        #expect(JT808Fixtures.error(Self.read([0x25, 0x11, 0x01, 0, 0, 0x0F])) == .badTime)
        if case .truncated = JT808Fixtures.error(Self.read([0x25, 0x11])) {} else { Issue.record("not truncated") }
        for bad: [UInt8] in [
            [0x25, 0x13, 0x01, 0, 0, 0], [0x25, 0x00, 0x01, 0, 0, 0], [0x25, 0x02, 0x29, 0, 0, 0],
            [0x25, 0x11, 0x31, 0, 0, 0], [0x25, 0x11, 0x00, 0, 0, 0], [0x25, 0x11, 0x01, 0x24, 0, 0],
            [0x25, 0x11, 0x01, 0, 0x60, 0], [0, 0, 0, 0, 0, 0],
        ] {
            let time = try? Self.read(bad).get()
            #expect(time != nil && time?.utcMs(referenceYear: 2025) == nil, "\(bad)")
        }
    }

    @Test func everyNibbleIsChecked() {
        for byte in 0...255 {
            let hi = byte >> 4
            let lo = byte & 0xF
            let ok = (try? Self.read([0x25, 0x11, 0x01, 0x10, 0x10, UInt8(byte)]).get()) != nil
            #expect(ok == (hi <= 9 && lo <= 9), "byte \(byte)")
        }
    }

    @Test func fullYearMatchesTheCoreRule() {
        for reference in stride(from: 1900, through: 2300, by: 7) {
            for yy in 0...99 {
                #expect(
                    JT808Time.fullYear(yy, referenceYear: reference)
                        == UTCTime.resolveTwoDigitYear(yy, referenceYear: reference), "\(yy) \(reference)")
            }
        }
        #expect(JT808Time.fullYear(25, referenceYear: 2026) == 2025)
        #expect(JT808Time.fullYear(99, referenceYear: 2026) == 1999)
        #expect(JT808Time.fullYear(5, referenceYear: 2099) == 2105)
    }
}

@Suite struct JT808ClockTests {
    @Test func clockGivesExactlyTheTimeRule() {
        var rng = SeededRandom(seed: 86_400)
        var clock = JT808Clock()
        clock.set(receivedMs: DecoderHarness.defaultReceivedMs)
        for _ in 0..<20_000 {
            // Mostly valid fields, sometimes out of range; dates repeat often (the cache path).
            let time = JT808Time(
                year: UInt8(rng.next() % 100), month: UInt8(rng.next() % 14), day: UInt8(rng.next() % 33),
                hour: UInt8(rng.next() % 26), minute: UInt8(rng.next() % 62), second: UInt8(rng.next() % 62))
            for t in [
                time, JT808Time(year: time.year, month: time.month, day: time.day, hour: 3, minute: 4, second: 5),
            ] {
                #expect(clock.utcMs(t) == t.utcMs(referenceYear: clock.referenceYear), "\(t)")
            }
        }
        // A new reference year (another century's nearest year) drops the cached date.
        let t = JT808Time(year: 99, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        let before = clock.utcMs(t)
        clock.set(receivedMs: 4_102_444_800_000)  // 2100
        #expect(clock.utcMs(t) != before)
        #expect(clock.utcMs(t) == t.utcMs(referenceYear: 2100))
    }
}
