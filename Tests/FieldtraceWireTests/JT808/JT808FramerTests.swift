import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// The framer alone: un-escaping, check, cap, resynchronisation, and the same frames whatever
/// the reads look like.
@Suite struct JT808FramerTests {
    enum Event: Equatable {
        case frame([UInt8])
        case error(JT808Error)
    }

    /// Runs a framer over chunks, collecting frames (un-escaped, check included) and errors.
    static func run(_ chunks: [[UInt8]], maxFrameBytes: Int = 4096) -> [Event] {
        var framer = JT808Framer(maxFrameBytes: maxFrameBytes)
        var events: [Event] = []
        var stream = 0
        for chunk in chunks {
            chunk.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    do throws(JT808Error) {
                        guard let frame = try framer.next(raw, offset: &offset, streamOffset: stream) else { break }
                        events.append(.frame(Array(framer.buffer[0..<frame.byteCount])))
                    } catch {
                        events.append(.error(error))
                    }
                }
            }
            stream += chunk.count
        }
        if let error = framer.finish() { events.append(.error(error)) }
        return events
    }

    static func plain(_ bytes: [UInt8]) -> [UInt8] { bytes + [bytes.reduce(0, ^)] }

    let heartbeat: [UInt8] = [0x00, 0x02, 0x00, 0x00, 0x01, 0x39, 0x12, 0x34, 0x56, 0x78, 0x00, 0x03]

    @Test func unescapesAndChecks() {
        // Header bytes holding 0x7E and 0x7D, so the frame needs both escapes.
        let header: [UInt8] = [0x00, 0x02, 0x00, 0x00, 0x01, 0x39, 0x12, 0x34, 0x56, 0x78, 0x7E, 0x7D]
        let wire = JT808Encoder.wrap(header)
        #expect(wire.contains(0x7D))
        #expect(Self.run([wire]) == [.frame(Self.plain(header))])
    }

    @Test func wholeDripFedAndRandomSplitsGiveTheSameFrames() throws {
        for name in JT808Fixtures.sampleNames {
            let stream = try JT808Fixtures.sampleStream(name)
            let whole = Self.run([stream])
            #expect(whole.count > 3, "\(name)")
            #expect(Self.run(stream.map { [$0] }) == whole, "\(name) drip-fed")
            for seed in UInt64(1)...20 {
                #expect(Self.run(DecoderHarness.split(stream, seed: seed)) == whole, "\(name) seed \(seed)")
            }
        }
    }

    @Test func badCheckIsThrownWithBothBytes() {
        let plain = Self.plain(heartbeat)
        var wrong = plain
        wrong[wrong.count - 1] ^= 0x01
        let wire = [0x7E] + JT808Encoder.escape(wrong) + [0x7E]
        #expect(Self.run([wire]) == [.error(.badChecksum(expected: plain.last!, actual: wrong.last!))])
    }

    @Test func consecutiveFlagsAndEmptyFrames() {
        let wire = JT808Encoder.wrap(heartbeat)
        // end + start, doubled flags, empty frames between.
        let stream = wire + wire + [0x7E, 0x7E, 0x7E] + wire
        #expect(Self.run([stream]) == Array(repeating: .frame(Self.plain(heartbeat)), count: 3))
        // A shared 0x7E (end of one = start of the next) loses the second frame only when it
        // follows a good frame: the bytes are counted as between frames.
        let shared = wire + Array(wire.dropFirst())
        #expect(Self.run([shared]).count == 2)
    }

    @Test func bytesBetweenFramesAreOneRejectionPerRun() {
        let wire = JT808Encoder.wrap(heartbeat)
        let events = Self.run([wire + [1, 2, 3], [4, 5] + wire])
        #expect(
            events == [
                .frame(Self.plain(heartbeat)), .error(.bytesBetweenFrames(count: 5)), .frame(Self.plain(heartbeat)),
            ])
        #expect(Self.run([[9, 9, 9]]) == [.error(.bytesBetweenFrames(count: 3))])
    }

    @Test func badEscapeSkipsToTheNextFlag() {
        let wire = JT808Encoder.wrap(heartbeat)
        let bad: [UInt8] = [0x7E, 0x00, 0x02, 0x7D, 0x03, 0x11, 0x22, 0x7E]
        #expect(Self.run([bad + wire]) == [.error(.badEscape(byte: 0x03)), .frame(Self.plain(heartbeat))])
        let escapeThenFlag: [UInt8] = [0x7E, 0x00, 0x7D, 0x7E]
        #expect(Self.run([escapeThenFlag + wire]) == [.error(.badEscape(byte: 0x7E)), .frame(Self.plain(heartbeat))])
    }

    @Test func tooShortIsTruncated() {
        let short = JT808Encoder.wrap(Array(heartbeat.prefix(8)))
        #expect(Self.run([short]) == [.error(.truncated(neededBytes: 13, availableBytes: 9))])
    }

    @Test func tooLongDropsToTheNextFlagThenResynchronises() {
        let wire = JT808Encoder.wrap(heartbeat)
        let long = JT808Encoder.wrap(heartbeat + Array(repeating: 0x41, count: 100))
        #expect(
            Self.run([long + wire], maxFrameBytes: 64) == [
                .error(.frameTooLong(limitBytes: 64)), .frame(Self.plain(heartbeat)),
            ])
        // A frame of exactly the cap passes; one more byte does not.
        let exact = JT808Encoder.wrap(heartbeat + Array(repeating: 0x41, count: 64 - 2 - 13))
        #expect(exact.count == 64)
        #expect(Self.run([exact], maxFrameBytes: 64).count == 1)
        if case .frame = Self.run([exact], maxFrameBytes: 64)[0] {} else { Issue.record("exact cap rejected") }
        let over = JT808Encoder.wrap(heartbeat + Array(repeating: 0x41, count: 64 - 2 - 13 + 1))
        #expect(Self.run([over], maxFrameBytes: 64) == [.error(.frameTooLong(limitBytes: 64))])
        // Escapes count as sent: 0x7E bytes double the frame.
        let escaped = JT808Encoder.wrap(heartbeat + Array(repeating: 0x7E, count: 30))
        #expect(Self.run([escaped], maxFrameBytes: 64) == [.error(.frameTooLong(limitBytes: 64))])
    }

    @Test func aLostStartResynchronisesOnTheNextFrame() {
        let wire = JT808Encoder.wrap(heartbeat)
        // The tail of a frame whose start was lost, then a good frame.
        let tail = Array(wire.dropFirst(5))
        let events = Self.run([wire + tail + wire])
        #expect(events.first == .frame(Self.plain(heartbeat)))
        #expect(events.last == .frame(Self.plain(heartbeat)))
        // A frame cut short and followed directly by the next: the cut one is rejected, the next kept.
        let cut = Array(wire.prefix(9))
        let events2 = Self.run([cut + wire])
        #expect(events2.count == 2)
        #expect(events2.last == .frame(Self.plain(heartbeat)))
    }

    @Test func streamEndingInsideAFrameIsIncomplete() {
        let wire = JT808Encoder.wrap(heartbeat)
        #expect(Self.run([Array(wire.prefix(6))]) == [.error(.incomplete(bytes: 6))])
        #expect(Self.run([[0x7E, 0x00, 0x7D]]) == [.error(.incomplete(bytes: 3))])
        #expect(Self.run([[0x7E]]).isEmpty)
        #expect(Self.run([[]]).isEmpty)
    }

    @Test func bufferStartsEmptyAndNeverExceedsTheCap() {
        var framer = JT808Framer(maxFrameBytes: 128)
        #expect(framer.buffer.isEmpty, "nothing allocated per connection before its first frame")
        let stream = [0x7E] + [UInt8](repeating: 0x41, count: 10_000) + [0x7E]
        var errors: [JT808Error] = []
        stream.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                do throws(JT808Error) {
                    _ = try framer.next(raw, offset: &offset, streamOffset: 0)
                } catch {
                    errors.append(error)
                }
            }
        }
        #expect(errors == [.frameTooLong(limitBytes: 128)])
        #expect(framer.buffer.count == 128)
    }

    /// A connection of location-sized frames holds a small buffer, not the 4 KiB cap, whether
    /// the frames come whole or a byte at a time.
    @Test func bufferGrowsOnlyToTheFramesSeen() {
        // 100 bytes of 0x41 XOR to 0: a frame with a good check byte.
        let frame = [0x7E] + [UInt8](repeating: 0x41, count: 100) + [0x7E]
        for split in [frame.count, 1] {
            var framer = JT808Framer(maxFrameBytes: 4096)
            var frames: [JT808Frame] = []
            for _ in 0..<3 {
                for start in stride(from: 0, to: frame.count, by: split) {
                    let piece = Array(frame[start..<min(frame.count, start + split)])
                    piece.withUnsafeBytes { raw in
                        var offset = 0
                        while offset < raw.count {
                            if let found = try? framer.next(raw, offset: &offset, streamOffset: 0) {
                                frames.append(found)
                            }
                        }
                    }
                }
            }
            #expect(frames.map(\.byteCount) == [100, 100, 100])
            #expect(framer.buffer.count == JT808Framer.initialBufferBytes)
        }
    }
}
