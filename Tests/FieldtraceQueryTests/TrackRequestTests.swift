import FieldtraceCore
import Testing

@testable import FieldtraceQuery

@Suite struct TrackRequestTests {
    static let device = DeviceID("w1")!

    static func request(_ values: [String: String]) throws(QueryError) -> TrackRequest {
        try TrackRequest(device: device, parameters: QueryParameters(values))
    }

    @Test func readsEveryParameterWithDefaults() throws {
        let day = try Self.request(["from": "2025-11-29T00:00:00Z", "to": "1764460800000"])
        #expect(day.range == 1_764_374_400_000..<1_764_460_800_000)
        #expect(day.format == .json && day.smoothing == .none && day.simplifyMeters == nil && day.level == 0)
        let full = try Self.request([
            "from": "2025-11-29T08:00:00+08:00", "to": "2025-11-29T01:00:00.5Z", "format": "geojson", "smooth": "rts",
            "simplify_m": "2.5", "level": "1",
        ])
        #expect(full.range == 1_764_374_400_000..<1_764_378_000_500)
        #expect(full.format == .geojson && full.smoothing == .rts && full.simplifyMeters == 2.5 && full.level == 1)
    }

    @Test func rejectsBadParametersWithTheirNames() {
        let base = ["from": "2025-11-29T00:00:00Z", "to": "2025-11-30T00:00:00Z"]
        func failure(_ change: [String: String?]) -> QueryError? {
            var values = base
            for (key, value) in change { values[key] = value }
            do {
                _ = try Self.request(values)
                return nil
            } catch {
                return error
            }
        }
        #expect(failure(["from": nil])?.code == .missingParameter)
        #expect(failure(["from": nil])?.parameter == "from")
        #expect(failure(["to": "yesterday"])?.code == .badParameter)
        #expect(failure(["to": "yesterday"])?.message.contains("'yesterday'") == true)
        #expect(failure(["to": "2025-11-29T00:00:00Z"])?.code == .emptyRange)
        #expect(failure(["to": "2025-11-28T00:00:00Z"])?.message.contains("must be earlier") == true)
        let long = failure(["to": "2025-12-06T00:00:01Z"])
        #expect(long?.code == .rangeTooLong && long?.message.contains("7 days") == true)
        #expect(failure(["to": "2025-12-06T00:00:00Z"]) == nil)  // exactly 7 days is allowed
        #expect(failure(["format": "kml"])?.message.contains("json, geojson, gpx, csv") == true)
        #expect(failure(["smooth": "yes"])?.parameter == "smooth")
        for bad in ["0", "-1", "nan", "inf", "10001", "1e400", "abc"] {
            #expect(failure(["simplify_m": bad])?.parameter == "simplify_m", "simplify_m=\(bad)")
        }
        for bad in ["2", "-1", "one", "0.5"] { #expect(failure(["level": bad])?.parameter == "level") }
        #expect(failure(["format": String(repeating: "x", count: 500)])!.message.utf8.count < 200)
    }

    @Test func timesAreISO8601OrUnixMilliseconds() {
        #expect(QueryParameters.parseTime("0") == 0)
        #expect(QueryParameters.parseTime("1764374400000") == 1_764_374_400_000)
        #expect(QueryParameters.parseTime("2025-11-29T00:00:00.123Z") == 1_764_374_400_123)
        for bad in ["", "-5", "1.5", "1234567890123456", "2025-13-01T00:00:00Z", " 1", "0x10"] {
            #expect(QueryParameters.parseTime(bad) == nil, "\(bad)")
        }
    }

    @Test func describesDurationsInTheirLargestExactUnit() {
        #expect(QueryParameters.describe(ms: 7 * 86_400_000) == "7 days")
        #expect(QueryParameters.describe(ms: 3_600_000) == "1 hour")
        #expect(QueryParameters.describe(ms: 90_000) == "90 seconds")
        #expect(QueryParameters.describe(ms: 1500) == "1500 ms")
    }
}
