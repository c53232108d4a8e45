import FieldtraceCore
import Testing

@Suite struct ISO8601Tests {
    @Test func formatsWithMilliseconds() {
        #expect(ISO8601.format(ms: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601.format(ms: 1_709_251_199_123) == "2024-02-29T23:59:59.123Z")
        #expect(ISO8601.format(ms: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test(arguments: [
        ("2024-02-29T23:59:59Z", 1_709_251_199_000 as Int64),
        ("2024-02-29T23:59:59.5Z", 1_709_251_199_500),
        ("2024-02-29T23:59:59.123456Z", 1_709_251_199_123),
        ("2024-03-01T07:59:59+08:00", 1_709_251_199_000),
        ("2024-02-29T18:59:59-0500", 1_709_251_199_000),
        ("2024-02-29 23:59:59", 1_709_251_199_000),
        ("2024-02-29T23:59Z", 1_709_251_140_000),
    ])
    func parses(text: String, expected: Int64) {
        #expect(ISO8601.parse(text.utf8) == expected)
    }

    @Test(arguments: [
        "", "2024", "2024-02-30T00:00:00Z", "2024-02-29T24:00:00Z", "2024-02-29T23:59:59.Z", "2024-02-29T23:59:59Q",
        "2024-02-29T23:59:59+25:00", "2024-02-29X23:59:59Z", "2024-02-29T23:59:59Z ",
    ])
    func rejects(text: String) {
        #expect(ISO8601.parse(text.utf8) == nil)
    }

    @Test func roundTrip() {
        for ms: Int64 in [0, 951_868_800_000, 1_709_251_199_123, 4_102_444_799_999] {
            #expect(ISO8601.parse(ISO8601.format(ms: ms).utf8) == ms)
        }
    }
}
