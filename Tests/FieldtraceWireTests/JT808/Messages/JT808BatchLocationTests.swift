import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808BatchLocationTests {
    static func items(_ n: Int) -> [[UInt8]] {
        (0..<n).map { i in
            JT808Encoder.locationBody(JT808Fixtures.fix(timeMs: 1_764_325_230_000 + Int64(i) * 1000))
        }
    }

    @Test func readsHeaderAndItems() throws {
        let body = JT808Encoder.batchBody(Self.items(3), backfill: true)
        try body.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            let batch = try JT808BatchLocation.readHeader(&cursor)
            #expect(batch.count == 3 && batch.isBackfill)
            for i in 0..<3 {
                var item = try JT808BatchLocation.nextItem(&cursor)
                let location = try JT808Location.read(&item)
                #expect(location.time.second == UInt8(30 + i))
            }
            #expect(cursor.isAtEnd)
        }
    }

    @Test func decoderFlagsBackfillAsLate() {
        var encoder = JT808Encoder()
        let normal = encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(Self.items(2), backfill: false))
        let blind = encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(Self.items(3), backfill: true))
        let result = JT808Fixtures.decode(normal + blind)
        #expect(result.fixes.count == 5)
        #expect(result.fixes.prefix(2).allSatisfy { !$0.isLate && !$0.flags.contains(.backfill) })
        #expect(result.fixes.suffix(3).allSatisfy { $0.isLate && $0.flags.contains(.backfill) })
        #expect(result.fixes.allSatisfy { Plausibility.problems($0).isEmpty })
        #expect(
            result.replies == [
                encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0704, result: 0),
                encoder.generalReply(platformSerial: 1, replySerial: 1, replyID: 0x0704, result: 0),
            ])
        #expect(result.counters.frames == 2 && result.counters.fixes == 5)
    }

    @Test func badItemsAreCountedGoodOnesKept() {
        var encoder = JT808Encoder()
        var items = Self.items(3)
        items[1][23] = 0x13  // month 13
        let frame = encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(items, backfill: false))
        let result = JT808Fixtures.decode(frame)
        #expect(result.fixes.count == 2)
        #expect(JT808Fixtures.rejected(result) == ["bad_time": 1])
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0704, result: 0)])
    }

    @Test func brokenStructureStopsAndAnswersMessageError() {
        var encoder = JT808Encoder()
        // Declares 5 items, carries 1 whole and a cut one: one fix, one truncated, reply 0.
        var body = JT808Encoder.batchBody(Self.items(2), backfill: false)
        body[1] = 5
        body.removeLast(4)
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0704, body: body))
        #expect(result.fixes.count == 1)
        #expect(JT808Fixtures.rejected(result) == ["truncated": 1])
        // Unknown type: the whole batch is refused with result 2.
        let bad = encoder.frame(messageID: 0x0704, body: [0, 1, 2] + [0, 0])
        let badResult = JT808Fixtures.decode(bad)
        #expect(JT808Fixtures.rejected(badResult) == ["bad_field": 1])
        #expect(
            badResult.replies == [encoder.generalReply(platformSerial: 0, replySerial: 1, replyID: 0x0704, result: 2)])
        // Bytes after the last item.
        let trailing = encoder.frame(
            messageID: 0x0704, body: JT808Encoder.batchBody(Self.items(1), backfill: false) + [1])
        let trailingResult = JT808Fixtures.decode(trailing)
        #expect(trailingResult.fixes.count == 1)
        #expect(JT808Fixtures.rejected(trailingResult) == ["bad_length": 1])
        // Empty batch: ignored, ok.
        let empty = JT808Fixtures.decode(encoder.frame(messageID: 0x0704, body: [0, 0, 0]))
        #expect(empty.counters.ignored == 1 && empty.counters.rejected.isEmpty && empty.replies.count == 1)
    }

    @Test func declaredCountOf65535AllocatesNothingPerMissingItem() {
        var encoder = JT808Encoder()
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0704, body: [0xFF, 0xFF, 0]))
        #expect(result.fixes.isEmpty)
        #expect(result.counters.rejectedTotal == 1)
    }
}
