import FieldtraceAPI
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Foundation
import Hummingbird
import Testing

@Suite struct JobRoutesTests {
    static let t0: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z, the fixture's clock
    static func at(_ h: Int, _ m: Int = 0) -> Int64 { t0 + Int64(h * 60 + m) * 60_000 }

    /// Tenant A: device `w1` (no group: a UTC day), fences `site-a` and `site-b`; tenant B:
    /// device `wb` and fence `site-a` of its own.
    static func fixture() throws -> APIFixture {
        let fixture = try APIFixture()
        let d = fixture.services.directory
        _ = try d.createDevice(tenant: APIFixture.tenantA, NewDevice(id: "w1"))
        _ = try d.createGeofence(tenant: APIFixture.tenantA, feature: Array(Self.circle("site-a").utf8))
        _ = try d.createGeofence(tenant: APIFixture.tenantA, feature: Array(Self.circle("site-b").utf8))
        _ = try d.createDevice(tenant: APIFixture.tenantB, NewDevice(id: "wb"))
        _ = try d.createGeofence(tenant: APIFixture.tenantB, feature: Array(Self.circle("site-a").utf8))
        return fixture
    }

    static func circle(_ id: String) -> String {
        #"{"type":"Feature","id":"\#(id)","geometry":{"type":"Point","coordinates":[13.4,52.5]},"properties":{"radius_m":100}}"#
    }

    /// A visit of `device` to `site` from `enter` to `exit` in the event log, as the engine writes it.
    static func visit(
        _ fixture: APIFixture, tenant: String, device: String, site: String, _ enter: Int64, _ exit: Int64
    )
        throws
    {
        func event(_ kind: EventKind, _ ms: Int64) -> NewEvent {
            NewEvent(
                tenant: tenant,
                event: AnalyticsEvent(
                    kind: kind, device: DeviceID(device)!, timeMs: ms, confirmedAtMs: ms, subject: site),
                detectedMs: ms, step: 2 * ms)
        }
        _ = try fixture.services.eventLog.append([event(.geofenceEnter, enter), event(.geofenceExit, exit)])
    }

