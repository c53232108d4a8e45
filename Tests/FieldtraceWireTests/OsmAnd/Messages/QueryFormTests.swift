import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct OsmAndQueryFormTests {
    func fix(_ request: String) throws -> Fix {
        let result = OsmAndFixtures.decode([request])
        #expect(result.rejections.isEmpty, "\(result.rejections)")
        return try #require(result.fixes.first)
    }

    @Test func allFields() throws {
        let fix = try fix(
            "id=phone-7&timestamp=1764318000&lat=31.2304&lon=-121.4737&speed=10&bearing=90.5&altitude=12.5"
                + "&accuracy=4&hdop=0.9&batt=87&unknown=zz")
        #expect(fix.device.rawValue == "phone-7")
        #expect(fix.timeMs == 1_764_318_000_000)
        #expect(fix.latitudeE7 == 312_304_000)
        #expect(fix.longitudeE7 == -1_214_737_000)
        #expect(fix.speedMps == Units.knotsToMetersPerSecond(10))
        #expect(fix.courseDeg == 90.5)
        #expect(fix.altitudeM == 12.5)
        #expect(fix.accuracyM == 4)
        #expect(fix.hdop == 0.9)
        #expect(fix.flags == .valid)
        #expect(fix.source == .osmand)
        #expect(fix.receivedMs == OsmAndFixtures.receivedMs)
        #expect(fix.satellites == nil)
        #expect(Plausibility.problems(fix).isEmpty)
    }

    @Test func timestampForms() throws {
        let base = "id=a&lat=1&lon=2&timestamp="
        #expect(try fix(base + "1764318000").timeMs == 1_764_318_000_000)
        #expect(try fix(base + "1764318000.25").timeMs == 1_764_318_000_250)
        #expect(try fix(base + "1764318000123").timeMs == 1_764_318_000_123)
        #expect(try fix(base + "2026-11-28T08:00:00Z").timeMs == ISO8601.parse("2026-11-28T08:00:00Z".utf8))
        #expect(
            try fix(base + "2026-11-28T08%3A00%3A00.5%2B01%3A00").timeMs == ISO8601.parse("2026-11-28T07:00:00.5Z".utf8)
        )
        #expect(try fix(base + "2026-11-28+08:00:00").timeMs == ISO8601.parse("2026-11-28T08:00:00Z".utf8))
        #expect(OsmAndFixtures.reason(base + "yesterday") == .badTime)
        #expect(OsmAndFixtures.reason(base + "2026-11-28T08:00:00+01:00") == .badTime)  // unencoded + is a space
        #expect(OsmAndFixtures.reason(base) == .badTime)
        #expect(OsmAndFixtures.reason("id=a&lat=1&lon=2") == .badTime)
        #expect(OsmAndFixtures.reason(base + "100") == .badTime)  // 1970
        #expect(OsmAndFixtures.reason(base + "4102444800") == .badTime)  // 2100
    }

    @Test func percentEncodingAndAliases() throws {
        let fix = try fix("deviceid=ph%6Fne%2D7&timestamp=1764318000&lat=%2B31.5&lon=1.25e1&heading=270")
        #expect(fix.device.rawValue == "phone-7")
        #expect(fix.latitudeE7 == 315_000_000)
        #expect(fix.longitudeE7 == 125_000_000)
        #expect(fix.courseDeg == 270)
        let encodedKey = try self.fix("i%64=k&timestamp=1764318000&lat=1&lon=2")
        #expect(encodedKey.device.rawValue == "k")
    }

    @Test func validParameter() throws {
        let base = "id=a&timestamp=1764318000&lat=1&lon=2&valid="
        #expect(try fix(base + "false").isValid == false)
        #expect(try fix(base + "0").isValid == false)
        #expect(try fix(base + "true").isValid)
        #expect(try fix(base + "1").isValid)
        #expect(OsmAndFixtures.reason(base + "maybe") == .badField)
    }

    @Test func outOfRangeOptionalsAreAbsent() throws {
        let fix = try fix("id=a&timestamp=1764318000&lat=1&lon=2&speed=-1&bearing=-1&accuracy=-5&hdop=&altitude=")
        #expect(fix.speedMps == nil)
        #expect(fix.courseDeg == nil)
        #expect(fix.accuracyM == nil)
        #expect(fix.hdop == nil)
        #expect(fix.altitudeM == nil)
        #expect(try self.fix("id=a&timestamp=1764318000&lat=1&lon=2&bearing=360").courseDeg == nil)
    }

    @Test func requiredFieldsAndIdentity() {
        #expect(OsmAndFixtures.reason("timestamp=1764318000&lat=1&lon=2") == .noIdentity)
        #expect(OsmAndFixtures.reason("id=&timestamp=1764318000&lat=1&lon=2") == .badIdentity)
        #expect(OsmAndFixtures.reason("id=a%20b&timestamp=1764318000&lat=1&lon=2") == .badIdentity)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lon=2") == .badField)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lat=1") == .badField)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lat=abc&lon=2") == .badField)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lat=90.0000001&lon=2") == .badField)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lat=1&lon=-180.00000005") == .badField)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lat=1&lon=2&speed=fast") == .badField)
        #expect(OsmAndFixtures.reason("id=a&timestamp=1764318000&lat=1&lon=%ZZ") == .badFraming)
        // Identity problems win whatever the parameter order.
        #expect(OsmAndFixtures.reason("lat=abc&timestamp=1764318000&lon=2") == .noIdentity)
        #expect(OsmAndFixtures.reason("lat=abc&id=&lon=2") == .badIdentity)
    }

    @Test func repeatedParameterTakesTheLast() throws {
        let fix = try fix("id=a&id=b&timestamp=1764318000&lat=1&lat=3&lon=2")
        #expect(fix.device.rawValue == "b")
        #expect(fix.latitudeE7 == 30_000_000)
    }

    @Test func exactCoordinateConversion() throws {
        let fix = try fix("id=a&timestamp=1764318000&lat=-33.86881975&lon=151.20929549")
        #expect(fix.latitudeE7 == -338_688_198)
        #expect(fix.longitudeE7 == 1_512_092_955)
        let antimeridian = try self.fix("id=a&timestamp=1764318000&lat=-90&lon=-180")
        #expect(antimeridian.latitudeE7 == -900_000_000)
        #expect(antimeridian.longitudeE7 == -1_800_000_000)
    }
}
