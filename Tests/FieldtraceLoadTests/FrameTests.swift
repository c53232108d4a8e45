import FieldtraceCore
import FieldtraceWire
import NIOCore
import Testing

@testable import FieldtraceLoad

/// The generator's fast frame writers produce frames the Wire decoders accept, with the fix's
/// time and position, and the replies those decoders build are read back by `ReplyReader`.
@Suite struct FrameTests {
    static let fix = LoadFix(
        timeMs: 1_795_000_123_000, latitudeE7: 312_304_123, longitudeE7: 1_214_737_456,
        speedCentimetersPerSecond: 1234, courseDeg: 271, altitudeM: 17)

    func decode<D: WireDecoder>(_ type: D.Type, _ frames: [ByteBuffer]) -> (WireOutput, [[UInt8]]) {
        var decoder = D(configuration: WireConfiguration())
        var output = WireOutput()
        var replies: [[UInt8]] = []
        var all = WireOutput()
        for frame in frames {
            decoder.consume(Array(frame.readableBytesView), receivedMs: Self.fix.timeMs + 5000, into: &output)
            replies += output.replies.map { Array($0) }
            all.fixes += output.fixes
            all.counters = output.counters
            output.clearBatch()
        }
        return (all, replies)
    }

    func buffer(_ write: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var b = ByteBufferAllocator().buffer(capacity: 256)
        write(&b)
        return b
    }

    func readReplies(_ proto: LoadProtocol, _ replies: [[UInt8]], awaitingHandshake: Bool = false) -> [Reply] {
        var reader = ReplyReader(proto)
        reader.awaitingHandshake = awaitingHandshake
        var out: [Reply] = []
        for r in replies {
            reader.read(ByteBuffer(bytes: r).readableBytesView) { out.append($0) }
        }
        return out
    }

    @Test func nmeaDatagramDecodesToTheFix() {
        var live = Self.fix
        live.timeMs += 456
        let datagram = buffer { b in
            b.writeBytes(NMEAFrames.pgid("nmea-000007"))
            NMEAFrames.writeEpoch(live, includeGGA: true, into: &b)
        }
        let (out, replies) = decode(NMEADatagramDecoder.self, [datagram])
        #expect(out.counters.rejected.isEmpty, "\(out.rejections)")
        #expect(replies.isEmpty)
        let fix = try! #require(out.fixes.first)
        #expect(out.fixes.count == 1)
        #expect(fix.device.rawValue == "nmea-000007")
        #expect(fix.timeMs == live.timeMs)
        #expect(fix.latitudeE7 == live.latitudeE7 && fix.longitudeE7 == live.longitudeE7)
        #expect(fix.satellites == 11 && fix.hdop == 0.9 && fix.altitudeM == 17)
        #expect(abs((fix.speedMps ?? 0) - 12.34) < 0.01)
    }

