import FieldtraceAPI
import FieldtraceCore
import FieldtraceStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct TrackRoutesTests {
    static let hour = "from=2025-12-31T23:00:00Z&to=2026-01-01T00:00:00Z"

    @Test func theTrackStreamsInEveryFormatAcrossSegmentsAndTheBuffer() async throws {
        let fixture = try APIFixture()
        try fixture.trackDevice()
        try await fixture.test { client in
            let json = try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)", as: .analyst)
            #expect(json.status == .ok && json.headers[.contentType] == "application/json")
            let fixes = json.json["fixes"] as? [[String: Any]] ?? []
            #expect(fixes.count == 360 && json.json["count"] as? Int == 360)
            #expect(fixes.first?["time"] as? String == "2025-12-31T23:00:00.000Z")
            #expect(fixes.last?["lat"] as? Double == 52.50359)

            let geo = try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)&format=geojson", as: .analyst)
            #expect(geo.headers[.contentType] == "application/geo+json")
            let feature = (geo.json["features"] as? [[String: Any]])?.first
            let coordinates = (feature?["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]
            #expect(coordinates?.count == 360 && coordinates?[1] == [13.4, 52.50001])
            #expect(((feature?["properties"] as? [String: Any])?["times"] as? [String])?.count == 360)

            let csv = try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)&format=csv", as: .analyst)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.split(separator: "\n").count == 361)

            let gpx = try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)&format=gpx", as: .analyst)
            #expect(XMLParser(data: Data(buffer: gpx.body)).parse())
            #expect(gpx.text.components(separatedBy: "<trkpt ").count == 361)

            // Half-open range, simplification and smoothing.
            let part = try await client.call(
                .get, "/v1/devices/trk-1/track?from=\(APIFixture.trackStart)&to=\(APIFixture.trackStart + 20_000)",
                as: .analyst)
            #expect((part.json["fixes"] as? [Any])?.count == 2)
            let simple = try await client.call(
                .get, "/v1/devices/trk-1/track?\(Self.hour)&simplify_m=1&smooth=rts", as: .analyst)
            #expect(simple.status == .ok && ((simple.json["fixes"] as? [Any])?.count ?? 0) < 20)
        }
    }

    @Test func badParametersAreBadRequestsNamingTheParameter() async throws {
        let fixture = try APIFixture()
        try fixture.trackDevice()
        try await fixture.test { client in
            for (query, word) in [
                ("from=2026-01-01T00:00:00Z", "to"), ("\(Self.hour)&format=kml", "format"),
                ("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "earlier"),
                ("from=2026-01-01T00:00:00Z&to=2026-01-09T00:00:00Z", "7 days"), ("\(Self.hour)&smooth=x", "smooth"),
                ("\(Self.hour)&simplify_m=-3", "simplify_m"), ("\(Self.hour)&level=2", "level"),
                ("from=yesterday&to=2026-01-01T00:00:00Z", "from"),
            ] {
                let response = try await client.call(.get, "/v1/devices/trk-1/track?\(query)", as: .admin)
                #expect(response.status == .badRequest && response.errorCode == "bad_request", "\(query)")
                let message = (response.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(word), "\(query): \(message)")
            }
            let position = try await client.call(.get, "/v1/devices/trk-1/position", as: .admin)
            #expect(position.status == .badRequest)
            let visits = try await client.call(
                .get, "/v1/devices/trk-1/visits?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", as: .admin)
            #expect(visits.status == .badRequest)
        }
    }

    @Test func devicesOutsideTheTenantOrGroupScopeAreNotFound() async throws {
        let fixture = try APIFixture()
        try fixture.trackDevice()
        let directory = fixture.services.directory
        _ = try directory.createGroup(tenant: APIFixture.tenantA, NewGroup(id: "crew-b", name: "Crew B"))
        let scopedA = try TokenIssuer.issue(
            access: fixture.services.access, tenant: APIFixture.tenantA, role: .analyst, group: "crew-a",
            nowMs: fixture.clock.now
        ).secret
        let scopedB = try TokenIssuer.issue(
            access: fixture.services.access, tenant: APIFixture.tenantA, role: .analyst, group: "crew-b",
            nowMs: fixture.clock.now
        ).secret
        try await fixture.test { client in
            let uri = "/v1/devices/trk-1/track?\(Self.hour)"
            #expect(try await client.call(.get, uri, secret: scopedA).status == .ok)
            #expect(try await client.call(.get, uri, secret: scopedB).status == .notFound)
            #expect(try await client.call(.get, uri, as: .admin, tenant: APIFixture.tenantB).status == .notFound)
            let unknown = try await client.call(.get, "/v1/devices/nobody/track?\(Self.hour)", as: .admin)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
            let latestB = try await client.call(.get, "/v1/positions/latest", secret: scopedB)
            #expect((latestB.json["items"] as? [Any])?.isEmpty == true)
            let otherGroup = try await client.call(.get, "/v1/positions/latest?group=crew-a", secret: scopedB)
            #expect(otherGroup.status == .notFound)
        }
    }

    @Test func positionLatestAndVisits() async throws {
        let fixture = try APIFixture()
        try fixture.trackDevice()
        let directory = fixture.services.directory
        for i in 0..<3 {
            _ = try directory.createDevice(tenant: APIFixture.tenantA, NewDevice(id: "z\(i)"))
            try await fixture.store.append([
                Fix(device: DeviceID("z\(i)")!, timeMs: 1000 + Int64(i), latitudeE7: 1, longitudeE7: 2)
            ])
        }
        try await fixture.test { client in
            let at = APIFixture.trackStart + 15_000
            let position = try await client.call(.get, "/v1/devices/trk-1/position?at=\(at)", as: .dispatcher)
            #expect(position.json["status"] as? String == "interpolated")
            #expect(position.json["lat"] as? Double == 52.500015 && position.json["lon"] as? Double == 13.4)
            #expect((position.json["radius_m"] as? Double ?? 0) > 8)
            let exact = try await client.call(
                .get, "/v1/devices/trk-1/position?at=2025-12-31T23:00:10Z", as: .dispatcher)
            #expect(exact.json["status"] as? String == "exact" && exact.json["exact"] as? Bool == true)
            let after = try await client.call(.get, "/v1/devices/trk-1/position?at=2026-01-02T00:00:00Z", as: .admin)
            #expect(after.json["status"] as? String == "after_track" && after.json["lat"] is NSNull)

            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/positions/latest?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.call(.get, uri, as: .dispatcher)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["device"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == ["trk-1", "z0", "z1", "z2"])
            let last = try await client.call(.get, "/v1/positions/latest?limit=1", as: .dispatcher)
            #expect((last.json["items"] as? [[String: Any]])?.first?["time"] as? String == "2025-12-31T23:59:50.000Z")

            let visits = try await client.call(.get, "/v1/devices/trk-1/visits?\(Self.hour)", as: .attendance)
            let items = visits.json["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["open"] as? Bool } == [false, true])
            #expect(items.first?["duration_s"] as? Double == 600 && items.first?["subject"] as? String == "site-1")
            let stops = try await client.call(.get, "/v1/devices/trk-1/stops?\(Self.hour)", as: .attendance)
            #expect((stops.json["items"] as? [Any])?.isEmpty == true)
            // The attendance role reads visits but not raw tracks.
            #expect(
                try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)", as: .attendance).status
                    == .forbidden)
        }
    }

    @Test func everyLocationReadIsAudited() async throws {
        let fixture = try APIFixture()
        try fixture.trackDevice()
        let rows = try await fixture.test { client in
            _ = try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)&format=csv", as: .analyst)
            _ = try await client.call(.get, "/v1/devices/trk-1/position?at=0", as: .analyst)
            _ = try await client.call(.get, "/v1/positions/latest", as: .analyst)
            _ = try await client.call(.get, "/v1/devices/trk-1/visits?\(Self.hour)", as: .attendance)
            _ = try await client.call(.get, "/v1/devices/trk-1/track?\(Self.hour)", as: .attendance)  // 403
            _ = try await client.call(.get, "/v1/devices/nobody/track?\(Self.hour)", as: .analyst)  // 404
            return try fixture.services.access.auditRecords(limit: 100)
        }
        #expect(rows.map(\.status) == [200, 200, 200, 200, 403, 404])
        #expect(rows.map(\.method) == Array(repeating: "GET", count: 6))
        #expect(rows[0].path == "/v1/devices/trk-1/track" && rows[2].path == "/v1/positions/latest")
        #expect(rows[3].token == fixture.tokenIDs[APIFixture.tenantA]![.attendance]!)
    }
}
