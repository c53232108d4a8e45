import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808HeartbeatTests {
    @Test func answeredAndCountedIgnored() {
        var encoder = JT808Encoder(serial: 3)
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0002, body: []))
        // Written out from the spec: 8001, length 5, phone, platform serial 0, reply serial 3,
        // reply id 0002, result 0, check.
        #expect(result.replies.map(Hex.encode) == ["7e8001000501391234567800000003000200b57e"])
        #expect(result.counters.frames == 1 && result.counters.ignored == 1 && result.fixes.isEmpty)
    }
}
