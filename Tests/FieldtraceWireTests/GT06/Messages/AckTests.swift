import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06AckTests {
    @Test func documentLoginAck() {
        #expect(GT06Ack.array(protocolNumber: 0x01, serial: 1) == GT06Fixtures.docLoginAck)
        #expect(GT06Ack.byteCount == 10)
    }

    @Test func matchesTheIndependentEncoder() {
        var rng = SeededRandom(seed: 0xAC)
        for _ in 0..<1000 {
            let number = UInt8(truncatingIfNeeded: rng.next())
            let serial = UInt16(truncatingIfNeeded: rng.next())
            #expect(
                GT06Ack.array(protocolNumber: number, serial: serial)
                    == GT06Encoder.ack(protocolNumber: number, serial: serial))
        }
    }

    @Test func ackIsAValidFrame() throws {
        let ack = GT06Ack.array(protocolNumber: 0x22, serial: 0xBEEF)
        var needed = 0
        let fields = try ack.withUnsafeBytes { raw throws(GT06Error) in
            try GT06Framer.frame(raw, maxFrameBytes: 2048, needed: &needed).map {
                ($0.protocolNumber, $0.serial, $0.content.count)
            }
        }
        #expect(fields?.0 == 0x22)
        #expect(fields?.1 == 0xBEEF)
        #expect(fields?.2 == 0)
    }
}
