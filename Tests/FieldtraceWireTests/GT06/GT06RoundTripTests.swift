import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Random fixes through the independent encoder and back: the decoder returns exactly what the
/// wire can carry (`GT06Encoder.quantized`), within one wire unit (0.56e-6 degree) of the input.
@Suite struct GT06RoundTripTests {
    static let specialTimes: [Int64] = [
        ISO8601.parse("2024-02-29T12:00:00Z".utf8)!,  // leap day
        ISO8601.parse("2024-02-29T23:59:59Z".utf8)!,
        ISO8601.parse("2025-12-31T23:59:59Z".utf8)!,  // last second of a year
        ISO8601.parse("2026-01-01T00:00:00Z".utf8)!,  // UTC midnight, new year
        ISO8601.parse("2000-01-01T00:00:00Z".utf8)!,  // first GT06 year
    ]
    static let specialPlaces: [(Int32, Int32)] = [
        (-338_688_197, 1_512_092_955),  // Sydney: south, east
        (407_127_753, -740_059_728),  // New York: north, west
        (-346_037_345, -583_815_704),  // Buenos Aires: south, west
        (-180_000_000, 1_800_000_000),  // antimeridian, east side
        (-180_000_000, -1_800_000_000),  // antimeridian, west side
        (0, 0), (900_000_000, 0), (-900_000_000, -1),
    ]

    @Test func randomFixesRoundTrip() throws {
        var rng = SeededRandom(seed: 0x0612)
        for n in 0..<3000 {
            let special = n < Self.specialTimes.count * Self.specialPlaces.count
            let timeMs: Int64
            let latitudeE7: Int32
            let longitudeE7: Int32
            if special {
                timeMs = Self.specialTimes[n % Self.specialTimes.count]
                (latitudeE7, longitudeE7) = Self.specialPlaces[n / Self.specialTimes.count]
            } else {
                timeMs = 946_684_800_000 + Int64(rng.next() % 3_155_760_000) * 1000 + Int64(rng.next() % 1000)
                latitudeE7 = Int32(Int64(rng.next() % 1_800_000_001) - 900_000_000)
                longitudeE7 = Int32(Int64(rng.next() % 3_600_000_001) - 1_800_000_000)
            }
            let fix = Fix(
                device: GT06Fixtures.device, timeMs: timeMs, latitudeE7: latitudeE7, longitudeE7: longitudeE7,
                speedMps: Double(rng.next() % 7000) / 100, courseDeg: Double(rng.next() % 36000) / 100,
                satellites: UInt8(rng.next() % 20), flags: rng.next() % 5 == 0 ? [] : .valid)
            // Received within a day of the fix time, so no rollover correction applies.
            let receivedMs = timeMs + Int64(rng.next() % 86_400_000)
            let kind = n % 3
            let late = kind == 1 && rng.next() % 2 == 0
            let frame =
                kind == 2
                ? GT06Encoder.alarm(fix, serial: UInt16(n & 0xFFFF))
                : GT06Encoder.location(
                    fix, protocolNumber: kind == 0 ? 0x12 : 0x22, reupload: late, serial: UInt16(n & 0xFFFF))
            let result = DecoderHarness.run(
                GT06Decoder.self, chunks: [GT06Encoder.login(imei: GT06Fixtures.imei) + frame], receivedMs: receivedMs)
            let decoded = try #require(result.fixes.first, "case \(n): \(result.counters.summary)")
            let expected = GT06Encoder.quantized(fix, late: late, receivedMs: receivedMs)
            #expect(decoded.device == expected.device)
            #expect(decoded.timeMs == expected.timeMs, "case \(n)")
            #expect(decoded.latitudeE7 == expected.latitudeE7, "case \(n)")
            #expect(decoded.longitudeE7 == expected.longitudeE7, "case \(n)")
            #expect(abs(Int64(decoded.latitudeE7) - Int64(latitudeE7)) <= 3, "case \(n)")
            #expect(abs(Int64(decoded.longitudeE7) - Int64(longitudeE7)) <= 3, "case \(n)")
            #expect(abs(decoded.speedMps! - expected.speedMps!) < 1e-9, "case \(n)")
            #expect(decoded.courseDeg == expected.courseDeg, "case \(n)")
            #expect(decoded.satellites == expected.satellites, "case \(n)")
            #expect(decoded.flags == expected.flags, "case \(n)")
            #expect(decoded.receivedMs == receivedMs)
            #expect(Plausibility.problems(decoded).isEmpty, "case \(n)")
            #expect(result.replies.count == 2)
        }
    }
}
