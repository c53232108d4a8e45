import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaIOElementsTests {
    @Test func codec8DocumentedExampleGivesTypedMap() throws {
        let packet = try TeltonikaAVLPacket.parse(tcpPacket: TeltonikaFixtures.docCodec8)
        #expect(packet.codec == .codec8)
        let record = try #require(packet.records.first)
        #expect(record.eventIOID == 1)
        #expect(record.io == [21: .u8(3), 1: .u8(1), 66: .u16(0x5E0F), 241: .u32(0x601A), 78: .u64(0)])
    }

    @Test func codec8EDocumentedExampleGivesTypedMap() throws {
        let packet = try TeltonikaAVLPacket.parse(tcpPacket: TeltonikaFixtures.docCodec8E)
        #expect(packet.codec == .codec8E)
        let record = try #require(packet.records.first)
        #expect(record.eventIOID == 1)
        #expect(
            record.io == [
                1: .u8(1), 17: .u16(0x1D), 16: .u32(0x015E_2C88), 11: .u64(0x3544_C87A), 14: .u64(0x1DD7_E06A),
            ])
    }

    @Test func variableLengthValuesAndWideIDs() throws {
        let record = TeltonikaFixtures.berlin(io: TeltonikaEncoder.extendedIO)
        let packet = try TeltonikaAVLPacket.parse(
            avlData: TeltonikaEncoder.avlData([record, record], codec: .codec8E))
        #expect(packet.records.count == 2)
        #expect(packet.records[0].io == TeltonikaEncoder.extendedIO)
        #expect(packet.records[0].io[256] == .bytes(Array("WVWZZZ1JZXW000001".utf8)))
        #expect(packet.records[0].io[10] == .bytes([]))
        #expect(packet.records[0].io[1148] == .u16(513))
    }

    @Test func integerView() {
        #expect(TeltonikaIOValue.u8(7).integer == 7)
        #expect(TeltonikaIOValue.u16(0xFFFF).integer == 0xFFFF)
        #expect(TeltonikaIOValue.u32(0xFFFF_FFFF).integer == 0xFFFF_FFFF)
        #expect(TeltonikaIOValue.u64(.max).integer == .max)
        #expect(TeltonikaIOValue.bytes([1]).integer == nil)
    }

    @Test func totalCountMustMatchGroups() {
        let data = TeltonikaEncoder.avlData([TeltonikaFixtures.berlin()], ioTotal: 9)
        #expect(throws: TeltonikaError.self) { try TeltonikaAVLPacket.parse(avlData: data) }
        do {
            _ = try TeltonikaAVLPacket.parse(avlData: data)
        } catch {
            #expect(error.reason == .badLength)
        }
    }

    @Test func variableLengthBeyondPacketIsTruncatedNotAllocated() throws {
        // One variable-length element declaring 65535 bytes with 3 present.
        var data = TeltonikaEncoder.avlData(
            [TeltonikaFixtures.berlin(io: [5: .bytes([1, 2, 3])])], codec: .codec8E)
        let lengthAt = data.count - 1 - 3 - 2
        data[lengthAt] = 0xFF
        data[lengthAt + 1] = 0xFF
        do {
            _ = try TeltonikaAVLPacket.parse(avlData: data)
            Issue.record("parsed a value longer than its packet")
        } catch {
            #expect(error.reason == .truncated)
        }
    }

    @Test func groupCountBeyondPacketIsTruncated() {
        // Codec 8E: 1-byte group declaring 65535 elements.
        var data = TeltonikaEncoder.avlData([TeltonikaFixtures.berlin(io: [:])], codec: .codec8E)
        let n1At = 2 + 24 + 4
        data[n1At] = 0xFF
        data[n1At + 1] = 0xFF
        do {
            _ = try TeltonikaAVLPacket.parse(avlData: data)
            Issue.record("parsed")
        } catch {
            #expect(error.reason == .truncated)
        }
    }
}
