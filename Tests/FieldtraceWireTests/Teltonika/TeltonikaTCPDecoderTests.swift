import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaTCPDecoderTests {
    let hello = TeltonikaFixtures.docHandshake

    @Test func documentedPacketIsAcknowledgedWithItsRecordCount() {
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, hello + TeltonikaFixtures.docCodec8)
        #expect(result.replies == [[0x01], [0, 0, 0, 1]])
        #expect(result.fixes.count == 1)
        #expect(result.fixes.first?.isValid == false)
        #expect(result.fixes.first?.timeMs == 0x16B_40D8_EA30)
        #expect(result.counters.frames == 2)
        TeltonikaFixtures.expectPlausible(result.fixes)
    }

    @Test func severalRecordsPerPacketBothCodecs() {
        let records = (0..<7).map { TeltonikaFixtures.berlin(Int64($0) * 10) }
        let bytes =
            hello + TeltonikaEncoder.tcpPacket(records)
            + TeltonikaEncoder.tcpPacket(
                records.map {
                    var r = $0; r.io = TeltonikaEncoder.extendedIO; return r
                }, codec: .codec8E)
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, bytes)
        #expect(result.replies == [[0x01], [0, 0, 0, 7], [0, 0, 0, 7]])
        #expect(result.fixes.count == 14)
        #expect(result.fixes.map(\.timeMs) == (records + records).map(\.timestampMs))
        TeltonikaFixtures.expectPlausible(result.fixes)
    }

    @Test func badCRCIsAnsweredZeroAndTheStreamGoesOn() {
        var bad = TeltonikaFixtures.docCodec8
        bad[bad.count - 1] ^= 0xFF
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, hello + bad + TeltonikaFixtures.docCodec8)
        #expect(result.replies == [[0x01], [0, 0, 0, 0], [0, 0, 0, 1]])
        #expect(result.counters.rejected == [.badChecksum: 1])
        #expect(result.fixes.count == 1)
        #expect(!result.shouldClose)
    }

    @Test func aBadPacketKeepsNoneOfItsFixes() {
        let records = (0..<3).map { TeltonikaFixtures.berlin(Int64($0)) }
        let data = TeltonikaEncoder.avlData(records, count: 3, countAgain: 4)
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, hello + TeltonikaEncoder.tcpPacket(avlData: data))
        #expect(result.fixes.isEmpty)
        #expect(result.counters.fixes == 0)
        #expect(result.counters.rejected == [.badLength: 1])
        #expect(result.replies == [[0x01], [0, 0, 0, 0]])
    }

    @Test func aBadRecordIsLeftOutButAcknowledged() {
        var records = (0..<3).map { TeltonikaFixtures.berlin(Int64($0)) }
        records[1].latitudeE7 = 950_000_000
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, hello + TeltonikaEncoder.tcpPacket(records))
        #expect(result.fixes.map(\.timeMs) == [records[0].timestampMs, records[2].timestampMs])
        #expect(result.counters.rejected == [.badField: 1])
        #expect(result.replies == [[0x01], [0, 0, 0, 3]])
    }

    @Test func unknownCodecIsNotAnswered() {
        let codec12: [UInt8] = [0x0C, 0x01, 0x06, 0, 0, 0, 2, 0x4F, 0x4B, 0x01]
        let result = DecoderHarness.whole(
            TeltonikaTCPDecoder.self, hello + TeltonikaEncoder.tcpPacket(avlData: codec12))
        #expect(result.replies == [[0x01]])
        #expect(result.counters.rejected == [.unknownMessage: 1])
        #expect(!result.shouldClose)
    }

    @Test func emptyPacketIsIgnoredAndAnsweredZero() {
        let result = DecoderHarness.whole(
            TeltonikaTCPDecoder.self, hello + TeltonikaEncoder.tcpPacket(avlData: [0x08, 0, 0]))
        #expect(result.replies == [[0x01], [0, 0, 0, 0]])
        #expect(result.counters.ignored == 2)
        #expect(result.counters.rejected.isEmpty)
    }

    @Test func declared2Pow31ClosesAtOnceAndBuffersNothing() {
        var decoder = TeltonikaTCPDecoder(configuration: .init())
        var output = WireOutput()
        decoder.consume(hello, receivedMs: 0, into: &output)
        output.clearBatch()
        decoder.consume([0, 0, 0, 0, 0x80, 0, 0, 0], receivedMs: 0, into: &output)
        #expect(output.shouldClose)
        #expect(output.counters.rejected == [.tooLong: 1])
        output.clearBatch()
        // Later bytes are dropped, never buffered or counted.
        decoder.consume(TeltonikaFixtures.docCodec8, receivedMs: 0, into: &output)
        decoder.finish(into: &output)
        #expect(output.shouldClose)
        #expect(output.fixes.isEmpty)
        #expect(output.counters.frames == 2)
    }

    @Test func nonZeroPreambleCloses() {
        var bad = TeltonikaFixtures.docCodec8
        bad[0] = 0x7E
        let result = DecoderHarness.dripFed(TeltonikaTCPDecoder.self, hello + bad + TeltonikaFixtures.docCodec8)
        #expect(result.shouldClose)
        #expect(result.counters.rejected == [.badFraming: 1])
        #expect(result.fixes.isEmpty)
        #expect(result.replies == [[0x01]])
    }

    @Test func streamEndingInsideAPacketIsIncomplete() {
        let bytes = hello + TeltonikaFixtures.docCodec8 + TeltonikaFixtures.docCodec8.prefix(20)
        let result = DecoderHarness.whole(TeltonikaTCPDecoder.self, bytes)
        #expect(result.fixes.count == 1)
        #expect(result.counters.rejected == [.incomplete: 1])
        #expect(result.counters.frames == 3)
    }

    @Test func smallerConfiguredCapIsEnforced() {
        var configuration = WireConfiguration()
        configuration.limits.teltonikaPacketMaxBytes = TeltonikaFixtures.docCodec8.count - 1
        let result = DecoderHarness.whole(
            TeltonikaTCPDecoder.self, hello + TeltonikaFixtures.docCodec8, configuration: configuration)
        #expect(result.counters.rejected == [.tooLong: 1])
        #expect(result.shouldClose)
    }

    /// Every TCP sample gives the same fixes, replies and counters whole, one byte at a time and
    /// in random splits.
    @Test func samplesDecodeTheSameHoweverSplit() throws {
        for (name, lines) in try TeltonikaFixtures.captures("teltonika") {
            let bytes = lines.flatMap { $0 }
            let whole = DecoderHarness.whole(TeltonikaTCPDecoder.self, bytes)
            #expect(whole.counters.frames > 0, "\(name)")
            TeltonikaFixtures.expectPlausible(whole.fixes, name)
            let drip = DecoderHarness.dripFed(TeltonikaTCPDecoder.self, bytes)
            #expect(drip.fixes == whole.fixes, "\(name) drip-fed")
            #expect(drip.replies == whole.replies, "\(name) drip-fed")
            #expect(drip.counters == whole.counters, "\(name) drip-fed")
            #expect(drip.shouldClose == whole.shouldClose, "\(name) drip-fed")
            for seed in UInt64(1)...20 {
                let split = DecoderHarness.randomSplits(TeltonikaTCPDecoder.self, bytes, seed: seed)
                #expect(split.fixes == whole.fixes, "\(name) seed \(seed)")
                #expect(split.replies == whole.replies, "\(name) seed \(seed)")
                #expect(split.counters == whole.counters, "\(name) seed \(seed)")
            }
        }
    }

    @Test func bufferedFrameNeverExceedsItsDeclaredLength() {
        // A packet fed in two halves, the second half followed by a whole packet in the same call.
        let packet = TeltonikaEncoder.tcpPacket((0..<5).map { TeltonikaFixtures.berlin(Int64($0)) })
        let half = packet.count / 2
        let result = DecoderHarness.run(
            TeltonikaTCPDecoder.self, chunks: [hello + packet.prefix(half), Array(packet[half...]) + packet])
        #expect(result.fixes.count == 10)
        #expect(result.replies == [[0x01], [0, 0, 0, 5], [0, 0, 0, 5]])
    }
}
