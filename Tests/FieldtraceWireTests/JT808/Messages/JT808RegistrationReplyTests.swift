import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808RegistrationReplyTests {
    @Test func codeOnlyOnSuccessAndCapped() throws {
        let encoder = JT808Encoder()
        let header = JT808GeneralReplyTests.header(encoder, id: 0x0100, serial: 5)
        var writer = JT808FrameWriter()
        var output = WireOutput()
        JT808RegistrationReply.write(
            to: header, result: .success, authCode: Array("AB".utf8), writer: &writer, into: &output)
        JT808RegistrationReply.write(
            to: header, result: .noSuchTerminal, authCode: Array("AB".utf8), writer: &writer, into: &output)
        JT808RegistrationReply.write(
            to: header, result: .success, authCode: [UInt8](repeating: 0x41, count: 5000), writer: &writer,
            into: &output)
        #expect(
            Array(output.replies[0])
                == encoder.registrationReply(platformSerial: 0, replySerial: 5, result: 0, authCode: "AB"))
        #expect(
            Array(output.replies[1])
                == encoder.registrationReply(platformSerial: 1, replySerial: 5, result: 4, authCode: ""))
        #expect(
            Array(output.replies[2])
                == encoder.registrationReply(
                    platformSerial: 2, replySerial: 5, result: 0, authCode: String(repeating: "A", count: 1020)))
    }
}
