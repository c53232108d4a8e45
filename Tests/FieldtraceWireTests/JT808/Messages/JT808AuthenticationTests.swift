import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808AuthenticationTests {
    @Test func matchingCodeIsAccepted() {
        var encoder = JT808Encoder()
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0102, body: Array("FIELDTRACE".utf8) + [0, 0]))
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0102, result: 0)])
        #expect(result.counters.ignored == 1 && result.counters.rejected.isEmpty)
    }

    @Test func wrongCodeFails() {
        var encoder = JT808Encoder()
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0102, body: Array("OTHER".utf8)))
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0102, result: 1)])
        #expect(JT808Fixtures.rejected(result) == ["bad_auth_code": 1])
    }

    @Test func edition2019Body() {
        var encoder = JT808Encoder(phone: JT808Fixtures.phone2019, edition2019: true)
        let code = Array("FIELDTRACE".utf8)
        let body = [UInt8(code.count)] + code + Array("861234567890123".utf8) + [UInt8](repeating: 0x20, count: 20)
        let result = JT808Fixtures.decode(encoder.frame(messageID: 0x0102, body: body))
        #expect(result.replies == [encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0102, result: 0)])
        // A length beyond the body.
        let short = JT808Fixtures.decode(encoder.frame(messageID: 0x0102, body: [40] + code))
        #expect(JT808Fixtures.rejected(short) == ["truncated": 1])
        #expect(short.replies == [encoder.generalReply(platformSerial: 0, replySerial: 1, replyID: 0x0102, result: 2)])
    }

    @Test func codeExtraction() throws {
        let code = try [UInt8]([3, 0x41, 0x42, 0x43, 0x39]).withUnsafeBytes {
            (raw) throws(JT808Error) -> [UInt8] in Array(try JT808Authentication.code(in: raw, is2019: true))
        }
        #expect(code == [0x41, 0x42, 0x43])
        let padded = try [UInt8]([0x41, 0, 0]).withUnsafeBytes {
            (raw) throws(JT808Error) -> [UInt8] in Array(try JT808Authentication.code(in: raw, is2019: false))
        }
        #expect(padded == [0x41])
    }
}
