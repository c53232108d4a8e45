import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808RegistrationTests {
    static let body2013: [UInt8] =
        [0x00, 0x2C, 0x03, 0x00] + Array("FTRCE".utf8) + [UInt8](repeating: 0x41, count: 20)
        + [UInt8](repeating: 0x42, count: 7) + [0x02] + Array("B12345".utf8)

    @Test func readsProvinceAndCity() throws {
        let registration = try JT808Fixtures.parse(Self.body2013) { (c: inout ByteCursor) throws(JT808Error) in
            try JT808Registration.read(&c)
        }.get()
        #expect(registration.province == 44 && registration.city == 0x0300)
    }

    @Test func answersWithTheAuthCode() {
        var encoder = JT808Encoder(serial: 0x0102)
        var configuration = WireConfiguration()
        configuration.jt808AuthCode = "SECRET-1"
        let result = JT808Fixtures.decode(
            encoder.frame(messageID: 0x0100, body: Self.body2013), configuration: configuration)
        #expect(
            result.replies == [
                encoder.registrationReply(platformSerial: 0, replySerial: 0x0102, result: 0, authCode: "SECRET-1")
            ])
        // Written out: 8100, length 11, phone, serial 0, reply serial 0102, result 0, code, check.
        #expect(Hex.encode(result.replies[0]) == "7e8100000b01391234567800000102005345435245542d31b37e")
        #expect(result.counters.ignored == 1)
        #expect(result.identity == JT808Fixtures.device)
    }

    @Test func refusedTerminalGetsResult4AndNoCode() {
        var encoder = JT808Encoder()
        var configuration = WireConfiguration()
        configuration.isDeviceAllowed = { _ in false }
        let result = JT808Fixtures.decode(
            encoder.frame(messageID: 0x0100, body: Self.body2013), configuration: configuration)
        #expect(
            result.replies == [encoder.registrationReply(platformSerial: 0, replySerial: 0, result: 4, authCode: "")])
        #expect(JT808Fixtures.rejected(result) == ["device_refused": 1])
        #expect(result.identity == nil)
    }

    @Test func shortBodyIsAMessageError() {
        var encoder = JT808Encoder()
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0100, body: [0x00, 0x2C]))
        #expect(JT808Fixtures.rejected(result) == ["truncated": 1])
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0100, result: 2)])
    }
}
