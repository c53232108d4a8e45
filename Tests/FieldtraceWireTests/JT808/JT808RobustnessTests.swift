import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Seeded mutation of every sample: each mutated stream decodes to values or counted
/// rejections, never a crash or hang; every fix is plausible; the result does not depend on
/// how the bytes were split; nothing beyond the caps is held.
@Suite struct JT808RobustnessTests {
    @Test func mutatedSamplesNeverCrash() throws {
        var rng = SeededRandom(seed: 0x0808)
        var cases = 0
        for name in JT808Fixtures.sampleNames {
            let original = try JT808Fixtures.sampleStream(name)
            for _ in 0..<1500 {
                let mutated = Mutator.mutate(original, rng: &rng)
                let whole = JT808Fixtures.decode(mutated)
                for fix in whole.fixes {
                    #expect(Plausibility.problems(fix).isEmpty, "seed \(rng.seed) case \(cases): \(fix)")
                }
                // Every reply is a well-formed frame of the platform.
                for reply in whole.replies {
                    #expect(reply.first == 0x7E && reply.last == 0x7E && reply.count >= 15)
                    #expect(!reply.dropFirst().dropLast().contains(0x7E))
                }
                if cases % 10 == 0 {
                    let seed = rng.next()
                    #expect(
                        DecoderHarness.randomSplits(JT808Decoder.self, mutated, seed: seed) == whole,
                        "\(name) case \(cases) split seed \(seed)")
                }
                cases += 1
            }
        }
        #expect(cases == 6000)
    }

    @Test func mutatedFramesOneByOne() throws {
        // Mutate single frames (not whole streams) so the header and body parsers see most of
        // the damage, and feed each mutated frame between two good ones: the good ones survive.
        var encoder = JT808Encoder()
        let good = encoder.frame(messageID: 0x0200, body: JT808Encoder.locationBody(JT808Fixtures.fix()))
        var frames: [[UInt8]] = []
        for name in JT808Fixtures.sampleNames {
            let text = String(decoding: try SampleData.bytes("jt808/" + name), as: UTF8.self)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                if let frame = Hex.decode(String(line)), frame.first == 0x7E, frame.last == 0x7E {
                    frames.append(frame)
                }
            }
        }
        var rng = SeededRandom(seed: 0x7E7D)
        var survived = 0
        for i in 0..<4000 {
            let mutated = Mutator.mutate(frames[i % frames.count], rng: &rng)
            let result = JT808Fixtures.decode(good + mutated + [0x7E] + good)
            #expect(result.fixes.allSatisfy { Plausibility.problems($0).isEmpty })
            if result.fixes.first == JT808Fixtures.fix(), result.fixes.last == JT808Fixtures.fix() { survived += 1 }
        }
        #expect(survived == 4000)
    }

    @Test func randomGarbageNeverCrashes() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<500 {
            let n = Int(rng.next() % 3000)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next() % 5 == 0 ? 0x7E : rng.next()) }
            let result = JT808Fixtures.decode(bytes)
            #expect(result.fixes.allSatisfy { Plausibility.problems($0).isEmpty })
        }
    }

    @Test func endlessFrameIsCappedNotBuffered() {
        // 1 MiB without a closing flag: one too_long, and the decoder holds only its fixed buffer.
        var configuration = WireConfiguration()
        configuration.limits.jt808FrameMaxBytes = 4096
        let stream = [0x7E] + [UInt8](repeating: 0x41, count: 1 << 20)
        let result = DecoderHarness.run(
            JT808Decoder.self,
            chunks: stride(from: 0, to: stream.count, by: 65_536).map {
                Array(stream[$0..<min(stream.count, $0 + 65_536)])
            }, configuration: configuration)
        #expect(JT808Fixtures.rejected(result) == ["too_long": 1])
        #expect(result.counters.frames == 1)
    }

    @Test func maximalDeclaredLengthsAreRejectedAtOnce() {
        var encoder = JT808Encoder()
        // Body length bits all set (1023) with no body; batch count 65535 with one byte; item
        // length 65535; item declaring 255 bytes.
        let cases: [[UInt8]] = [
            JT808Encoder.wrap(encoder.header(messageID: 0x0200, bodyLength: 1023, serial: 0)),
            encoder.frame(messageID: 0x0704, body: [0xFF, 0xFF, 0x00, 0x01]),
            encoder.frame(messageID: 0x0704, body: [0x00, 0x01, 0x00, 0xFF, 0xFF, 1, 2, 3]),
            encoder.frame(
                messageID: 0x0200, body: JT808Encoder.locationBody(JT808Fixtures.fix()) + [0x99, 0xFF, 1]),
            encoder.frame(messageID: 0x0200, body: [], package: (0xFFFF, 0xFFFF)),
        ]
        for frame in cases {
            let result = JT808Fixtures.decode(frame)
            #expect(result.fixes.isEmpty)
            #expect(result.counters.rejectedTotal == 1, "\(Hex.encode(frame))")
            #expect(result.replies.count == 1)
        }
    }
}
