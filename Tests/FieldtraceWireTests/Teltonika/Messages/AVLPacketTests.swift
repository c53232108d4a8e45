import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaAVLPacketTests {
    @Test func documentedCodec8Record() throws {
        let packet = try TeltonikaAVLPacket.parse(tcpPacket: TeltonikaFixtures.docCodec8)
        let record = try #require(packet.records.first)
        #expect(packet.records.count == 1)
        #expect(record.timestampMs == 0x16B_40D8_EA30)
        #expect(record.priority == 1)
        #expect(record.latitudeE7 == 0 && record.longitudeE7 == 0)
        #expect(record.satellites == 0)
    }

    @Test func badCRCIsRejected() {
        var bytes = TeltonikaFixtures.docCodec8
        bytes[20] ^= 1
        do {
            _ = try TeltonikaAVLPacket.parse(tcpPacket: bytes)
            Issue.record("accepted a bad CRC")
        } catch {
            #expect(error == .badCRC(expected: 0xC7CF, actual: Checksums.crc16IBM(Array(bytes[8..<(bytes.count - 4)]))))
            #expect(error.reason == .badChecksum)
        }
    }

    @Test func recordCountsMustAgree() {
        let records = [TeltonikaFixtures.berlin(), TeltonikaFixtures.berlin(10)]
        for (first, second) in [(2, 3), (2, 1), (1, 2)] {
            let data = TeltonikaEncoder.avlData(records, count: first, countAgain: second)
            do {
                _ = try TeltonikaAVLPacket.parse(avlData: data)
                Issue.record("accepted counts \(first)/\(second)")
            } catch {
                #expect(error.reason == .badLength, "\(first)/\(second)")
            }
        }
    }

    @Test func trailingBytesAreBadLength() {
        let data = TeltonikaEncoder.avlData([TeltonikaFixtures.berlin()]) + [0]
        do {
            _ = try TeltonikaAVLPacket.parse(avlData: data)
            Issue.record("accepted trailing bytes")
        } catch {
            #expect(error.reason == .badLength)
        }
    }

    @Test func unknownCodec() {
        var data = TeltonikaEncoder.avlData([TeltonikaFixtures.berlin()])
        data[0] = 0x0C
        do {
            _ = try TeltonikaAVLPacket.parse(avlData: data)
            Issue.record("accepted codec 12")
        } catch {
            #expect(error == .unknownCodec(0x0C))
            #expect(error.reason == .unknownMessage)
        }
    }

    @Test func emptyAndTinyData() throws {
        for data: [UInt8] in [[], [0x08], [0x08, 0x01], [0x8E, 0x00]] {
            #expect(throws: TeltonikaError.self) { try TeltonikaAVLPacket.parse(avlData: data) }
        }
        #expect(try TeltonikaAVLPacket.parse(avlData: [0x08, 0, 0]).records.isEmpty)
    }

    @Test func wholeTCPPacketChecksFramingAndLength() {
        let packet = TeltonikaEncoder.tcpPacket([TeltonikaFixtures.berlin()])
        #expect(throws: TeltonikaError.self) { try TeltonikaAVLPacket.parse(tcpPacket: packet + [0]) }
        #expect(throws: TeltonikaError.self) { try TeltonikaAVLPacket.parse(tcpPacket: Array(packet.dropLast())) }
        var preamble = packet
        preamble[3] = 1
        #expect(throws: TeltonikaError.badPreamble) { try TeltonikaAVLPacket.parse(tcpPacket: preamble) }
    }

    @Test func roundTripsRandomRecordsWithTheirIO() throws {
        var rng = SeededRandom(seed: 0x7E17)
        for round in 0..<200 {
            let codec: TeltonikaCodec = round % 2 == 0 ? .codec8 : .codec8E
            let io = codec == .codec8E ? TeltonikaEncoder.extendedIO : TeltonikaEncoder.typicalIO
            let records = (0..<(1 + Int(rng.next() % 8))).map { _ in TeltonikaEncoder.randomRecord(&rng, io: io) }
            let packet = try TeltonikaAVLPacket.parse(tcpPacket: TeltonikaEncoder.tcpPacket(records, codec: codec))
            #expect(packet == TeltonikaAVLPacket(codec: codec, records: records), "seed 0x7E17 round \(round)")
        }
    }
}
