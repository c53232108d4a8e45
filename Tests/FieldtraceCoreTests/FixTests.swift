import FieldtraceCore
import Testing

@Suite struct FixTests {
    @Test func deviceIDValidation() {
        #expect(DeviceID("356307042441013") != nil)
        #expect(DeviceID("") == nil)
        #expect(DeviceID("has space") == nil)
        #expect(DeviceID(String(repeating: "9", count: 64)) != nil)
        #expect(DeviceID(String(repeating: "9", count: 65)) == nil)
        #expect(DeviceID("caf\u{E9}") == nil)
        #expect(DeviceID(ascii: [0x41, 0x00]) == nil)
    }

    @Test func jsonLineLeavesOutAbsentValues() {
        let fix = Fix(
            device: DeviceID("dev-1")!, timeMs: 1_709_251_199_123, latitudeE7: -338_688_197, longitudeE7: 1_512_092_955,
            flags: [.valid])
        #expect(
            fix.jsonLine
                == #"{"device":"dev-1","time":"2024-02-29T23:59:59.123Z","lat":-33.8688197,"lon":151.2092955,"valid":true,"late":false}"#
        )
    }

    @Test func jsonLineWithEveryValue() {
        let fix = Fix(
            device: DeviceID("d\"q")!, timeMs: 0, latitudeE7: 1, longitudeE7: -1, altitudeM: 12, speedMps: 2.5,
            courseDeg: 359.9, hdop: 0.9, accuracyM: 5, satellites: 11, flags: [.late, .backfill])
        #expect(
            fix.jsonLine
                == #"{"device":"d\"q","time":"1970-01-01T00:00:00.000Z","lat":0.0000001,"lon":-0.0000001,"alt_m":12,"speed_mps":2.5,"course_deg":359.9,"hdop":0.9,"accuracy_m":5,"sats":11,"valid":false,"late":true}"#
        )
    }
}
