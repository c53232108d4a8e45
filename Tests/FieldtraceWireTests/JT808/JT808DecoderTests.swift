import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// The decoder end to end: identity, replies, the order of checks, counters.
@Suite struct JT808DecoderTests {
    static let body = JT808Encoder.locationBody(JT808Fixtures.fix())

    @Test func locationGivesFixAndAck() {
        var encoder = JT808Encoder(serial: 0x22)
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0200, body: Self.body))
        #expect(result.fixes == [JT808Fixtures.fix()])
        #expect(
            result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0x22, replyID: 0x0200, result: 0)])
        #expect(result.identity == JT808Fixtures.device)
        #expect(result.counters.summary == "frames=1 fixes=1 ignored=0 rejected=0")
    }

    @Test func edition2019TerminalIsAnsweredIn2019() {
        var encoder = JT808Encoder(phone: JT808Fixtures.phone2019, edition2019: true, serial: 5)
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0200, body: Self.body))
        #expect(result.fixes == [JT808Fixtures.fix(device: JT808Fixtures.phone2019)])
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 5, replyID: 0x0200, result: 0)])
        #expect(result.replies[0][3] & 0x40 != 0)
    }

    @Test func refusedTerminalGetsNoFixes() {
        var encoder = JT808Encoder()
        var configuration = WireConfiguration()
        let asked = JT808CallCounter()
        configuration.isDeviceAllowed = { id in
            asked.increment()
            return id.rawValue != JT808Fixtures.phone
        }
        let stream = (0..<3).flatMap { _ in encoder.frame(messageID: 0x0200, body: Self.body) }
        let result = JT808Fixtures.decode(stream, configuration: configuration)
        #expect(result.fixes.isEmpty)
        #expect(JT808Fixtures.rejected(result) == ["device_refused": 3])
        #expect(
            result.replies
                == (0..<3).map {
                    encoder.generalReply(
                        platformSerial: UInt16($0), replySerial: UInt16($0), replyID: 0x0200, result: 1)
                })
        #expect(result.identity == nil)
        #expect(asked.value == 1, "asked once per terminal per connection")
    }

    @Test func badCheckWithReadableHeaderIsAnsweredWithMessageError() {
        var encoder = JT808Encoder(serial: 9)
        let plain = encoder.header(messageID: 0x0200, bodyLength: Self.body.count, serial: 9) + Self.body
        let frame = JT808Encoder.wrap(plain, check: plain.reduce(0, ^) ^ 0xFF)
        let result = JT808Fixtures.decode(frame)
        #expect(JT808Fixtures.rejected(result) == ["bad_checksum": 1])
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 9, replyID: 0x0200, result: 2)])
        #expect(result.rejections.first?.bytes.count == plain.count + 1)
        // Check failing and header unreadable (bad BCD): no reply.
        var bad = plain
        bad[4] = 0xAB
        let unreadable = JT808Fixtures.decode(JT808Encoder.wrap(bad, check: 0))
        #expect(unreadable.replies.isEmpty && unreadable.counters.rejectedTotal == 1)
        _ = encoder.nextSerial()
    }

    @Test func orderOfChecks() {
        var encoder = JT808Encoder()
        // Wrong body length wins over encryption and unknown ids.
        let plain = encoder.header(messageID: 0x0999, bodyLength: 3, serial: 0, attributes: 0x0400) + [1, 2]
        let result = JT808Fixtures.decode(JT808Encoder.wrap(plain))
        #expect(JT808Fixtures.rejected(result) == ["bad_length": 1])
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0999, result: 2)])
        // Encrypted: unsupported, result 3.
        let encrypted = JT808Fixtures.decode(
            encoder.frame(messageID: 0x0200, body: Self.body, serial: 1, attributes: 0x0400))
        #expect(JT808Fixtures.rejected(encrypted) == ["unsupported": 1])
        #expect(
            encrypted.replies == [encoder.generalReply(platformSerial: 0, replySerial: 1, replyID: 0x0200, result: 3)])
        // Unknown id: result 3.
        let unknown = JT808Fixtures.decode(encoder.frame(messageID: 0x0003, body: [], serial: 2))
        #expect(JT808Fixtures.rejected(unknown) == ["unknown_message": 1])
        #expect(
            unknown.replies == [encoder.generalReply(platformSerial: 0, replySerial: 2, replyID: 0x0003, result: 3)])
    }

    @Test func identityChangesWithThePhoneNumber() {
        var a = JT808Encoder(phone: "013900000001")
        var b = JT808Encoder(phone: "013900000002")
        var decoder = JT808Decoder(configuration: .init())
        var output = WireOutput()
        decoder.consume(
            a.frame(messageID: 0x0200, body: Self.body), receivedMs: JT808Fixtures.receivedMs, into: &output)
        #expect(output.identity?.rawValue == "013900000001")
        output.clearBatch()
        decoder.consume(a.frame(messageID: 0x0002, body: []), receivedMs: JT808Fixtures.receivedMs, into: &output)
        #expect(output.identity == nil, "unchanged identity is not announced again")
        decoder.consume(
            b.frame(messageID: 0x0200, body: Self.body), receivedMs: JT808Fixtures.receivedMs, into: &output)
        #expect(output.identity?.rawValue == "013900000002")
        #expect(decoder.identity?.rawValue == "013900000002")
        #expect(output.fixes.last?.device.rawValue == "013900000002")
    }

    @Test func samplesDecodeTheSameWholeDripFedAndSplit() throws {
        for name in JT808Fixtures.sampleNames {
            let stream = try JT808Fixtures.sampleStream(name)
            let whole = JT808Fixtures.decode(stream)
            #expect(whole.counters.frames > 0, "\(name)")
            #expect(whole.fixes.allSatisfy { Plausibility.problems($0).isEmpty }, "\(name)")
            #expect(DecoderHarness.dripFed(JT808Decoder.self, stream) == whole, "\(name) drip-fed")
            for seed in UInt64(1)...10 {
                #expect(DecoderHarness.randomSplits(JT808Decoder.self, stream, seed: seed) == whole, "\(name) \(seed)")
            }
        }
    }

    @Test func rejectionsCarryOffsetsAndAtMost64Bytes() {
        var encoder = JT808Encoder()
        let good = encoder.frame(messageID: 0x0200, body: Self.body)
        let long = encoder.frame(messageID: 0x0999, body: [UInt8](repeating: 0x33, count: 200))
        let result = JT808Fixtures.decode(good + long)
        #expect(result.rejections.count == 1)
        #expect(result.rejections[0].offset == good.count)
        #expect(result.rejections[0].bytes.count == WireError.maxBytes)
        #expect(result.rejections[0].wireProtocol == .jt808)
    }
}

/// A thread-safe counter for `@Sendable` closures in tests.
final class JT808CallCounter: @unchecked Sendable {
    private var count = 0
    func increment() { count += 1 }
    var value: Int { count }
}
