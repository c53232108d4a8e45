import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06DecoderTests {
    let login = GT06Encoder.login(imei: GT06Fixtures.imei, serial: 1)

    /// A session with every message kind and some malformed frames.
    var session: [UInt8] {
        var bytes = login
        bytes += GT06Encoder.location(GT06Fixtures.fix(), serial: 2)
        bytes += [0x00, 0xFF, 0x12]  // garbage between frames
        bytes += GT06Encoder.location(GT06Fixtures.fix(speedMps: 0), protocolNumber: 0x22, reupload: true, serial: 3)
        bytes += GT06Encoder.heartbeat(serial: 4)
        var badCRC = GT06Encoder.location(GT06Fixtures.fix(), serial: 5)
        badCRC[10] ^= 0x40
        bytes += badCRC
        bytes += GT06Encoder.alarm(GT06Fixtures.fix(latitudeE7: -1, longitudeE7: -1), serial: 6)
        bytes += GT06Encoder.frame(protocolNumber: 0x94, content: [0x00, 0x01, 0x2C], serial: 7, longForm: true)
        var badStop = GT06Encoder.heartbeat(serial: 8)
        badStop[badStop.count - 2] = 0x0A
        bytes += badStop
        bytes += GT06Encoder.location(GT06Fixtures.fix(valid: false), serial: 9)
        return bytes
    }

    @Test func sessionOutcome() {
        let result = DecoderHarness.whole(GT06Decoder.self, session)
        #expect(result.fixes.count == 4)
        #expect(result.fixes.map(\.isLate) == [false, true, false, false])
        #expect(result.fixes.map(\.isValid) == [true, true, true, false])
        #expect(
            result.replies == [
                GT06Encoder.ack(protocolNumber: 0x01, serial: 1), GT06Encoder.ack(protocolNumber: 0x12, serial: 2),
                GT06Encoder.ack(protocolNumber: 0x22, serial: 3), GT06Encoder.ack(protocolNumber: 0x13, serial: 4),
                GT06Encoder.ack(protocolNumber: 0x16, serial: 6), GT06Encoder.ack(protocolNumber: 0x12, serial: 9),
            ])
        #expect(
            result.counters.summary
                == "frames=10 fixes=4 ignored=3 rejected=3 (bad_checksum=1 bad_framing=2)")
        #expect(result.identity?.rawValue == GT06Fixtures.imei)
        for fix in result.fixes { #expect(Plausibility.problems(fix).isEmpty) }
    }

    /// The framer gives the same result fed all at once, one byte at a time and in random splits.
    @Test func splitInvariance() {
        let bytes = session
        let whole = DecoderHarness.whole(GT06Decoder.self, bytes)
        #expect(DecoderHarness.dripFed(GT06Decoder.self, bytes).comparable == whole.comparable)
        for seed in UInt64(1)...50 {
            #expect(DecoderHarness.randomSplits(GT06Decoder.self, bytes, seed: seed).comparable == whole.comparable)
        }
    }

    @Test func garbageRunIsCountedOnce() {
        let garbage = [UInt8](repeating: 0x55, count: 100)
        let result = DecoderHarness.dripFed(GT06Decoder.self, garbage + login + garbage + garbage)
        #expect(result.counters.summary == "frames=3 fixes=0 ignored=1 rejected=2 (bad_framing=2)")
        #expect(result.rejections.map(\.offset) == [0, 100 + login.count])
    }

    @Test func dataBeforeLoginHasNoIdentity() {
        let location = GT06Encoder.location(GT06Fixtures.fix(), serial: 1)
        let result = DecoderHarness.whole(GT06Decoder.self, location + login + location)
        #expect(result.fixes.count == 1)
        #expect(
            result.replies == [
                GT06Encoder.ack(protocolNumber: 1, serial: 1), GT06Encoder.ack(protocolNumber: 0x12, serial: 1),
            ])
        #expect(result.counters.summary == "frames=3 fixes=1 ignored=1 rejected=1 (no_identity=1)")
    }

    @Test func unknownProtocolIsRejectedWithoutAck() {
        let unknown = GT06Encoder.frame(protocolNumber: 0x55, content: [1, 2, 3], serial: 2)
        let result = DecoderHarness.whole(GT06Decoder.self, login + unknown)
        #expect(result.replies.count == 1)
        #expect(result.counters.summary == "frames=2 fixes=0 ignored=1 rejected=1 (unknown_message=1)")
    }

    @Test func cutOffFrameIsIncompleteAtFinish() {
        let location = GT06Encoder.location(GT06Fixtures.fix(), serial: 2)
        let result = DecoderHarness.whole(GT06Decoder.self, login + location.dropLast(6))
        #expect(result.counters.summary == "frames=2 fixes=0 ignored=1 rejected=1 (incomplete=1)")
        #expect(result.rejections.first?.offset == login.count)
    }

    /// A frame cut short and followed by a whole one: the declared length swallows the next
    /// frame's start, the stop bytes are wrong, and the resync finds the next frame.
    @Test func truncatedFrameInTheMiddleResyncs() {
        let cut = Array(GT06Encoder.location(GT06Fixtures.fix(), serial: 2).dropLast(6))
        let next = GT06Encoder.location(GT06Fixtures.fix(), serial: 3)
        let result = DecoderHarness.dripFed(GT06Decoder.self, login + cut + next + next)
        #expect(result.fixes.count == 2)
        #expect(result.counters.summary == "frames=4 fixes=2 ignored=1 rejected=1 (bad_framing=1)")
    }

    @Test func hugeDeclaredLengthIsRejectedAtOnce() {
        var decoder = GT06Decoder(configuration: .init())
        var output = WireOutput()
        decoder.consume([0x79, 0x79, 0xFF, 0xFF, 0x01], receivedMs: GT06Fixtures.receivedMs, into: &output)
        #expect(output.counters.rejected[.tooLong] == 1)
        #expect(decoder.pending.count <= 1)
        #expect(decoder.pending.capacity < 4096)
    }

    /// The buffer never holds more than one capped frame, whatever arrives.
    @Test func pendingBufferStaysWithinTheCap() {
        var configuration = WireConfiguration()
        configuration.limits.gt06FrameMaxBytes = 300
        var rng = SeededRandom(seed: 77)
        var decoder = GT06Decoder(configuration: configuration)
        var output = WireOutput()
        for _ in 0..<2000 {
            var chunk = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if rng.next() % 3 == 0 { chunk += [0x79, 0x79, UInt8(truncatingIfNeeded: rng.next() % 2), 0x20] }
            decoder.consume(chunk, receivedMs: GT06Fixtures.receivedMs, into: &output)
            #expect(decoder.pending.count <= 300)
            output.clearBatch()
        }
    }

    @Test func errorsCarryOffsetAndBytes() {
        var badCRC = GT06Fixtures.docLocation
        badCRC[20] ^= 1
        let result = DecoderHarness.whole(GT06Decoder.self, GT06Fixtures.docLogin + badCRC)
        let error = result.rejections.first
        #expect(error?.reason == .badChecksum)
        #expect(error?.wireProtocol == .gt06)
        #expect(error?.offset == GT06Fixtures.docLogin.count)
        #expect(error?.bytes == badCRC)
    }
}

extension DecodeResult {
    /// Everything but the kept rejections' details (which hold the same reasons and offsets).
    var comparable: [String] {
        fixes.map(\.jsonLine) + replies.map { Hex.encode($0) } + [counters.summary, identity?.rawValue ?? "-"]
            + rejections.prefix(16).map { "\($0.reason)@\($0.offset)" }
    }
}
