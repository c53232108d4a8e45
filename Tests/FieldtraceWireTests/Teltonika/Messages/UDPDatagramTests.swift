import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct TeltonikaUDPDatagramTests {
    @Test func documentedDatagramParses() throws {
        let datagram = try TeltonikaUDPDatagram.parse(TeltonikaFixtures.docUDP)
        #expect(datagram.packetID == 0xCAFE)
        #expect(datagram.avlPacketID == 0x05)
        #expect(datagram.imei == "352093086403655")
        #expect(datagram.packet.codec == .codec8)
        #expect(datagram.packet.records.first?.io == [21: .u8(3), 1: .u8(1), 66: .u16(0x5DBC)])
    }

    @Test func replyBytes() {
        #expect(
            TeltonikaUDPDatagram.reply(packetID: 0xCAFE, avlPacketID: 0x05, acceptedCount: 1)
                == [0x00, 0x05, 0xCA, 0xFE, 0x01, 0x05, 0x01])
    }

    @Test func lengthFieldMustMatch() {
        let datagram = TeltonikaFixtures.docUDP
        do {
            _ = try TeltonikaUDPDatagram.parse(datagram + [0])
            Issue.record("accepted a longer datagram")
        } catch {
            #expect(error.reason == .badLength)
        }
        do {
            _ = try TeltonikaUDPDatagram.parse(Array(datagram.dropLast()))
            Issue.record("accepted a shorter datagram")
        } catch {
            #expect(error.reason == .truncated)
        }
    }

    @Test func imeiChecks() {
        let data = TeltonikaEncoder.avlData([TeltonikaFixtures.berlin()])
        for imei in ["", "35209308640365A", String(repeating: "1", count: 65)] {
            let bytes = TeltonikaEncoder.udpDatagram(packetID: 1, avlPacketID: 1, imei: imei, avlData: data)
            do {
                _ = try TeltonikaUDPDatagram.parse(bytes)
                Issue.record("accepted IMEI '\(imei)'")
            } catch {
                #expect(error.reason == .badIdentity, "'\(imei)'")
            }
        }
    }
}
