import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

/// Random records through the Swift encoder and back through both decoders: every value exact.
@Suite struct TeltonikaRoundTripTests {
    /// Places and times that break naive code: hemispheres, the antimeridian, the poles, the
    /// leap day and UTC midnight.
    static let edges: [(lat: Int32, lon: Int32, time: String)] = [
        (-338_688_197, 1_512_092_955, "2024-02-29T00:00:00Z"),
        (-346_037_389, -583_815_704, "2024-02-29T23:59:59.999Z"),
        (612_175_758, -1_498_996_785, "2025-01-01T00:00:00Z"),
        (-165_000_000, 1_800_000_000, "2024-12-31T23:59:59.999Z"),
        (-165_000_000, -1_800_000_000, "2025-03-01T00:00:00Z"),
        (-165_000_000, -1_799_999_999, "2025-06-30T00:00:00.001Z"),
        (900_000_000, 0, "2025-11-29T00:00:00Z"),
        (-900_000_000, -1, "2025-11-28T12:00:00Z"),
    ]

    func expected(_ r: TeltonikaRecord, device: DeviceID, receivedMs: Int64) -> Fix {
        Fix(
            device: device, timeMs: r.timestampMs, receivedMs: receivedMs, latitudeE7: r.latitudeE7,
            longitudeE7: r.longitudeE7, altitudeM: Double(r.altitudeM), speedMps: Double(r.speedKmh) / 3.6,
            courseDeg: Double(r.angleDeg), satellites: r.satellites, flags: r.satellites > 0 ? .valid : [],
            source: .teltonika)
    }

    func records(_ rng: inout SeededRandom, io: [UInt16: TeltonikaIOValue]) -> [TeltonikaRecord] {
        var out = (0..<(1 + Int(rng.next() % 6))).map { _ in TeltonikaEncoder.randomRecord(&rng, io: io) }
        let edge = Self.edges[Int(rng.next() % UInt64(Self.edges.count))]
        out[0].latitudeE7 = edge.lat
        out[0].longitudeE7 = edge.lon
        // A device's batch spans at most a month before its newest record, so no rollover applies.
        let newest = ISO8601.parse(edge.time.utf8)!
        for index in out.indices.dropFirst() { out[index].timestampMs = newest - Int64(rng.next() % 2_592_000_000) }
        out[0].timestampMs = newest
        return out
    }

    @Test func tcpRoundTrip() {
        var rng = SeededRandom(seed: 0x2024_0229)
        for round in 0..<300 {
            let codec: TeltonikaCodec = round % 3 == 0 ? .codec8E : .codec8
            let records = records(
                &rng, io: codec == .codec8E ? TeltonikaEncoder.extendedIO : TeltonikaEncoder.typicalIO)
            // Received within a day after the newest record, so no rollover applies.
            let receivedMs = records.map(\.timestampMs).max()! + Int64(rng.next() % 86_400_000)
            let imei = String(100_000_000_000_000 + rng.next() % 899_999_999_999_999)
            let device = DeviceID(imei)!
            let bytes = TeltonikaEncoder.handshake(imei: imei) + TeltonikaEncoder.tcpPacket(records, codec: codec)
            let result = DecoderHarness.run(
                TeltonikaTCPDecoder.self, chunks: DecoderHarness.split(bytes, seed: UInt64(round)),
                receivedMs: receivedMs)
            #expect(
                result.fixes == records.map { expected($0, device: device, receivedMs: receivedMs) }, "round \(round)")
            #expect(result.replies == [[0x01], [0, 0, 0, UInt8(records.count)]])
            TeltonikaFixtures.expectPlausible(result.fixes)
        }
    }

    @Test func udpRoundTrip() {
        var rng = SeededRandom(seed: 0x0A17_1180)
        for round in 0..<300 {
            let codec: TeltonikaCodec = round % 2 == 0 ? .codec8E : .codec8
            let records = records(&rng, io: codec == .codec8E ? TeltonikaEncoder.extendedIO : [:])
            let receivedMs = records.map(\.timestampMs).max()! + 1000
            let packetID = UInt16(truncatingIfNeeded: rng.next())
            let bytes = TeltonikaEncoder.udpDatagram(
                packetID: packetID, avlPacketID: UInt8(round % 256), imei: "352093086403655", records, codec: codec)
            let result = DecoderHarness.run(TeltonikaUDPDecoder.self, chunks: [bytes], receivedMs: receivedMs)
            let device = DeviceID("352093086403655")!
            #expect(
                result.fixes == records.map { expected($0, device: device, receivedMs: receivedMs) }, "round \(round)")
            #expect(
                result.replies == [
                    TeltonikaUDPDatagram.reply(
                        packetID: packetID, avlPacketID: UInt8(round % 256), acceptedCount: UInt8(records.count))
                ])
        }
    }
}