    @Test func createListChangeCancelAndDeleteAJob() async throws {
        let fixture = try Self.fixture()
        let rows = try await fixture.test { client in
            let created = try await client.call(
                .post, "/v1/jobs", as: .dispatcher,
                body:
                    #"{"id":"j1","device":"w1","site":"site-a","assigned_at":"2026-01-01T08:00:00Z","due_at":1767258000000,"note":"ring twice"}"#
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["assigned_at"] as? String == "2026-01-01T08:00:00.000Z")
            #expect(created.json["due_at"] as? String == "2026-01-01T09:00:00.000Z")
            #expect(created.json["status"] as? String == "open" && created.json["arrived_at"] is NSNull)
            // assigned_at defaults to now (the fixture's clock).
            let now = try await client.call(.post, "/v1/jobs", as: .admin, body: #"{"device":"w1","site":"site-b"}"#)
            #expect(now.status == .created && now.json["assigned_at"] as? String == "2026-01-01T00:00:00.000Z")
            let generated = try #require(now.json["id"] as? String)

            let list = try await client.call(.get, "/v1/jobs?device=w1&limit=1", as: .analyst)
            #expect(
                list.status == .ok && (list.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["j1"])
            let next = try #require(list.json["next_cursor"] as? String)
            let rest = try await client.call(.get, "/v1/jobs?device=w1&limit=1&cursor=\(next)", as: .analyst)
            #expect((rest.json["items"] as? [[String: Any]])?.first?["id"] as? String == generated)
            let morning = try await client.call(
                .get, "/v1/jobs?from=2026-01-01T06:00:00Z&to=2026-01-01T12:00:00Z", as: .analyst)
            #expect((morning.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["j1"])

            let patched = try await client.call(
                .patch, "/v1/jobs/j1", as: .dispatcher, body: #"{"note":null,"due_at":null,"status":"cancelled"}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["status"] as? String == "cancelled" && patched.json["note"] is NSNull)
            #expect(patched.json["cancelled_at"] as? String == "2026-01-01T00:00:00.000Z")
            let reopened = try await client.call(.patch, "/v1/jobs/j1", as: .admin, body: #"{"status":"open"}"#)
            #expect(reopened.json["status"] as? String == "open" && reopened.json["cancelled_at"] is NSNull)

            #expect(try await client.call(.delete, "/v1/jobs/j1", as: .dispatcher).status == .noContent)
            let gone = try await client.call(.get, "/v1/jobs/j1", as: .admin)
            #expect(gone.status == .notFound && gone.errorCode == "not_found")
            return try fixture.services.access.auditRecords(limit: 100)
        }
        // Changes and reads (a job's arrival is location-derived) are audited.
        #expect(
            rows.filter { $0.path.hasPrefix("/v1/jobs") }.map(\.method).prefix(4) == ["POST", "POST", "GET", "GET"])
    }

    @Test func badInputAnswersWithTheErrorBody() async throws {
        let fixture = try Self.fixture()
        try await fixture.test { client in
            func post(_ body: String) async throws -> (Int, String?, String) {
                let r = try await client.call(.post, "/v1/jobs", as: .admin, body: body)
                return (r.status.code, r.errorCode, r.text)
            }
            let cases: [(String, String)] = [
                (#"{"device":"w1","site":"nowhere"}"#, "site"),
                (#"{"device":"nobody","site":"site-a"}"#, "device"),
                (#"{"device":"wb","site":"site-a"}"#, "device"),  // tenant B's device
                (#"{"site":"site-a"}"#, "device: required"),
                (#"{"device":"w1","site":"site-a","assigned_at":"yesterday"}"#, "assigned_at"),
                (#"{"device":"w1","site":"site-a","assigned_at":1.5}"#, "assigned_at"),
                (#"{"device":"w1","site":"site-a","assigned_at":true}"#, "assigned_at"),
                (#"{"device":"w1","site":"site-a","assigned_at":-5}"#, "assigned_at"),
                (
                    #"{"device":"w1","site":"site-a","assigned_at":"2026-01-01T08:00:00Z","due_at":"2026-01-01T07:00:00Z"}"#,
                    "due_at"
                ),
                (#"{"device":"w1","site":"site-a","status":"open"}"#, "unknown field"),
                (#"{"device":"w1","site":"site-a","assigned_at":null}"#, "assigned_at: expected a time, not null"),
                (#"{"device":"w1","site":null}"#, "site: expected a string"),
                (#"[1]"#, "object"),
            ]
            for (body, words) in cases {
                let (status, code, text) = try await post(body)
                #expect(status == 400 && code == "bad_request" && text.contains(words), "\(body): \(status) \(text)")
            }
            let nullNote = try await post(#"{"id":"j1","device":"w1","site":"site-a","note":null,"due_at":null}"#)
            #expect(nullNote.0 == 201, "\(nullNote.2)")
            let (status, code, _) = try await post(#"{"id":"j1","device":"w1","site":"site-a"}"#)
            #expect(status == 409 && code == "conflict")

            let arrived = try await client.call(.patch, "/v1/jobs/j1", as: .admin, body: #"{"status":"arrived"}"#)
            #expect(arrived.status == .badRequest && arrived.text.contains("derived"))
            let otherID = try await client.call(.patch, "/v1/jobs/j1", as: .admin, body: #"{"id":"j2"}"#)
            #expect(otherID.status == .badRequest)
            let missing = try await client.call(.patch, "/v1/jobs/j9", as: .admin, body: #"{"note":"x"}"#)
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
            let unknownDevice = try await client.call(.get, "/v1/jobs?device=nobody", as: .admin)
            #expect(unknownDevice.status == .notFound && unknownDevice.errorCode == "not_found")
            let badTime = try await client.call(.get, "/v1/jobs?from=noon", as: .admin)
            #expect(badTime.status == .badRequest && badTime.text.contains("from"))
            let backwards = try await client.call(
                .get, "/v1/jobs?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", as: .admin)
            #expect(backwards.status == .badRequest && backwards.errorCode == "bad_request")
        }
    }

    /// A job assigned at 08:00 and reached at 08:25 takes 25 minutes; one never reached has
    /// arrived null; a cancelled one is left out; tenant B's job of the same id is not seen.
    @Test func theDailyReportGivesEachJobsResponseTime() async throws {
        let fixture = try Self.fixture()
        let d = fixture.services.directory
        let a = APIFixture.tenantA
        _ = try d.createJob(tenant: a, NewJob(id: "j1", device: "w1", site: "site-a", assignedMs: Self.at(8)))
        _ = try d.createJob(tenant: a, NewJob(id: "j2", device: "w1", site: "site-b", assignedMs: Self.at(8, 10)))
        _ = try d.createJob(tenant: a, NewJob(id: "j3", device: "w1", site: "site-a", assignedMs: Self.at(7)))
        _ = try d.updateJob(tenant: a, id: "j3", JobPatch(cancelled: true))
        _ = try d.createJob(
            tenant: APIFixture.tenantB, NewJob(id: "j1", device: "wb", site: "site-a", assignedMs: Self.at(9)))
        try Self.visit(fixture, tenant: a, device: "w1", site: "site-a", Self.at(8, 25), Self.at(9))
        fixture.clock.advance(ms: 86_400_000)
        try await fixture.test { client in
            let r = try await client.call(.get, "/v1/reports/daily?date=2026-01-01&device=w1", as: .analyst)
            #expect(r.status == .ok, "\(r.text)")
            let worker = try #require((r.json["workers"] as? [[String: Any]])?.first)
            let responses = try #require(worker["responses"] as? [[String: Any]])
            #expect(responses.map { $0["job"] as? String } == ["j1", "j2"], "\(r.text)")
            #expect(responses[0]["minutes"] as? Double == 25)
            #expect(responses[0]["arrived"] as? String == "2026-01-01T08:25:00.000Z")
            #expect(responses[1]["arrived"] is NSNull && responses[1]["minutes"] is NSNull)
            #expect((r.json["totals"] as? [String: Any])?["median_response_minutes"] as? Double == 25)

            let csv = try await client.call(.get, "/v1/reports/daily?date=2026-01-01&format=csv", as: .admin)
            let lines = csv.text.split(separator: "\n")
            #expect(lines.first?.hasSuffix(",jobs,jobs_reached,median_response_minutes") == true, "\(csv.text)")
            #expect(lines.count == 2 && lines[1].hasPrefix("w1,") && lines[1].hasSuffix(",2,1,25"), "\(csv.text)")

            let job = try await client.call(.get, "/v1/jobs/j1", as: .analyst)
            #expect(job.json["status"] as? String == "arrived" && job.json["response_minutes"] as? Double == 25)
            #expect(job.json["arrived_at"] as? String == "2026-01-01T08:25:00.000Z")
            let open = try await client.call(.get, "/v1/jobs/j2", as: .analyst)
            #expect(open.json["status"] as? String == "open" && open.json["arrived_at"] is NSNull)

            // Tenant B sees only its own job j1, never reached.
            let theirs = try await client.call(.get, "/v1/jobs", as: .admin, tenant: APIFixture.tenantB)
            let items = try #require(theirs.json["items"] as? [[String: Any]])
            #expect(
                items.count == 1 && items[0]["device"] as? String == "wb" && items[0]["status"] as? String == "open")
            let report = try await client.call(
                .get, "/v1/reports/daily?date=2026-01-01", as: .admin, tenant: APIFixture.tenantB)
            let b = try #require((report.json["workers"] as? [[String: Any]])?.first)
            #expect((b["responses"] as? [[String: Any]])?.map { $0["job"] as? String } == ["j1"])
            #expect((b["responses"] as? [[String: Any]])?.first?["site"] as? String == "site-a")
            #expect((b["responses"] as? [[String: Any]])?.first?["arrived"] is NSNull)
        }
    }

    @Test func aGroupScopedTokenSeesOnlyItsGroupsJobs() async throws {
        let fixture = try Self.fixture()
        let d = fixture.services.directory
        let a = APIFixture.tenantA
        _ = try d.createGroup(tenant: a, NewGroup(id: "crew", name: "Crew"))
        _ = try d.createDevice(tenant: a, NewDevice(id: "w2", group: "crew"))
        _ = try d.createJob(tenant: a, NewJob(id: "mine", device: "w2", site: "site-a", assignedMs: Self.at(8)))
        _ = try d.createJob(tenant: a, NewJob(id: "theirs", device: "w1", site: "site-a", assignedMs: Self.at(8)))
        let scoped = try TokenIssuer.issue(
            access: fixture.services.access, tenant: a, role: .dispatcher, group: "crew", name: "crew dispatch",
            nowMs: fixture.clock.now
        ).secret
        try await fixture.test { client in
            let list = try await client.call(.get, "/v1/jobs", secret: scoped)
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == ["mine"])
            #expect(try await client.call(.get, "/v1/jobs/theirs", secret: scoped).status == .notFound)
            #expect(try await client.call(.delete, "/v1/jobs/theirs", secret: scoped).status == .notFound)
            let outside = try await client.call(
                .post, "/v1/jobs", secret: scoped, body: #"{"device":"w1","site":"site-a"}"#)
            #expect(outside.status == .badRequest && outside.text.contains("does not exist"))
            let inside = try await client.call(
                .post, "/v1/jobs", secret: scoped, body: #"{"device":"w2","site":"site-b"}"#)
            #expect(inside.status == .created)
        }
    }
}
