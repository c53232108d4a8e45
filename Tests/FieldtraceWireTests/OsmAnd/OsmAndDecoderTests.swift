import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct OsmAndDecoderTests {
    @Test func eachCallIsOneRequestAndNothingIsReplied() {
        let result = OsmAndFixtures.decode([
            "id=a&timestamp=1764318000&lat=1&lon=2",
            "GET /?id=b&timestamp=1764318000&lat=1&lon=2 HTTP/1.1",
            "timestamp=1764318000&lat=1&lon=2",
            #"{"device_id":"c","location":{"timestamp":1764318000,"coords":{"latitude":1,"longitude":2}}}"#,
        ])
        #expect(result.fixes.map(\.device.rawValue) == ["a", "b", "c"])
        #expect(result.replies.isEmpty)
        #expect(!result.shouldClose)
        #expect(result.counters.summary == "frames=4 fixes=3 ignored=0 rejected=1 (no_identity=1)")
        #expect(result.identity?.rawValue == "c")
    }

    @Test func tooLargeIsRejectedBeforeParsing() {
        var configuration = WireConfiguration()
        configuration.limits.osmandRequestMaxBytes = 64
        let request = "id=a&timestamp=1764318000&lat=1&lon=2&pad=" + String(repeating: "x", count: 40)
        let result = OsmAndFixtures.decode([request], configuration: configuration)
        #expect(result.counters.summary == "frames=1 fixes=0 ignored=0 rejected=1 (too_long=1)")
        #expect(result.rejections.first?.bytes.count == WireError.maxBytes)
    }

    @Test func emptyRequest() {
        #expect(OsmAndFixtures.reason("") == .badFraming)
    }

    @Test func lateArrivalIsNotFlagged() throws {
        // A position queued for a year still arrives as a normal fix.
        let result = OsmAndFixtures.decode(["id=a&timestamp=1732780800&lat=1&lon=2"])
        let fix = try #require(result.fixes.first)
        #expect(!fix.isLate)
        #expect(fix.flags == .valid)
    }

    @Test func deviceIDAtTheLengthLimit() {
        let id64 = String(repeating: "a", count: 64)
        #expect(OsmAndFixtures.decode(["id=\(id64)&timestamp=1764318000&lat=1&lon=2"]).fixes.count == 1)
        #expect(OsmAndFixtures.reason("id=\(id64)b&timestamp=1764318000&lat=1&lon=2") == .badIdentity)
    }

    @Test func hugeBatchBufferIsNotKept() {
        var decoder = OsmAndDecoder(configuration: .init())
        var output = WireOutput()
        let body = #"{"device_id":"p","location":["# + Array(repeating: "{}", count: 2000).joined(separator: ",") + "]}"
        decoder.consume(Array(body.utf8), receivedMs: OsmAndFixtures.receivedMs, into: &output)
        #expect(output.counters.summary == "frames=1 fixes=0 ignored=0 rejected=2000 (bad_field=2000)")
        #expect(decoder.positions.capacity <= OsmAndDecoder.keptPositions)
        #expect(output.rejections.count == WireConfiguration().maxRejectionsKept)
    }

    @Test func repeatedLocationMemberTakesTheLast() {
        let body =
            #"{"device_id":"p","location":{"timestamp":1764318000,"coords":{"latitude":1,"longitude":2}},"#
            + #""location":[{"timestamp":1764318000,"coords":{"latitude":3,"longitude":4}}]}"#
        let result = OsmAndFixtures.decode([body])
        #expect(result.fixes.map(\.latitudeE7) == [30_000_000])
    }
}
