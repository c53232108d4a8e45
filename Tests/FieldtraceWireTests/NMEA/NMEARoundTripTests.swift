import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Random fixes through `NMEAEncoder` and back: coordinates and times exact, other values to
/// the precision the sentences carry.
@Suite struct NMEARoundTripTests {
    static let receivedMs = NMEATest.nowMs

    static func randomFix(_ rng: inout SeededRandom, timeMs: Int64) -> Fix {
        let special: [(Int32, Int32)] = [
            (0, 0), (900_000_000, 1_800_000_000), (-900_000_000, -1_800_000_000), (-338_688_197, -1_512_092_955),
            (1, -1), (-1, 1_799_999_999), (523_456_789, -1_800_000_000),
        ]
        let (lat, lon): (Int32, Int32)
        if rng.next() % 4 == 0 {
            (lat, lon) = special[Int(rng.next() % UInt64(special.count))]
        } else {
            lat = Int32(Int64(rng.next() % 1_800_000_001) - 900_000_000)
            lon = Int32(Int64(rng.next() % 3_600_000_001) - 1_800_000_000)
        }
        let valid = rng.next() % 5 != 0
        return Fix(
            device: DeviceID("RT-\(rng.next() % 1000)")!, timeMs: timeMs, receivedMs: receivedMs,
            latitudeE7: lat, longitudeE7: lon,
            altitudeM: rng.next() % 3 == 0 ? nil : Double(Int64(rng.next() % 2_000_000) - 100_000) / 100,
            speedMps: rng.next() % 3 == 0 ? nil : Double(rng.next() % 100_000) / 1000,
            courseDeg: rng.next() % 3 == 0 ? nil : Double(rng.next() % 36_000) / 100,
            hdop: rng.next() % 3 == 0 ? nil : Double(rng.next() % 500) / 10,
            satellites: rng.next() % 3 == 0 ? nil : UInt8(rng.next() % 40),
            flags: valid ? .valid : [], source: .nmea)
    }

    static func check(_ decoded: Fix, _ fix: Fix, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(decoded.device == fix.device, sourceLocation: sourceLocation)
        #expect(decoded.timeMs == fix.timeMs, sourceLocation: sourceLocation)
        #expect(decoded.latitudeE7 == fix.latitudeE7, sourceLocation: sourceLocation)
        #expect(decoded.longitudeE7 == fix.longitudeE7, sourceLocation: sourceLocation)
        #expect(decoded.altitudeM == fix.altitudeM, sourceLocation: sourceLocation)
        #expect(decoded.hdop == fix.hdop, sourceLocation: sourceLocation)
        #expect(decoded.satellites == fix.satellites, sourceLocation: sourceLocation)
        #expect(decoded.isValid == fix.isValid, sourceLocation: sourceLocation)
        #expect((decoded.speedMps == nil) == (fix.speedMps == nil), sourceLocation: sourceLocation)
        if let a = decoded.speedMps, let b = fix.speedMps {
            #expect(abs(a - b) < 1e-4, sourceLocation: sourceLocation)
        }
        #expect(
            decoded.courseDeg.map { ($0 * 100).rounded() } == fix.courseDeg.map { ($0 * 100).rounded() },
            sourceLocation: sourceLocation)
        #expect(Plausibility.problems(decoded).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func randomFixesThroughEverySentenceMix() {
        var rng = SeededRandom(seed: 2024)
        let mixes: [[NMEAEncoder.Kind]] = [
            [.rmc, .gga, .gsa, .vtg], [.gga, .zda, .vtg], [.gns, .rmc], [.zda, .gll, .gga, .vtg],
        ]
        // 2008-01-01 ... now: inside the window where no week-rollover correction applies.
        let earliest = NMEATest.ms(2008, 1, 1)
        for _ in 0..<300 {
            var t = earliest + Int64(rng.next() % UInt64(Self.receivedMs - earliest))
            let mix = mixes[Int(rng.next() % UInt64(mixes.count))]
            var fixes: [Fix] = []
            let first = Self.randomFix(&rng, timeMs: t)
            for _ in 0..<5 {
                var fix = Self.randomFix(&rng, timeMs: t)
                fix.device = first.device
                if !mix.contains(.gga) && !mix.contains(.gns) { fix.altitudeM = nil }
                if !mix.contains(.rmc) && !mix.contains(.vtg) { fix.speedMps = nil; fix.courseDeg = nil }
                if !mix.contains(.gga) && !mix.contains(.gns) { fix.satellites = nil; fix.hdop = nil }
                if !mix.contains(.rmc) && !mix.contains(.gga) && !mix.contains(.gns) && !mix.contains(.gll) {
                    continue
                }
                fixes.append(fix)
                t += Int64(1 + rng.next() % 5000)
            }
            let bytes = NMEAEncoder.stream(
                fixes, kinds: mix, talker: ["GP", "GN", "GL", "GA", "BD"][Int(rng.next() % 5)])
            let result = DecoderHarness.run(NMEADecoder.self, chunks: [bytes], receivedMs: Self.receivedMs)
            #expect(result.counters.rejectedTotal == 0)
            #expect(result.fixes.count == fixes.count)
            for (decoded, fix) in zip(result.fixes, fixes) { Self.check(decoded, fix) }
        }
    }

    @Test func midnightAndLeapDay() {
        let device = DeviceID("RT-MIDNIGHT")!
        let times = [
            NMEATest.ms(2024, 2, 28, 23, 59, 59, 500), NMEATest.ms(2024, 2, 29),
            NMEATest.ms(2024, 2, 29, 23, 59, 59, 999),
            NMEATest.ms(2024, 3, 1, 0, 0, 0, 1), NMEATest.ms(2025, 12, 31, 23, 59, 59), NMEATest.ms(2026, 1, 1),
        ]
        var rng = SeededRandom(seed: 7)
        let fixes = times.map { t -> Fix in
            var f = Self.randomFix(&rng, timeMs: t)
            f.device = device
            f.speedMps = nil
            f.courseDeg = nil
            return f
        }
        // GGA-only after the first epoch: dates are carried across midnights.
        var text = NMEAEncoder.pgid(device.rawValue) + NMEAEncoder.epoch(fixes[0], kinds: [.rmc, .gga])
        for f in fixes.dropFirst() { text += NMEAEncoder.epoch(f, kinds: [.gga]) }
        let r = DecoderHarness.run(NMEADecoder.self, chunks: [Array(text.utf8)], receivedMs: Self.receivedMs)
        // 2024-03-01 -> 2025-12-31 is not a midnight wrap: GGA cannot know; the fixes after the
        // jump are dated wrongly, which is why GGA-only streams need RMC/ZDA now and then.
        #expect(r.fixes.prefix(4).map(\.timeMs) == Array(times.prefix(4)))
        for (decoded, fix) in zip(r.fixes.prefix(4), fixes) { Self.check(decoded, fix) }
    }
}
