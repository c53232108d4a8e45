import FieldtraceAPI
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Foundation
import Hummingbird
import Testing

@Suite struct ReportRoutesTests {
    static let t0: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z, a Thursday; the fixture's clock

    static func fix(_ device: String, lat: Double, lon: Double, atMs: Int64 = t0, speed: Double = 0) -> Fix {
        Fix(
            device: DeviceID(device)!, timeMs: atMs, receivedMs: atMs, latitudeE7: Int32((lat * 1e7).rounded()),
            longitudeE7: Int32((lon * 1e7).rounded()), speedMps: speed, source: .osmand)
    }

    @Test func theDashboardIsOnePageWithoutExternalAssets() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let page = try await client.call(.get, "/")
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
            for id in ["map", "workers", "feed", "attendance", "replay-time", "token"] {
                #expect(page.text.contains("id=\"\(id)\""), "element #\(id)")
            }
            #expect(!page.text.contains("src=\"http") && !page.text.contains("href=\"http"), "no external assets")
            // The one <link> is the empty inline icon (so that browsers do not ask for /favicon.ico).
            let links = page.text.components(separatedBy: "<link").dropFirst()
            #expect(links.allSatisfy { $0.hasPrefix(#" rel="icon" href="data:,">"#) }, "only the inline icon link")
            #expect(!page.text.contains("<script src"))
        }
    }

    @Test func nearestWorkersOfTheTenantOnly() async throws {
        let fixture = try APIFixture()
        let fleet = fixture.services.fleet
        fleet.update(Self.fix("near", lat: 31.2001, lon: 121.4, speed: 3), tenant: APIFixture.tenantA, group: "crew")
        fleet.update(Self.fix("far", lat: 31.3, lon: 121.4), tenant: APIFixture.tenantA, group: nil)
        fleet.update(
            Self.fix("stale", lat: 31.2, lon: 121.4, atMs: Self.t0 - 3_600_000), tenant: APIFixture.tenantA, group: nil)
        fleet.update(Self.fix("other", lat: 31.2, lon: 121.4), tenant: APIFixture.tenantB, group: nil)
        try await fixture.test { client in
            let r = try await client.call(.get, "/v1/dispatch/nearest?lat=31.2&lon=121.4&n=5", as: .dispatcher)
            #expect(r.status == .ok, "\(r.text)")
            let items = try #require(r.json["items"] as? [[String: Any]])
            #expect(items.map { $0["device"] as? String } == ["near", "far"], "\(r.text)")
            #expect(abs((items[0]["distance_m"] as? Double ?? 0) - 11.1) < 0.2)
            #expect(items[0]["motion"] as? String == "moving" && items[1]["motion"] as? String == "stopped")
            let group = try await client.call(.get, "/v1/dispatch/nearest?lat=31.2&lon=121.4&group=crew", as: .admin)
            #expect((group.json["items"] as? [[String: Any]])?.count == 1)
            let bad = try await client.call(.get, "/v1/dispatch/nearest?lat=95&lon=121.4", as: .dispatcher)
            #expect(bad.status == .badRequest && bad.errorCode == "bad_request" && bad.text.contains("lat"))
            let missing = try await client.call(.get, "/v1/dispatch/nearest?lon=121.4", as: .dispatcher)
            #expect(missing.status == .badRequest)
        }
    }

    @Test func liveStreamWithTheTokenInTheQuery() async throws {
        let fixture = try APIFixture()
        fixture.services.fleet.update(Self.fix("w1", lat: 31.2, lon: 121.4), tenant: APIFixture.tenantA, group: nil)
        fixture.services.fleet.update(Self.fix("wb", lat: 31.2, lon: 121.4), tenant: APIFixture.tenantB, group: nil)
        let secret = fixture.secret(.analyst)
        try await fixture.test { client in
            let r = try await client.call(
                .get, "/v1/positions/stream?access_token=\(secret)&interval_s=0.2&duration_s=0.5")
            #expect(r.status == .ok && r.headers[.contentType] == "text/event-stream")
            #expect(r.text.hasPrefix("event: positions\ndata: {\"items\":[{\"device\":\"w1\""), "\(r.text)")
            #expect(!r.text.contains("wb"), "another tenant's worker")
            let wrong = try await client.call(.get, "/v1/positions/stream?access_token=ft_nope&duration_s=0.2")
            #expect(wrong.status == .unauthorized)
            // The query token is for event streams only.
            let elsewhere = try await client.call(.get, "/v1/dispatch/nearest?lat=1&lon=1&access_token=\(secret)")
            #expect(elsewhere.status == .unauthorized)
        }
    }

    @Test func attendanceAndDailyReports() async throws {
        let fixture = try APIFixture()
        let directory = fixture.services.directory
        _ = try directory.createGroup(
            tenant: APIFixture.tenantA,
            NewGroup(
                id: "crew", name: "Crew", timeZone: "+08:00", shifts: #"{"thu": [{"start": "08:00", "end": "17:00"}]}"#)
        )
        _ = try directory.createGroup(tenant: APIFixture.tenantA, NewGroup(id: "sales", name: "Sales"))
        _ = try directory.createDevice(tenant: APIFixture.tenantA, NewDevice(id: "w1", group: "crew"))
        _ = try directory.createDevice(tenant: APIFixture.tenantA, NewDevice(id: "w2", group: "sales"))
        // 2026-01-01 08:30 to 12:00 at +08:00 is 00:30 to 04:00 UTC.
        let enter = Self.t0 + 30 * 60_000
        let exit = Self.t0 + 4 * 3_600_000
        func event(_ kind: String, _ ms: Int64) -> NewEvent {
            NewEvent(
                tenant: APIFixture.tenantA,
                event: AnalyticsEvent(
                    kind: EventKind(kind), device: DeviceID("w1")!, timeMs: ms, confirmedAtMs: ms, subject: "site-a"),
                detectedMs: ms, step: 2 * ms)
        }
        _ = try fixture.services.eventLog.append([event("geofence.enter", enter), event("geofence.exit", exit)])
        fixture.clock.advance(ms: 86_400_000)
        let scoped = try TokenIssuer.issue(
            access: fixture.services.access, tenant: APIFixture.tenantA, role: .analyst, group: "sales", name: "scoped",
            nowMs: fixture.clock.now
        ).secret
        try await fixture.test { client in
            let r = try await client.call(.get, "/v1/reports/attendance?date=2026-01-01", as: .attendance)
            #expect(r.status == .ok, "\(r.text)")
            let workers = try #require(r.json["workers"] as? [[String: Any]])
            #expect(workers.map { $0["device"] as? String } == ["w1", "w2"])
            let sites = try #require(workers[0]["sites"] as? [[String: Any]])
            #expect(sites.first?["first_arrival"] as? String == "2026-01-01T00:30:00.000Z")
            let flags = (workers[0]["flags"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(flags == ["late_arrival", "early_departure"], "\(flags)")
            let csv = try await client.call(.get, "/v1/reports/attendance?date=2026-01-01&format=csv", as: .admin)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.contains("\nw1,,crew,site-a,"))
            let daily = try await client.call(.get, "/v1/reports/daily?date=2026-01-01&device=w1", as: .analyst)
            #expect((daily.json["workers"] as? [[String: Any]])?.first?["visits"] as? Int == 1, "\(daily.text)")
            // A token scoped to a group sees only that group.
            let mine = try await client.call(.get, "/v1/reports/attendance?date=2026-01-01", secret: scoped)
            #expect((mine.json["workers"] as? [[String: Any]])?.map { $0["device"] as? String } == ["w2"])
            let theirs = try await client.call(.get, "/v1/reports/daily?date=2026-01-01&device=w1", secret: scoped)
            #expect(theirs.status == .notFound)
            let bad = try await client.call(.get, "/v1/reports/attendance?date=01/01/2026", as: .admin)
            #expect(bad.status == .badRequest && bad.text.contains("YYYY-MM-DD"))
            let heat = try await client.call(
                .get, "/v1/reports/heatmap?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", as: .admin)
            #expect(heat.status == .badRequest && heat.text.contains("31 days"))
        }
    }
}
