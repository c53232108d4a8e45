import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct OsmAndJSONFormTests {
    static let one = #"""
        {"location":{"event":"motionchange","is_moving":true,"uuid":"u-1","timestamp":"2026-11-28T08:00:00.250Z",
        "odometer":12.5,"coords":{"latitude":31.2304,"longitude":121.4737,"accuracy":5.5,"speed":4.25,
        "speed_accuracy":-1,"heading":90,"heading_accuracy":-1,"altitude":12,"ellipsoidal_altitude":20},
        "activity":{"type":"in_vehicle","confidence":100},"battery":{"is_charging":false,"level":0.84},"extras":{}},
        "device_id":"phone-7"}
        """#.replacingOccurrences(of: "\n", with: "")

    @Test func singleLocation() throws {
        let result = OsmAndFixtures.decode([Self.one])
        let fix = try #require(result.fixes.first)
        #expect(result.fixes.count == 1)
        #expect(fix.device.rawValue == "phone-7")
        #expect(fix.timeMs == ISO8601.parse("2026-11-28T08:00:00.250Z".utf8))
        #expect(fix.latitudeE7 == 312_304_000)
        #expect(fix.longitudeE7 == 1_214_737_000)
        #expect(fix.speedMps == 4.25)
        #expect(fix.courseDeg == 90)
        #expect(fix.altitudeM == 12)
        #expect(fix.accuracyM == 5.5)
        #expect(fix.flags == .valid)
        #expect(result.replies.isEmpty)
        #expect(result.identity?.rawValue == "phone-7")
        #expect(result.counters.summary == "frames=1 fixes=1 ignored=0 rejected=0")
    }

    @Test func batchIsOneFixPerLocationInOrder() {
        let body =
            #"{"device_id":"p","location":[{"timestamp":1764318000,"coords":{"latitude":1,"longitude":2}},"#
            + #"{"timestamp":1764318060000,"coords":{"latitude":1.5,"longitude":2.5,"speed":-1,"heading":-1}},"#
            + #"{"timestamp":"2025-11-28T08:22:00Z","coords":{"latitude":2,"longitude":3,"altitude":null}}]}"#
        let result = OsmAndFixtures.decode([body])
        #expect(result.fixes.map(\.timeMs) == [1_764_318_000_000, 1_764_318_060_000, 1_764_318_120_000])
        #expect(result.fixes[1].speedMps == nil)
        #expect(result.fixes[1].courseDeg == nil)
        #expect(result.fixes[2].altitudeM == nil)
        #expect(result.fixes.allSatisfy { !$0.isLate })
        #expect(result.counters.summary == "frames=1 fixes=3 ignored=0 rejected=0")
    }

    @Test func badLocationInABatchRejectsOnlyItself() {
        let body =
            #"{"device_id":"p","location":[{"timestamp":1764318000,"coords":{"latitude":91,"longitude":2}},"#
            + #"{"timestamp":1764318060,"coords":{"latitude":1,"longitude":2}},"x","#
            + #"{"timestamp":"soon","coords":{"latitude":1,"longitude":2}},{"coords":{"latitude":1}}]}"#
        let result = OsmAndFixtures.decode([body])
        #expect(result.fixes.count == 1)
        #expect(result.counters.summary == "frames=1 fixes=1 ignored=0 rejected=4 (bad_field=3 bad_time=1)")
    }

    @Test func emptyBatchIsIgnored() {
        let result = OsmAndFixtures.decode([#"{"device_id":"p","location":[]}"#])
        #expect(result.counters.summary == "frames=1 fixes=0 ignored=1 rejected=0")
    }

    @Test func wholeRequestRejections() {
        #expect(
            OsmAndFixtures.reason(#"{"location":{"timestamp":1764318000,"coords":{"latitude":1,"longitude":2}}}"#)
                == .noIdentity)
        #expect(OsmAndFixtures.reason(#"{"device_id":7,"location":{}}"#) == .badIdentity)
        #expect(OsmAndFixtures.reason(#"{"device_id":"a b","location":{}}"#) == .badIdentity)
        #expect(OsmAndFixtures.reason(#"{"device_id":"p"}"#) == .badField)
        #expect(OsmAndFixtures.reason(#"{"device_id":"p","location":{"coords":{"latitude":1,"#) == .badFraming)
        #expect(OsmAndFixtures.reason(#"{"device_id":"p","location":{}} trailing"#) == .badFraming)
        #expect(
            OsmAndFixtures.reason(
                #"{"device_id":"p","location":{"timestamp":1764318000,"coords":{"latitude":"1","longitude":2}}}"#)
                == .badField)
    }

    @Test func escapedDeviceID() throws {
        let result = OsmAndFixtures.decode([
            #"{"device_id":"ph\u006fne\/9","location":{"timestamp":1764318000,"coords":{"latitude":1,"longitude":2}}}"#
        ])
        #expect(try #require(result.fixes.first).device.rawValue == "phone/9")
    }

    @Test func exponentCoordinates() throws {
        let result = OsmAndFixtures.decode([
            #"{"device_id":"p","location":{"timestamp":1764318000,"coords":{"latitude":-3.38688197E1,"longitude":1.5e-7}}}"#
        ])
        let fix = try #require(result.fixes.first)
        #expect(fix.latitudeE7 == -338_688_197)
        #expect(fix.longitudeE7 == 2)
    }
}
