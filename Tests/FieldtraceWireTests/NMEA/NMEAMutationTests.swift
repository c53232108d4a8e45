import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Seeded mutation of every sample: each mutated input decodes to plausible fixes and
/// counted rejections, never a crash or a hang, through both decoders and in random splits.
@Suite struct NMEAMutationTests {
    @Test func mutatedSamples() throws {
        var cases = 0
        for (name, body) in try NMEADecoderTests.sampleBodies() {
            var rng = SeededRandom(seed: 0x4E4D_4541 ^ UInt64(body.count))
            for _ in 0..<400 {
                let input = Mutator.mutate(body, rng: &rng)
                let whole = DecoderHarness.run(NMEADecoder.self, chunks: [input], receivedMs: NMEATest.nowMs)
                NMEATest.expectPlausible(whole.fixes)
                #expect(whole.counters.fixes == whole.fixes.count, "\(name) seed \(rng.seed)")
                let split = DecoderHarness.run(
                    NMEADecoder.self, chunks: DecoderHarness.split(input, seed: rng.next()), receivedMs: NMEATest.nowMs)
                // Rejections kept per batch differ with the batching; everything else may not.
                #expect(split.fixes == whole.fixes, "\(name): splits differ")
                #expect(split.counters == whole.counters, "\(name): splits differ")
                let datagram = DecoderHarness.run(NMEADatagramDecoder.self, chunks: [input], receivedMs: NMEATest.nowMs)
                NMEATest.expectPlausible(datagram.fixes)
                cases += 1
            }
        }
        #expect(cases >= 4000)
    }

    @Test func lenientModeOnMutatedSamples() throws {
        var config = WireConfiguration()
        config.lenientNMEAChecksum = true
        for (_, body) in try NMEADecoderTests.sampleBodies() {
            var rng = SeededRandom(seed: 77)
            for _ in 0..<100 {
                // Strip every checksum, then mutate: the field parsers see raw damage.
                var stripped: [UInt8] = []
                var skip = 0
                for b in body {
                    if b == UInt8(ascii: "*") { skip = 3 }
                    if skip > 0 {
                        skip -= 1
                        continue
                    }
                    stripped.append(b)
                }
                let input = Mutator.mutate(stripped, rng: &rng)
                let r = DecoderHarness.run(
                    NMEADecoder.self, chunks: [input], configuration: config, receivedMs: NMEATest.nowMs)
                NMEATest.expectPlausible(r.fixes)
            }
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SeededRandom(seed: 1)
        for _ in 0..<300 {
            let n = Int(rng.next() % 2000)
            let bytes = (0..<n).map { _ -> UInt8 in
                let r = rng.next()
                return r % 5 == 0 ? [0x24, 0x2A, 0x2C, 0x0A, 0x0D][Int(r / 5 % 5)] : UInt8(truncatingIfNeeded: r >> 8)
            }
            var config = WireConfiguration()
            config.lenientNMEAChecksum = true
            let r = DecoderHarness.run(
                NMEADecoder.self, chunks: [NMEAEncoder.pgid("X").utf8.map { $0 } + bytes],
                configuration: config, receivedMs: NMEATest.nowMs)
            NMEATest.expectPlausible(r.fixes)
        }
    }
}
