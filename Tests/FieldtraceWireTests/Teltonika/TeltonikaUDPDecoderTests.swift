import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaUDPDecoderTests {
    func decode(
        _ datagrams: [[UInt8]], configuration: WireConfiguration = .init()
    ) -> DecodeResult {
        DecoderHarness.run(TeltonikaUDPDecoder.self, chunks: datagrams, configuration: configuration)
    }

    @Test func documentedDatagramIsAcknowledged() {
        let result = decode([TeltonikaFixtures.docUDP])
        #expect(result.replies == [[0x00, 0x05, 0xCA, 0xFE, 0x01, 0x05, 0x01]])
        #expect(result.fixes.count == 1)
        #expect(result.identity?.rawValue == "352093086403655")
        #expect(result.fixes.first?.device.rawValue == "352093086403655")
        TeltonikaFixtures.expectPlausible(result.fixes)
    }

    @Test func severalRecordsAndCodec8E() {
        let records = (0..<4).map { TeltonikaFixtures.berlin(Int64($0) * 5, io: TeltonikaEncoder.extendedIO) }
        let result = decode([
            TeltonikaEncoder.udpDatagram(packetID: 7, avlPacketID: 9, imei: "1234", records, codec: .codec8E)
        ])
        #expect(result.replies == [[0x00, 0x05, 0x00, 0x07, 0x01, 0x09, 0x04]])
        #expect(result.fixes.count == 4)
        #expect(result.fixes.allSatisfy { $0.device.rawValue == "1234" })
    }

    @Test func identityFollowsEachDatagram() {
        let a = TeltonikaEncoder.udpDatagram(packetID: 1, avlPacketID: 1, imei: "111", [TeltonikaFixtures.berlin()])
        let b = TeltonikaEncoder.udpDatagram(packetID: 2, avlPacketID: 1, imei: "222", [TeltonikaFixtures.berlin()])
        let result = decode([a, b, a])
        #expect(result.fixes.map(\.device.rawValue) == ["111", "222", "111"])
        #expect(result.identity?.rawValue == "111")
    }

    @Test func refusedDeviceIsNotAnswered() {
        var configuration = WireConfiguration()
        configuration.isDeviceAllowed = { _ in false }
        let result = decode([TeltonikaFixtures.docUDP], configuration: configuration)
        #expect(result.replies.isEmpty)
        #expect(result.fixes.isEmpty)
        #expect(result.counters.rejected == [.teltonikaRefused: 1])
    }

    @Test func badAVLDataIsAnsweredWithZero() {
        let data = TeltonikaEncoder.avlData([TeltonikaFixtures.berlin()], count: 1, countAgain: 2)
        let result = decode([TeltonikaEncoder.udpDatagram(packetID: 0x0102, avlPacketID: 3, imei: "1", avlData: data)])
        #expect(result.replies == [[0x00, 0x05, 0x01, 0x02, 0x01, 0x03, 0x00]])
        #expect(result.counters.rejected == [.badLength: 1])
    }

    @Test func badHeadersAreNotAnswered() {
        let good = TeltonikaFixtures.docUDP
        let result = decode([[], [0x00], good + [0], Array(good.dropLast()), Array(good.prefix(9))])
        #expect(result.replies.isEmpty)
        #expect(result.counters.frames == 5)
        #expect(result.counters.rejected == [.truncated: 4, .badLength: 1])
    }

    @Test func oversizedDatagramIsTooLong() {
        var configuration = WireConfiguration()
        configuration.limits.teltonikaPacketMaxBytes = 32
        let result = decode([TeltonikaFixtures.docUDP], configuration: configuration)
        #expect(result.counters.rejected == [.tooLong: 1])
    }

    @Test func samplesGiveOnlyPlausibleFixes() throws {
        for (name, lines) in try TeltonikaFixtures.captures("teltonika-udp") {
            let result = decode(lines)
            #expect(result.counters.frames == lines.count, "\(name)")
            TeltonikaFixtures.expectPlausible(result.fixes, name)
        }
    }
}
