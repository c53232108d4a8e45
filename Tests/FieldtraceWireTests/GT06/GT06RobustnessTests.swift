import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Seeded mutation of every sample capture: each mutated stream decodes to values or counted
/// rejections, never a crash or hang; every fix is plausible; every frame ends as exactly one
/// outcome; and the result does not depend on how the bytes were split.
@Suite struct GT06RobustnessTests {
    static func sampleStreams() throws -> [(name: String, bytes: [UInt8])] {
        var streams: [(String, [UInt8])] = []
        let dir = SampleData.directory + "/gt06"
        for name in ["session.hex", "before-login.hex"] {
            let text = String(decoding: try SampleData.readFile(dir + "/" + name), as: UTF8.self)
            var bytes: [UInt8] = []
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                bytes += Hex.decode(String(line)) ?? []
            }
            streams.append((name, bytes))
        }
        return streams
    }

    @Test func mutatedSamplesNeverCrash() throws {
        let streams = try Self.sampleStreams()
        #expect(streams.allSatisfy { !$0.bytes.isEmpty })
        var rng = SeededRandom(seed: 0x0607)
        var cases = 0
        for (name, original) in streams {
            for _ in 0..<1500 {
                let mutated = Mutator.mutate(original, rng: &rng)
                let whole = DecoderHarness.whole(GT06Decoder.self, mutated)
                let c = whole.counters
                #expect(c.frames == c.fixes + c.ignored + c.rejectedTotal, "\(name) seed \(rng.seed) case \(cases)")
                for fix in whole.fixes {
                    #expect(Plausibility.problems(fix).isEmpty, "\(name) case \(cases): \(fix)")
                }
                let split = DecoderHarness.randomSplits(GT06Decoder.self, mutated, seed: UInt64(cases))
                #expect(split.comparable == whole.comparable, "\(name) case \(cases): split changed the result")
                cases += 1
            }
        }
        #expect(cases == 3000)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededRandom(seed: 0x6060)
        for n in 0..<2000 {
            var bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Plant start pairs so the framer is exercised, not just the scanner.
            for _ in 0..<3 where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: rng.next() % 2 == 0 ? [0x78, 0x78] : [0x79, 0x79], at: at)
            }
            let result = DecoderHarness.dripFed(GT06Decoder.self, bytes)
            let c = result.counters
            #expect(c.frames == c.fixes + c.ignored + c.rejectedTotal, "case \(n)")
        }
    }
}
