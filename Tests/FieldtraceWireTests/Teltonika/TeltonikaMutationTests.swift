import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

/// Seeded mutation of every sample: each mutated input decodes to plausible fixes or counted
/// rejections, never a crash or hang, and a TCP stream decodes the same whole and split.
@Suite struct TeltonikaMutationTests {
    static let casesPerSample = 600

    @Test func tcpSamplesSurviveMutation() throws {
        var total = 0
        for (name, lines) in try TeltonikaFixtures.captures("teltonika") {
            let bytes = lines.flatMap { $0 }
            var rng = SeededRandom(seed: 0x5EED_7E17 ^ UInt64(bytes.count))
            for round in 0..<Self.casesPerSample {
                let mutated = Mutator.mutate(bytes, rng: &rng)
                let whole = DecoderHarness.whole(TeltonikaTCPDecoder.self, mutated)
                TeltonikaFixtures.expectPlausible(whole.fixes, "\(name) seed \(rng.seed) round \(round)")
                #expect(whole.counters.fixes == whole.fixes.count)
                if round % 10 == 0 {
                    let split = DecoderHarness.randomSplits(TeltonikaTCPDecoder.self, mutated, seed: UInt64(round))
                    #expect(split.fixes == whole.fixes, "\(name) seed \(rng.seed) round \(round)")
                    #expect(split.replies == whole.replies, "\(name) seed \(rng.seed) round \(round)")
                    #expect(split.counters == whole.counters, "\(name) seed \(rng.seed) round \(round)")
                }
                total += 1
            }
        }
        #expect(total >= 5000)
    }

    @Test func tcpPacketsWithoutHandshakeVariantsSurviveMutation() throws {
        // Mutate single packets behind a good handshake, so the packet parser itself sees garbage
        // that passes framing (the CRC is recomputed after the mutation).
        var rng = SeededRandom(seed: 0xC0DE)
        let hello = TeltonikaFixtures.docHandshake
        for round in 0..<3000 {
            let codec: TeltonikaCodec = round % 2 == 0 ? .codec8 : .codec8E
            let io = codec == .codec8E ? TeltonikaEncoder.extendedIO : TeltonikaEncoder.typicalIO
            let records = (0..<(1 + Int(rng.next() % 4))).map { _ in
                TeltonikaEncoder.randomRecord(&rng, timeMs: TeltonikaFixtures.receivedMs - 60_000, io: io)
            }
            let data = Mutator.mutate(TeltonikaEncoder.avlData(records, codec: codec), rng: &rng)
            let result = DecoderHarness.whole(
                TeltonikaTCPDecoder.self, hello + TeltonikaEncoder.tcpPacket(avlData: data))
            TeltonikaFixtures.expectPlausible(result.fixes, "seed 0xC0DE round \(round)")
            #expect(result.replies.count == 2 || result.counters.rejected[.unknownMessage] == 1)
        }
    }

    @Test func udpSamplesSurviveMutation() throws {
        for (name, lines) in try TeltonikaFixtures.captures("teltonika-udp") {
            var rng = SeededRandom(seed: 0xD47A ^ UInt64(lines.count))
            for round in 0..<Self.casesPerSample {
                let datagrams = lines.map { Mutator.mutate($0, rng: &rng) }
                let result = DecoderHarness.run(TeltonikaUDPDecoder.self, chunks: datagrams)
                TeltonikaFixtures.expectPlausible(result.fixes, "\(name) seed \(rng.seed) round \(round)")
                #expect(result.counters.frames == datagrams.count)
                #expect(result.replies.allSatisfy { $0.count == 7 })
            }
        }
    }

    @Test func randomBytesSurvive() {
        var rng = SeededRandom(seed: 99)
        for round in 0..<2000 {
            let bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let tcp = DecoderHarness.whole(
                TeltonikaTCPDecoder.self, round % 2 == 0 ? TeltonikaFixtures.docHandshake + bytes : bytes)
            TeltonikaFixtures.expectPlausible(tcp.fixes)
            let udp = DecoderHarness.whole(TeltonikaUDPDecoder.self, bytes)
            TeltonikaFixtures.expectPlausible(udp.fixes)
        }
    }
}
