import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06LocationTests {
    func parse(_ bytes: [UInt8], _ number: UInt8) -> Result<GT06Location, GT06Error> {
        GT06Fixtures.parse(bytes) { raw throws(GT06Error) in try GT06Location.parse(raw, protocolNumber: number) }
    }

    /// The location example of the Concox document, decoded after a login.
    @Test func documentExample() throws {
        let result = DecoderHarness.whole(GT06Decoder.self, GT06Fixtures.docLogin + GT06Fixtures.docLocation)
        let fix = try #require(result.fixes.first)
        #expect(result.fixes.count == 1)
        #expect(fix.device.rawValue == "123456789012345")
        #expect(fix.timeMs == ISO8601.parse("2011-08-29T17:46:16Z".utf8))
        #expect(fix.latitudeE7 == 231_116_683)  // 0x027AC7EB = 41,601,003 / 1,800,000 deg
        #expect(fix.longitudeE7 == 1_144_092_850)  // 0x0C465849 = 205,936,713 / 1,800,000 deg
        #expect(fix.satellites == 15)
        #expect(fix.speedMps == 0)
        #expect(fix.courseDeg == 143)
        #expect(fix.flags == .valid)
        #expect(result.replies == [GT06Fixtures.docLoginAck, GT06Encoder.ack(protocolNumber: 0x12, serial: 3)])
    }

    @Test func location12() throws {
        let location = try parse(GT06Fixtures.gpsBlock() + GT06Fixtures.cell, 0x12).get()
        #expect(location.mcc == 460)
        #expect(location.mnc == 0)
        #expect(location.lac == 0x287D)
        #expect(location.cellID == 0x001FB8)
        #expect(location.accOn == nil)
        #expect(!location.isReupload)
        #expect(location.mileageM == nil)
    }

    @Test func location22WithReuploadAndMileage() throws {
        let tail: [UInt8] = [0x01, 0x00, 0x01, 0x00, 0x01, 0xE2, 0x40]
        let location = try parse(GT06Fixtures.gpsBlock() + GT06Fixtures.cell + tail, 0x22).get()
        #expect(location.accOn == true)
        #expect(location.isReupload)
        #expect(location.mileageM == 123_456)
        let realTime = try parse(GT06Fixtures.gpsBlock() + GT06Fixtures.cell + [0x00, 0x00, 0x00], 0x22).get()
        #expect(realTime.accOn == false)
        #expect(!realTime.isReupload)
        #expect(realTime.mileageM == nil)
    }

    @Test func wideMNC() throws {
        // MCC bit 15 set: the MNC takes 2 bytes, shifting everything after it.
        let cell: [UInt8] = [0x81, 0x36, 0x01, 0x0B, 0x12, 0x34, 0x00, 0xAB, 0xCD]
        let location = try parse(GT06Fixtures.gpsBlock() + cell + [0x01, 0x02, 0x01], 0x22).get()
        #expect(location.mcc == 310)
        #expect(location.mnc == 0x010B)
        #expect(location.lac == 0x1234)
        #expect(location.cellID == 0xABCD)
        #expect(location.isReupload)
    }

    @Test func shortContentIsTruncated() {
        let full = GT06Fixtures.gpsBlock() + GT06Fixtures.cell
        #expect(
            GT06Fixtures.error(parse(Array(full.prefix(25)), 0x12))
                == .truncated(protocolNumber: 0x12, needed: 26, available: 25))
        #expect(GT06Fixtures.error(parse(full + [0x01, 0x00], 0x22))?.reason == .truncated)
        #expect(GT06Fixtures.error(parse(Array(full.prefix(10)), 0x22))?.reason == .truncated)
    }

    @Test func extraTrailingBytesAreTolerated() throws {
        let location = try parse(GT06Fixtures.gpsBlock() + GT06Fixtures.cell + [1, 2, 3, 4, 5, 6, 7, 8, 9], 0x12).get()
        #expect(location.gps.latitudeE7 == 312_304_000)
    }

    @Test func reuploadBecomesLateBackfillFix() {
        let fix = GT06Fixtures.fix()
        let frames =
            GT06Encoder.login(imei: GT06Fixtures.imei)
            + GT06Encoder.location(fix, protocolNumber: 0x22, reupload: true, serial: 2)
        let result = DecoderHarness.whole(GT06Decoder.self, frames)
        #expect(result.fixes.map(\.flags) == [[.valid, .late, .backfill]])
        #expect(result.replies.last == GT06Encoder.ack(protocolNumber: 0x22, serial: 2))
    }
}
