import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Random fixes through the independent encoder (query form in every timestamp style and
/// wrapping, JSON single and batch) and back.
@Suite struct OsmAndRoundTripTests {
    static let specialTimes: [Int64] = [
        ISO8601.parse("2024-02-29T12:00:00Z".utf8)!,  // leap day
        ISO8601.parse("2024-02-29T23:59:59.999Z".utf8)!,
        ISO8601.parse("2026-01-01T00:00:00Z".utf8)!,  // UTC midnight
        ISO8601.parse("2025-12-31T23:59:59.5Z".utf8)!,
    ]
    static let specialPlaces: [(Int32, Int32)] = [
        (-338_688_197, 1_512_092_955), (407_127_753, -740_059_728), (-346_037_345, -583_815_704),
        (-180_000_000, 1_800_000_000), (-180_000_000, -1_800_000_000), (0, 0), (900_000_000, -1),
        (-900_000_000, 1),
    ]

    static func randomFix(_ n: Int, _ rng: inout SeededRandom) -> Fix {
        let special = n < specialTimes.count * specialPlaces.count
        let timeMs =
            special
            ? specialTimes[n % specialTimes.count]
            : 946_684_800_000 + Int64(rng.next() % 3_000_000_000_000)
        let (lat, lon) =
            special
            ? specialPlaces[n / specialTimes.count]
            : (
                Int32(Int64(rng.next() % 1_800_000_001) - 900_000_000),
                Int32(Int64(rng.next() % 3_600_000_001) - 1_800_000_000)
            )
        return Fix(
            device: DeviceID("phone-\(n % 7)")!, timeMs: timeMs, latitudeE7: lat, longitudeE7: lon,
            altitudeM: rng.next() % 3 == 0 ? nil : Double(Int(rng.next() % 900_000) - 1000) / 100,
            speedMps: rng.next() % 4 == 0 ? nil : Double(rng.next() % 6000) / 100,
            courseDeg: rng.next() % 4 == 0 ? nil : Double(rng.next() % 3600) / 10,
            accuracyM: rng.next() % 3 == 0 ? nil : Double(rng.next() % 10_000) / 100,
            flags: .valid, source: .osmand)
    }

    func expectSame(_ decoded: Fix, _ fix: Fix, _ label: String) {
        #expect(decoded.device == fix.device, "\(label)")
        #expect(decoded.timeMs == fix.timeMs, "\(label)")
        #expect(decoded.latitudeE7 == fix.latitudeE7, "\(label)")
        #expect(decoded.longitudeE7 == fix.longitudeE7, "\(label)")
        #expect(decoded.altitudeM == fix.altitudeM, "\(label)")
        #expect(decoded.courseDeg == fix.courseDeg, "\(label)")
        #expect(decoded.accuracyM == fix.accuracyM, "\(label)")
        #expect(decoded.speedMps.map { ($0 * 1e9).rounded() } == fix.speedMps.map { ($0 * 1e9).rounded() }, "\(label)")
        #expect(decoded.receivedMs == OsmAndFixtures.receivedMs)
        #expect(decoded.flags == .valid)
        #expect(Plausibility.problems(decoded).isEmpty, "\(label)")
    }

    @Test func queryForm() throws {
        var rng = SeededRandom(seed: 0x0A11)
        for n in 0..<2000 {
            var fix = Self.randomFix(n, &rng)
            let style = OsmAndEncoder.TimeStyle.allCases[n % 3]
            let wrapping = OsmAndEncoder.Wrapping.allCases[(n / 3) % 4]
            let request = OsmAndEncoder.query(fix, time: style, wrapping: wrapping)
            let result = OsmAndFixtures.decode([request])
            let decoded = try #require(result.fixes.first, "case \(n): \(request) \(result.rejections)")
            fix.hdop = nil
            expectSame(decoded, fix, "case \(n): \(request)")
        }
    }

    @Test func jsonForm() throws {
        var rng = SeededRandom(seed: 0x0A12)
        for n in 0..<500 {
            let count = 1 + n % 4
            let device = DeviceID("phone-\(n)")!
            let fixes = (0..<count).map { k in
                var fix = Self.randomFix(n * 4 + k, &rng)
                fix.device = device
                return fix
            }
            let request = OsmAndEncoder.json(fixes, device: device, batch: n % 2 == 0 ? nil : true)
            let result = OsmAndFixtures.decode([request])
            #expect(result.fixes.count == count, "case \(n): \(result.rejections)")
            for (decoded, fix) in zip(result.fixes, fixes) { expectSame(decoded, fix, "case \(n)") }
        }
    }
}
