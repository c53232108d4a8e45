import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808GeneralReplyTests {
    static func header(_ encoder: JT808Encoder, id: UInt16, serial: UInt16) -> JT808Header {
        let bytes = encoder.header(messageID: id, bodyLength: 0, serial: serial)
        return try! JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in
            try JT808Header.read(&c)
        }.get()
    }

    @Test func exactBytesEscapedAndSerialsIncrement() {
        let encoder = JT808Encoder()
        var writer = JT808FrameWriter()
        var output = WireOutput()
        let header = Self.header(encoder, id: 0x0200, serial: 0x7E7D)
        for result: JT808GeneralReply.Result in [.success, .failure, .messageError, .unsupported] {
            JT808GeneralReply.write(to: header, result: result, writer: &writer, into: &output)
        }
        #expect(
            output.replies.map(Array.init)
                == (0..<4).map {
                    encoder.generalReply(
                        platformSerial: UInt16($0), replySerial: 0x7E7D, replyID: 0x0200, result: UInt8($0))
                })
        // The reply serial 7E 7D goes out escaped.
        #expect(Hex.encode(output.replies[0]) == "7e8001000501391234567800007d027d01020000b57e")
        #expect(writer.serial == 4)
    }

    @Test func everySerialMatchesTheSpecEncoderAndWraps() {
        // 65,537 replies: every platform serial (those holding 0x7D/0x7E bytes take the escaping
        // path, the others the template path), then the wrap to 0.
        let encoder = JT808Encoder()
        var writer = JT808FrameWriter()
        var output = WireOutput()
        let header = Self.header(encoder, id: 0x0200, serial: 0x1234)
        var mismatches = 0
        for n in 0..<65_537 {
            output.clearBatch()
            JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
            let expected = encoder.generalReply(
                platformSerial: UInt16(truncatingIfNeeded: n), replySerial: 0x1234, replyID: 0x0200, result: 0)
            if Array(output.replies[0]) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(writer.serial == 1)
    }

    @Test func versionByteNeedingEscapeTakesTheSlowPath() {
        var encoder = JT808Encoder(phone: JT808Fixtures.phone2019, edition2019: true)
        encoder.protocolVersion = 0x7E
        var writer = JT808FrameWriter()
        var output = WireOutput()
        let bytes = encoder.header(messageID: 0x0002, bodyLength: 0, serial: 3)
        let header = try! JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in
            try JT808Header.read(&c)
        }.get()
        JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
        JT808GeneralReply.write(to: header, result: .unsupported, writer: &writer, into: &output)
        #expect(
            output.replies.map(Array.init) == [
                encoder.generalReply(platformSerial: 0, replySerial: 3, replyID: 2, result: 0),
                encoder.generalReply(platformSerial: 1, replySerial: 3, replyID: 2, result: 3),
            ])
    }

    @Test func answers2019In2019() {
        let encoder = JT808Encoder(phone: JT808Fixtures.phone2019, edition2019: true)
        var writer = JT808FrameWriter()
        var output = WireOutput()
        let bytes = encoder.header(messageID: 0x0200, bodyLength: 0, serial: 9)
        let header = try! JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in
            try JT808Header.read(&c)
        }.get()
        JT808GeneralReply.write(to: header, result: .success, writer: &writer, into: &output)
        #expect(Hex.encode(output.replies[0]) == "7e80014005010000000001380013800000000009020000647e")
    }
}
