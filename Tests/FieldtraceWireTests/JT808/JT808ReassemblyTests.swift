import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808ReassemblyTests {
    static let body = JT808Encoder.locationBody(JT808Fixtures.fix())

    @Test func splitLocationAcksEachPackageAndDecodesOnce() {
        var encoder = JT808Encoder(serial: 10)
        let frames = encoder.splitFrames(messageID: 0x0200, body: Self.body, cuts: [5, 17])
        let stream = frames.flatMap { $0 }
        let result = JT808Fixtures.decode(stream)
        #expect(result.fixes == [JT808Fixtures.fix()])
        #expect(
            result.replies
                == (0..<3).map {
                    encoder.generalReply(
                        platformSerial: UInt16($0), replySerial: UInt16(10 + $0), replyID: 0x0200, result: 0)
                })
        #expect(result.counters.frames == 3 && result.counters.rejected.isEmpty)
        #expect(DecoderHarness.dripFed(JT808Decoder.self, stream) == result)
        for seed in UInt64(1)...10 {
            #expect(DecoderHarness.randomSplits(JT808Decoder.self, stream, seed: seed) == result)
        }
    }

    @Test func packagesOutOfOrderAndResent() {
        var encoder = JT808Encoder(serial: 10)
        let f = encoder.splitFrames(messageID: 0x0200, body: Self.body, cuts: [5, 17])
        let result = JT808Fixtures.decode(f[2] + f[0] + f[0] + f[1])
        #expect(result.fixes == [JT808Fixtures.fix()])
        #expect(result.replies.count == 4)
    }

    @Test func singlePackageMessage() {
        var encoder = JT808Encoder()
        let frames = encoder.splitFrames(messageID: 0x0200, body: Self.body, cuts: [])
        #expect(JT808Fixtures.decode(frames[0]).fixes == [JT808Fixtures.fix()])
    }

    @Test func badPackageNumbersAreMessageErrors() {
        for (count, index): (UInt16, UInt16) in [(0, 0), (2, 0), (2, 3), (0xFFFF, 1)] {
            var encoder = JT808Encoder()
            let frame = encoder.frame(messageID: 0x0200, body: [1, 2, 3], package: (count, index))
            let result = JT808Fixtures.decode(frame)
            #expect(result.counters.rejectedTotal == 1, "\(count) \(index)")
            #expect(
                result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0200, result: 2)])
        }
    }

    @Test func pendingMessagesAreBounded() throws {
        var reassembly = JT808Reassembly()
        var dropped = 0
        let chunk = [UInt8](repeating: 1, count: 1000)
        // Six different 2-package messages: the oldest two are evicted.
        for m in 0..<6 {
            let header = JT808Header(
                messageID: 0x0200, attributes: 0x2000 | 1000, phone: JT808Phone(digits: JT808Fixtures.phone)!,
                serial: UInt16(m * 2), packageCount: 2, packageIndex: 1)
            let whole = try chunk.withUnsafeBytes { (raw) throws(JT808Error) in
                try reassembly.add(header: header, body: raw, receivedMs: 0, dropped: &dropped)
            }
            #expect(whole == nil)
        }
        #expect(dropped == 2)
        #expect(reassembly.pending.count == JT808Reassembly.maxPendingMessages)
        #expect(reassembly.bufferedBytes == 4000)
        // Stale after two minutes of receive time.
        let late = JT808Header(
            messageID: 0x0200, attributes: 0x2000 | 1000, phone: JT808Phone(digits: JT808Fixtures.phone)!,
            serial: 100, packageCount: 2, packageIndex: 1)
        _ = try chunk.withUnsafeBytes { (raw) throws(JT808Error) in
            try reassembly.add(header: late, body: raw, receivedMs: 120_001, dropped: &dropped)
        }
        #expect(dropped == 6)
        #expect(reassembly.pending.count == 1 && reassembly.bufferedBytes == 1000)
        #expect(reassembly.removeAll() == 1)
    }

    @Test func messageBeyondTheByteCapIsRejected() {
        var reassembly = JT808Reassembly()
        var dropped = 0
        let chunk = [UInt8](repeating: 1, count: 1023)
        var failures = 0
        for index in 1...64 {
            let header = JT808Header(
                messageID: 0x0704, attributes: 0x2000 | 1023, phone: JT808Phone(digits: JT808Fixtures.phone)!,
                serial: UInt16(index), packageCount: 64, packageIndex: UInt16(index))
            let result = chunk.withUnsafeBytes { raw in
                Result { () throws(JT808Error) in
                    try reassembly.add(header: header, body: raw, receivedMs: 0, dropped: &dropped)
                }
            }
            if case .failure = result { failures += 1 }
            if case .success(let whole?) = result { #expect(whole.count == 64 * 1023) }
        }
        #expect(failures == 0)
        #expect(reassembly.bufferedBytes == 0)
        let tooMany = JT808Header(
            messageID: 0x0704, attributes: 0x2000 | 1, phone: JT808Phone(digits: JT808Fixtures.phone)!, serial: 0,
            packageCount: 65, packageIndex: 1)
        let error = [UInt8]([1]).withUnsafeBytes { raw in
            JT808Fixtures.error(
                Result { () throws(JT808Error) in
                    try reassembly.add(header: tooMany, body: raw, receivedMs: 0, dropped: &dropped)
                })
        }
        #expect(error == .messageTooLong(limitBytes: JT808Reassembly.maxBufferedBytes))
    }

    @Test func unknownSplitMessagesAreNotBuffered() {
        var encoder = JT808Encoder()
        let frames = encoder.splitFrames(messageID: 0x0801, body: [UInt8](repeating: 9, count: 100), cuts: [50])
        let result = JT808Fixtures.decode(frames.flatMap { $0 })
        #expect(JT808Fixtures.rejected(result) == ["unknown_message": 2])
        #expect(
            result.replies == [
                encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0801, result: 3),
                encoder.generalReply(platformSerial: 1, replySerial: 1, replyID: 0x0801, result: 3),
            ])
    }

    @Test func pendingAtEndOfStreamIsCounted() {
        var encoder = JT808Encoder()
        let frames = encoder.splitFrames(messageID: 0x0200, body: Self.body, cuts: [10])
        let result = JT808Fixtures.decode(frames[0])
        #expect(JT808Fixtures.rejected(result) == ["split_dropped": 1])
        #expect(result.fixes.isEmpty && result.replies.count == 1)
    }
}