    @Test func teltonikaTCPPacketIsAckedWithItsCount() {
        let fixes = (0..<25).map { i -> LoadFix in
            var f = Self.fix
            f.timeMs += Int64(i) * 40
            f.backlog = i < 5
            return f
        }
        let imei = "350000000000042"
        let frames = [
            ByteBuffer(bytes: TeltonikaFrames.handshake(imei)),
            buffer { TeltonikaFrames.writeTCPPacket(fixes[0..<5], fixes[5...], into: &$0) },
        ]
        let (out, replies) = decode(TeltonikaTCPDecoder.self, frames)
        #expect(out.counters.rejected.isEmpty, "\(out.rejections)")
        #expect(out.fixes.map(\.timeMs) == fixes.map(\.timeMs))
        #expect(out.fixes.allSatisfy { $0.device.rawValue == imei })
        #expect(out.fixes[7].latitudeE7 == Self.fix.latitudeE7)
        #expect(
            readReplies(.teltonika, replies, awaitingHandshake: true) == [
                .teltonikaHandshake(accepted: true), .teltonikaCount(25),
            ])
    }

    @Test func teltonikaUDPDatagramIsAckedWithItsPacketID() {
        let imei = Array("350000000000003".utf8)
        let datagram = buffer {
            TeltonikaFrames.writeUDPDatagram(
                [Self.fix], [], packetID: 0xBEEF, avlPacketID: 7, imei: imei, into: &$0)
        }
        let (out, replies) = decode(TeltonikaUDPDecoder.self, [datagram])
        #expect(out.fixes.count == 1 && out.fixes[0].timeMs == Self.fix.timeMs)
        #expect(replies.count == 1)
        #expect(
            ReplyReader.teltonikaUDP(ByteBuffer(bytes: replies[0]).readableBytesView)
                == .teltonikaUDP(packetID: 0xBEEF, avlPacketID: 7, count: 1))
    }

    @Test func jt808LoginLocationAndBackfillBatch() {
        var frames = JT808Frames()
        let phone = JT808Frames.phoneBCD("010000000042")
        let registration = buffer { frames.writeRegistration(phoneBCD: phone, serial: 1, terminalID: 42, into: &$0) }
        let (_, regReplies) = decode(JT808Decoder.self, [registration])
        let reg = readReplies(.jt808, regReplies)
        guard case .jt808Registration(1, 0, let code) = reg.first else {
            Issue.record("no registration reply: \(reg)")
            return
        }
        let backlog = (0..<3).map { i -> LoadFix in
            var f = Self.fix
            f.timeMs -= Int64(60 - i) * 1000
            f.backlog = true
            return f
        }
        let all = [
            buffer { frames.writeAuthentication(phoneBCD: phone, code: code, serial: 2, into: &$0) },
            buffer { frames.writeLocation(phoneBCD: phone, Self.fix, serial: 3, into: &$0) },
            buffer { frames.writeBatch(phoneBCD: phone, backlog, backfill: true, serial: 4, into: &$0) },
        ]
        let (out, replies) = decode(JT808Decoder.self, all)
        #expect(out.counters.rejected.isEmpty, "\(out.rejections)")
        #expect(out.fixes.map(\.timeMs) == [Self.fix.timeMs] + backlog.map(\.timeMs))
        #expect(out.fixes.allSatisfy { $0.device.rawValue == "010000000042" })
        #expect(!out.fixes[0].isLate)
        #expect(out.fixes[1...].allSatisfy { $0.flags.contains(.late) && $0.flags.contains(.backfill) })
        #expect(
            readReplies(.jt808, replies) == [
                .jt808General(serial: 2, messageID: 0x0102, result: 0),
                .jt808General(serial: 3, messageID: 0x0200, result: 0),
                .jt808General(serial: 4, messageID: 0x0704, result: 0),
            ])
    }

    @Test func gt06LoginAndReuploadedLocation() {
        var late = Self.fix
        late.backlog = true
        let frames = [
            buffer { GT06Frames.writeLogin(imei: "860000000000042", serial: 1, into: &$0) },
            buffer { GT06Frames.writeLocation(Self.fix, reupload: false, serial: 2, into: &$0) },
            buffer { GT06Frames.writeLocation(late, reupload: true, serial: 3, into: &$0) },
        ]
        let (out, replies) = decode(GT06Decoder.self, frames)
        #expect(out.counters.rejected.isEmpty, "\(out.rejections)")
        #expect(out.fixes.count == 2)
        #expect(out.fixes.allSatisfy { $0.device.rawValue == "860000000000042" && $0.timeMs == Self.fix.timeMs })
        #expect(!out.fixes[0].isLate && out.fixes[1].flags.contains(.backfill))
        #expect(
            readReplies(.gt06, replies) == [
                .gt06Ack(protocolNumber: 0x01, serial: 1), .gt06Ack(protocolNumber: 0x22, serial: 2),
                .gt06Ack(protocolNumber: 0x22, serial: 3),
            ])
    }

    @Test func replyReaderJoinsSplitReplies() {
        var reader = ReplyReader(.teltonika)
        var out: [Reply] = []
        for chunk: [UInt8] in [[1, 0, 0], [0], [25, 0, 0, 0, 0]] {
            reader.read(ByteBuffer(bytes: chunk).readableBytesView) { out.append($0) }
        }
        #expect(out == [.teltonikaHandshake(accepted: true), .teltonikaCount(25), .teltonikaCount(0)])
    }

    @Test func histogramQuantilesAreWithinABucket() {
        var h = LatencyHistogram()
        for us in 1...10_000 { h.record(microseconds: Int64(us)) }
        let p50 = h.quantileMilliseconds(0.5)!
        let p99 = h.quantileMilliseconds(0.99)!
        #expect(abs(p50 - 5.0) / 5.0 < 0.125, "p50 \(p50)")
        #expect(abs(p99 - 9.9) / 9.9 < 0.125, "p99 \(p99)")
        #expect(LatencyHistogram().quantileMilliseconds(0.5) == nil)
    }

    @Test func targetsParse() {
        #expect(LoadTarget("udp://127.0.0.1:5005") == LoadTarget(transport: .udp, host: "127.0.0.1", port: 5005))
        #expect(LoadTarget("tcp://[::1]:5027") == LoadTarget(transport: .tcp, host: "::1", port: 5027))
        #expect(LoadTarget("http://x:1") == nil)
        #expect(LoadTarget("tcp://x:99999") == nil)
        #expect(LoadTarget("tcp://x:") == nil)
        #expect(LoadTarget("tcp://x:5015,") == nil)
        // No port: each protocol's default; a list: one port per listed protocol.
        let defaults = LoadTarget("tcp://127.0.0.1")
        #expect(defaults == LoadTarget(transport: .tcp, host: "127.0.0.1", ports: []))
        #expect(defaults?.port(for: .teltonika, position: 0) == LoadProtocol.teltonika.defaultPort)
        #expect(LoadTarget("tcp://h:5015,5027")?.port(for: .teltonika, position: 1) == 5027)
    }
}
