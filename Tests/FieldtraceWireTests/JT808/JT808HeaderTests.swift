import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct JT808HeaderTests {
    @Test func reads2013Header() throws {
        let encoder = JT808Encoder(phone: "013912345678")
        let bytes = encoder.header(messageID: 0x0200, bodyLength: 28, serial: 0x1234)
        #expect(bytes.count == 12)
        let header = try JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in
            try JT808Header.read(&c)
        }.get()
        #expect(header.messageID == 0x0200)
        #expect(header.bodyLength == 28)
        #expect(!header.is2019 && !header.isSplit && header.encryption == 0)
        #expect(header.serial == 0x1234)
        #expect(header.phone.digits == "013912345678")
        #expect(header.byteCount == 12)
        #expect(header.packageCount == 0 && header.packageIndex == 0)
    }

    @Test func reads2019SplitHeader() throws {
        var encoder = JT808Encoder(phone: "00000000013800138000", edition2019: true)
        encoder.protocolVersion = 1
        let bytes = encoder.header(messageID: 0x0704, bodyLength: 1023, serial: 7, package: (count: 3, index: 2))
        #expect(bytes.count == 21)
        let header = try JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in
            try JT808Header.read(&c)
        }.get()
        #expect(header.is2019 && header.isSplit)
        #expect(header.protocolVersion == 1)
        #expect(header.bodyLength == 1023)
        #expect(header.phone.digits == "00000000013800138000")
        #expect(header.phone.byteCount == 10)
        #expect(header.packageCount == 3 && header.packageIndex == 2)
        #expect(header.byteCount == 21)
    }

    @Test func encryptionBits() throws {
        let encoder = JT808Encoder()
        for method: UInt16 in 0...7 {
            let bytes = encoder.header(messageID: 0x0200, bodyLength: 0, serial: 0, attributes: method << 10)
            let header = try JT808Fixtures.parse(bytes) { (c: inout ByteCursor) throws(JT808Error) in
                try JT808Header.read(&c)
            }.get()
            #expect(header.encryption == UInt8(method))
            #expect(header.bodyLength == 0)
        }
    }

    @Test func truncatedAndNonBCDHeaders() {
        let encoder = JT808Encoder()
        let bytes = encoder.header(messageID: 0x0200, bodyLength: 0, serial: 0, package: (count: 2, index: 1))
        for n in 0..<bytes.count {
            let error = JT808Fixtures.error(
                JT808Fixtures.parse(Array(bytes.prefix(n))) { (c: inout ByteCursor) throws(JT808Error) in
                    try JT808Header.read(&c)
                })
            guard case .truncated = error else {
                Issue.record("prefix \(n): \(String(describing: error))")
                continue
            }
        }
        var bad = encoder.header(messageID: 0x0200, bodyLength: 0, serial: 0)
        bad[5] = 0x3A
        #expect(
            JT808Fixtures.error(
                JT808Fixtures.parse(bad) { (c: inout ByteCursor) throws(JT808Error) in try JT808Header.read(&c) })
                == .badPhoneNumber)
    }

    @Test func phoneDigitsKeepLeadingZeros() {
        #expect(JT808Phone(digits: "000000000001")?.digits == "000000000001")
        #expect(JT808Phone(digits: "12345") == nil)
        #expect(JT808Phone(digits: "01391234567a") == nil)
        let phone = JT808Phone(digits: "01234567890123456789")!
        #expect(phone.byteCount == 10)
        #expect((0..<10).map(phone.byte) == [0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x23, 0x45, 0x67, 0x89])
        var out: [UInt8] = []
        phone.append(to: &out)
        #expect(out.count == 10)
    }
}
