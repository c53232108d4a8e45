import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct GT06AlarmTests {
    func parse(_ bytes: [UInt8]) -> Result<GT06Alarm, GT06Error> {
        GT06Fixtures.parse(bytes) { raw throws(GT06Error) in try GT06Alarm.parse(raw) }
    }

    @Test func alarmCarriesAFixAndItsType() throws {
        let lbs: [UInt8] = [0x09] + GT06Fixtures.cell
        let alarm = try parse(GT06Fixtures.gpsBlock() + lbs + [0x46, 0x06, 0x04, 0x01, 0x02]).get()
        #expect(alarm.gps.latitudeE7 == 312_304_000)
        #expect(alarm.alarmType == 0x01)
    }

    @Test func gpsOnlyAlarmIsAccepted() throws {
        let alarm = try parse(GT06Fixtures.gpsBlock()).get()
        #expect(alarm.alarmType == nil)
    }

    @Test func shortAlarmIsTruncated() {
        #expect(GT06Fixtures.error(parse([0x19, 0x0B]))?.reason == .truncated)
    }

    @Test func alarmIsAFixAndAcked() {
        let fix = GT06Fixtures.fix(latitudeE7: -338_688_197, longitudeE7: 1_512_092_955)
        let frames = GT06Encoder.login(imei: GT06Fixtures.imei) + GT06Encoder.alarm(fix, serial: 0x0102)
        let result = DecoderHarness.whole(GT06Decoder.self, frames)
        #expect(result.fixes == [GT06Encoder.quantized(fix, receivedMs: GT06Fixtures.receivedMs)])
        #expect(result.replies.last == GT06Encoder.ack(protocolNumber: 0x16, serial: 0x0102))
    }
}
