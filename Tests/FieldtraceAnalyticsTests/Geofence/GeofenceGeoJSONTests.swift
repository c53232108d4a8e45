import FieldtraceAnalytics
import FieldtraceTestSupport
import Testing

@Suite struct GeofenceGeoJSONTests {
    static let sample = #"""
        {"type":"FeatureCollection","features":[
          {"type":"Feature","id":"depot","geometry":{"type":"Point","coordinates":[121.4737,31.2304]},
           "properties":{"name":"Depot 北","radius_m":150,"margin_m":20,"enter_dwell_s":30,"exit_dwell_s":90,
                         "dwell_s":3600,"active_hours":"08:00-18:00","utc_offset":"+08:00","speed_limit_kmh":15,
                         "customer":"ACME","tags":["a",1]}},
          {"type":"Feature","id":7,"geometry":{"type":"Polygon","coordinates":[
             [[121.47,31.23],[121.48,31.23],[121.48,31.24],[121.47,31.24],[121.47,31.23]],
             [[121.474,31.234],[121.474,31.236],[121.476,31.236],[121.476,31.234],[121.474,31.234]]]},
           "properties":{"active_hours":"22:00-06:00","timezone_offset_min":-300}},
          {"type":"Feature","geometry":{"type":"LineString","coordinates":[[121.40,31.20],[121.41,31.21],[121.42,31.21]]},
           "properties":{"id":"road-9","width_m":40}},
          {"type":"Feature","id":"two","geometry":{"type":"MultiPolygon","coordinates":[
             [[[0,0],[0.01,0],[0.01,0.01],[0,0],[0,0]]],[[[1,1],[1.01,1],[1.01,1.01],[1,1]]]]},"properties":null}
        ]}
        """#

    @Test func readsEveryKindAndItsProperties() throws {
        let fences = try Geofence.readCollection(Array(Self.sample.utf8))
        #expect(fences.map(\.id) == ["depot", "7", "road-9", "two"])
        let depot = fences[0]
        #expect(depot.shape == .circle(center: GeoPosition(longitude: 121.4737, latitude: 31.2304), radiusM: 150))
        #expect(depot.name == "Depot 北" && depot.marginM == 20 && depot.enterDwellS == 30 && depot.exitDwellS == 90)
        #expect(depot.dwellS == 3600 && depot.speedLimitKmh == 15)
        #expect(depot.activeHours?.utcOffsetMinutes == 480 && depot.activeHours?.description == "08:00-18:00")
        #expect(depot.otherProperties.map(\.key) == ["customer", "tags"])
        guard case .polygon(let rings) = fences[1].shape else { Issue.record("not a polygon"); return }
        #expect(rings.count == 2 && rings[1].count == 5)
        #expect(fences[1].activeHours?.utcOffsetMinutes == -300)
        #expect(
            fences[2].shape
                == .corridor(
                    line: [
                        GeoPosition(longitude: 121.40, latitude: 31.20),
                        GeoPosition(longitude: 121.41, latitude: 31.21),
                        GeoPosition(longitude: 121.42, latitude: 31.21),
                    ], widthM: 40))
        guard case .multiPolygon(let parts) = fences[3].shape else { Issue.record("not a multipolygon"); return }
        #expect(parts.count == 2)
    }

    @Test func writesAndReadsBackTheSameFences() throws {
        let fences = try Geofence.readCollection(Array(Self.sample.utf8))
        var out: [UInt8] = []
        Geofence.appendCollection(fences, to: &out)
        let again = try Geofence.readCollection(out)
        #expect(again == fences)
        // Writing is deterministic and stable: the second write is byte-identical.
        var second: [UInt8] = []
        Geofence.appendCollection(again, to: &second)
        #expect(second == out)
        // And a large synthetic set survives the round trip too.
        let synthetic = try Geofence.readCollection(Array(SyntheticFences.geoJSON(count: 500, seed: 3).utf8))
        var bytes: [UInt8] = []
        Geofence.appendCollection(synthetic, to: &bytes)
        #expect(try Geofence.readCollection(bytes) == synthetic)
    }

    static func feature(_ geometry: String, _ properties: String = "{}", id: String = #""id":"x","#) -> String {
        #"{"type":"FeatureCollection","features":[{"type":"Feature","id":"ok","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"radius_m":1}},{"type":"Feature",\#(id)"geometry":\#(geometry),"properties":\#(properties)}]}"#
    }

    static let square = #"[[0,0],[1,0],[1,1],[0,1],[0,0]]"#

    @Test(arguments: [
        (
            feature(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]}"#),
            GeoJSONError.Reason.ringNotClosed(ring: 0)
        ),
        (
            feature(#"{"type":"Polygon","coordinates":[\#(square),[[0,0],[1,1],[0,0]]]}"#),
            .ringTooShort(ring: 1, positions: 3)
        ),
        (
            feature(#"{"type":"Point","coordinates":[0,0]}"#, #"{"radius_m":0}"#),
            .invalidProperty(key: "radius_m", "must be > 0")
        ),
        (
            feature(#"{"type":"Point","coordinates":[0,0]}"#, #"{"radius_m":-5}"#),
            .invalidProperty(key: "radius_m", "must be > 0")
        ),
        (
            feature(#"{"type":"Point","coordinates":[0,91]}"#, #"{"radius_m":5}"#),
            .coordinateOutOfRange(latitude: 91, longitude: 0)
        ),
        (
            feature(#"{"type":"Point","coordinates":[181,0]}"#, #"{"radius_m":5}"#),
            .coordinateOutOfRange(latitude: 0, longitude: 181)
        ),
        (feature(#"{"type":"Polygon","coordinates":[\#(square)]}"#, id: ""), .missingID),
        (feature(#"{"type":"Polygon","coordinates":[\#(square)]}"#, id: #""id":"ok","#), .duplicateID("ok")),
        (
            feature(#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#),
            .invalidProperty(key: "width_m", "a LineString fence (corridor) needs width_m > 0")
        ),
        (
            feature(#"{"type":"Polygon","coordinates":[\#(square)]}"#, #"{"active_hours":"8-18"}"#),
            .invalidProperty(key: "active_hours", "expected \"HH:MM-HH:MM\" ranges, comma-separated")
        ),
        (
            feature(#"{"type":"Polygon","coordinates":[\#(square)]}"#, #"{"margin_m":"20"}"#),
            .invalidProperty(key: "margin_m", "must be a number, not string")
        ),
        (
            feature(#"{"type":"MultiPoint","coordinates":[[0,0]]}"#),
            .invalidGeometry(
                "a fence is a Point with radius_m, a Polygon or MultiPolygon, or a LineString with width_m; found MultiPoint"
            )
        ),
    ])
    func rejectsABadFenceNamingItsIndex(text: String, reason: GeoJSONError.Reason) {
        #expect(throws: GeoJSONError(featureIndex: 1, reason)) { try Geofence.readCollection(Array(text.utf8)) }
    }

    @Test func explainsErrorsInWords() {
        let error = GeoJSONError(featureIndex: 3, .ringNotClosed(ring: 0))
        #expect(error.description == "feature 3: polygon ring 0 is not closed (first and last positions differ)")
        #expect(throws: GeoJSONError.self) { try Geofence.readCollection(Array("[1,2]".utf8)) }
        #expect(throws: GeoJSONError(featureIndex: nil, .json(.unexpectedEnd(offset: 1)))) {
            try Geofence.readCollection(Array("{".utf8))
        }
    }

    @Test func readsGenericFeaturesSuchAsRoutes() throws {
        let text = #"""
            {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString",
            "coordinates":[[121.4,31.2,5],[121.5,31.3,6]]},"properties":{"id":"r1","width_m":50,"device":"w1",
            "from":"2024-05-01T08:00:00Z","to":"2024-05-01T18:00:00Z"}}]}
            """#
        let features = try GeoJSON.readFeatures(Array(text.utf8))
        #expect(features.count == 1 && features[0].identifier == "r1")
        #expect(
            features[0].property("device")?.stringValue == "w1" && features[0].property("width_m")?.doubleValue == 50)
        guard case .lineString(let line)? = features[0].geometry else { Issue.record("not a line"); return }
        #expect(line[1] == GeoPosition(longitude: 121.5, latitude: 31.3, altitude: 6))
    }

    @Test func activeHoursFollowTheLocalClock() throws {
        let day = try #require(ActiveHours(parsing: "08:00-18:00", utcOffsetMinutes: 480))
        // 2024-05-01T00:00:00Z is 08:00 in UTC+8.
        let midnightUTC: Int64 = 1_714_521_600_000
        #expect(day.contains(timeMs: midnightUTC))
        #expect(!day.contains(timeMs: midnightUTC - 1))
        #expect(day.contains(timeMs: midnightUTC + 10 * 3_600_000 - 1))
        #expect(!day.contains(timeMs: midnightUTC + 10 * 3_600_000))
        let night = try #require(ActiveHours(parsing: "22:00-06:00,12:00-12:30", utcOffsetMinutes: 0))
        #expect(night.contains(timeMs: midnightUTC + 23 * 3_600_000) && night.contains(timeMs: midnightUTC + 3_600_000))
        #expect(
            night.contains(timeMs: midnightUTC + 12 * 3_600_000) && !night.contains(timeMs: midnightUTC + 7 * 3_600_000)
        )
        #expect(ActiveHours(parsing: "08:00-08:00", utcOffsetMinutes: 0) == nil)
        #expect(ActiveHours(parsing: "00:00-24:00", utcOffsetMinutes: 0) != nil)
        #expect(ActiveHours.parseUTCOffset("-05:30") == -330 && ActiveHours.parseUTCOffset("+0800") == 480)
        #expect(ActiveHours.parseUTCOffset("+8") == nil)
    }
}
