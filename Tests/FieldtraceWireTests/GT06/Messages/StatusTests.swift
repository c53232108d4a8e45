import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06StatusTests {
    @Test func documentExample() throws {
        let status = GT06Fixtures.parse([0x40, 0x04, 0x04, 0x00, 0x01]) { raw in GT06Status.parse(raw) }
        #expect(try status.get() == GT06Status(terminalInfo: 0x40, voltageLevel: 4, gsmSignal: 4))
    }

    @Test func shortContentIsNotAnError() throws {
        let status = GT06Fixtures.parse([0x40]) { raw in GT06Status.parse(raw) }
        #expect(try status.get() == GT06Status(terminalInfo: 0x40, voltageLevel: nil, gsmSignal: nil))
    }

    @Test func heartbeatIsIgnoredAndAcked() {
        let result = DecoderHarness.whole(GT06Decoder.self, GT06Fixtures.docLogin + GT06Fixtures.docHeartbeat)
        #expect(result.fixes.isEmpty)
        #expect(result.replies.last == GT06Encoder.ack(protocolNumber: 0x13, serial: 0x000F))
        #expect(result.counters.summary == "frames=2 fixes=0 ignored=2 rejected=0")
    }

    @Test func heartbeatBeforeLoginHasNoIdentity() {
        let result = DecoderHarness.whole(GT06Decoder.self, GT06Fixtures.docHeartbeat)
        #expect(result.replies.isEmpty)
        #expect(result.counters.summary == "frames=1 fixes=0 ignored=0 rejected=1 (no_identity=1)")
    }
}
