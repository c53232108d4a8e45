import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Random fixes through the test encoder (written from the spec) and back through the decoder:
/// every value survives to the protocol's unit (1e-6 degree, second, 0.1 km/h, metre, degree).
@Suite struct JT808RoundTripTests {
    /// A random fix in units the protocol carries exactly: whole 1e-6 degrees, whole seconds,
    /// whole 0.1 km/h, whole metres and degrees.
    static func randomFix(_ rng: inout SeededRandom, timeMs: Int64? = nil) -> Fix {
        let lat = Int32(Int64(rng.next() % 180_000_001) - 90_000_000) * 10
        let lon = Int32(Int64(rng.next() % 360_000_001) - 180_000_000) * 10
        let start: Int64 = 1_577_836_800_000  // 2020-01-01
        let t = timeMs ?? (start + Int64(rng.next() % UInt64(6 * 365 * 86_400)) * 1000)
        let sats: UInt8? = rng.next() % 4 == 0 ? nil : UInt8(rng.next() % 40)
        return Fix(
            device: JT808Fixtures.device, timeMs: t, receivedMs: JT808Fixtures.receivedMs, latitudeE7: lat,
            longitudeE7: lon, altitudeM: Double(rng.next() % 9000), speedMps: Double(rng.next() % 3000) / 36,
            courseDeg: Double(rng.next() % 360), satellites: sats, flags: rng.next() % 5 == 0 ? [] : .valid,
            source: .jt808)
    }

    static func roundTrip(_ fixes: [Fix], backfill: Bool? = nil, edition2019: Bool = false) -> DecodeResult {
        var encoder =
            edition2019
            ? JT808Encoder(phone: JT808Fixtures.phone2019, edition2019: true) : JT808Encoder()
        var stream: [UInt8] = []
        if let backfill {
            let items = fixes.map { JT808Encoder.locationBody($0) }
            stream = encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(items, backfill: backfill))
        } else {
            for fix in fixes { stream += encoder.frame(messageID: 0x0200, body: JT808Encoder.locationBody(fix)) }
        }
        return JT808Fixtures.decode(stream)
    }

    @Test func randomFixes() {
        var rng = SeededRandom(seed: 808)
        let fixes = (0..<2000).map { _ in Self.randomFix(&rng) }
        let result = Self.roundTrip(fixes)
        #expect(result.fixes == fixes, "seed \(rng.seed)")
        #expect(result.counters.rejected.isEmpty)
        #expect(result.fixes.allSatisfy { Plausibility.problems($0).isEmpty })
    }

    @Test func edgeCases() {
        let device = JT808Fixtures.device
        func fix(_ lat: Int32, _ lon: Int32, _ iso: String) -> Fix {
            Fix(
                device: device, timeMs: ISO8601.parse(iso.utf8)!, receivedMs: JT808Fixtures.receivedMs,
                latitudeE7: lat, longitudeE7: lon, altitudeM: 0, speedMps: 0, courseDeg: 0, flags: .valid,
                source: .jt808)
        }
        let fixes = [
            fix(-338_688_200, 1_512_092_960, "2024-02-29T00:00:00Z"),  // leap day, UTC midnight
            fix(-338_688_200, -1_800_000_000, "2024-02-28T16:00:00Z"),  // Beijing midnight of the leap day
            fix(0, 1_800_000_000, "2024-02-29T23:59:59Z"),  // antimeridian east
            fix(-10, -1_799_999_990, "2024-03-01T00:00:00Z"),  // just west of it, just south
            fix(900_000_000, 0, "2025-12-31T16:00:00Z"),  // Beijing new year
            fix(-900_000_000, -10, "2025-12-31T23:59:59Z"),
            fix(-225_000_000, -431_700_000, "2020-01-01T00:00:00Z"),
        ]
        let result = Self.roundTrip(fixes)
        #expect(result.fixes == fixes)
    }

    @Test func batchesAnd2019() {
        var rng = SeededRandom(seed: 2019)
        let fixes = (0..<30).map { _ in Self.randomFix(&rng) }
        let blind = Self.roundTrip(fixes, backfill: true)
        #expect(blind.fixes.map(\.latitudeE7) == fixes.map(\.latitudeE7))
        #expect(blind.fixes.allSatisfy { $0.isLate && $0.flags.contains(.backfill) })
        let normal = Self.roundTrip(fixes, backfill: false)
        #expect(normal.fixes == fixes)
        let edition2019 = Self.roundTrip(fixes, edition2019: true)
        #expect(edition2019.fixes.map(\.timeMs) == fixes.map(\.timeMs))
        #expect(edition2019.fixes.allSatisfy { $0.device.rawValue == JT808Fixtures.phone2019 })
    }
}
