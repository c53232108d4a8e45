import FieldtraceAPI
import FieldtraceStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct EventRoutesTests {
    static func ids(_ response: TestResponse) -> [Int64] {
        ((response.json["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
    }

    /// The `id:` lines of an SSE body.
    static func sseIDs(_ text: String) -> [Int64] {
        text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.compactMap { Int64($0.dropFirst(4)) }
    }

    @Test func cursorReadsAreTenantScopedAndFiltered() async throws {
        let fixture = try APIFixture()
        let a1 = try fixture.appendEvent(kind: "geofence.enter", device: "w1")
        try fixture.appendEvent(tenant: APIFixture.tenantB, kind: "geofence.enter", device: "w1")
        let a2 = try fixture.appendEvent(kind: "stop.start", device: "w2")
        let a3 = try fixture.appendEvent(kind: "geofence.exit", device: "w2")
        try await fixture.test { client in
            let all = try await client.call(.get, "/v1/events", as: .analyst)
            #expect(all.status == .ok && Self.ids(all) == [a1, a2, a3])
            #expect(all.json["next_cursor"] as? String == String(a3))
            let item = try #require((all.json["items"] as? [[String: Any]])?.first)
            #expect(item["tenant"] as? String == APIFixture.tenantA && item["kind"] as? String == "geofence.enter")
            #expect(
                item["fence"] as? String == "site-1" && item["detected_at"] as? String == "2026-01-01T00:00:00.000Z")

            let b = try await client.call(.get, "/v1/events", as: .analyst, tenant: APIFixture.tenantB)
            #expect(Self.ids(b) == [a1 + 1], "tenant B sees only its own event")

            let fences = try await client.call(.get, "/v1/events?kinds=geofence.*&after=\(a1)", as: .attendance)
            #expect(Self.ids(fences) == [a3])
            let w2 = try await client.call(.get, "/v1/events?device=w2&limit=1", as: .dispatcher)
            #expect(Self.ids(w2) == [a2] && w2.json["next_cursor"] as? String == String(a2))
            let none = try await client.call(.get, "/v1/events?after=\(a3)", as: .admin)
            #expect(Self.ids(none).isEmpty && none.json["next_cursor"] as? String == String(a3))

            for bad in ["after=-1", "after=x", "limit=0", "limit=1001", "wait=61", "wait=-1", "device=%20"] {
                let response = try await client.call(.get, "/v1/events?\(bad)", as: .analyst)
                #expect(response.status == .badRequest && response.errorCode == "bad_request", "\(bad)")
            }
        }
    }

    @Test func aLongPollAnswersWithTheFirstNewEvent() async throws {
        let fixture = try APIFixture()
        let old = try fixture.appendEvent()
        try await fixture.test { client in
            async let answer = client.call(.get, "/v1/events?after=\(old)&wait=30", as: .analyst)
            try await Task.sleep(for: .milliseconds(100))
            try fixture.appendEvent(tenant: APIFixture.tenantB)  // not ours: the poll keeps waiting
            let new = try fixture.appendEvent()
            let response = try await answer
            #expect(response.status == .ok && Self.ids(response) == [new])
        }
    }

    @Test func aStreamResumesAfterLastEventIDOrAfter() async throws {
        let fixture = try APIFixture()
        var ids: [Int64] = []
        for i in 0..<5 {
            ids.append(try fixture.appendEvent(device: "w\(i)"))
            try fixture.appendEvent(tenant: APIFixture.tenantB)
        }
        let mine = ids
        try await fixture.test { client in
            let resumed = try await client.call(
                .get, "/v1/events/stream?limit=3", as: .analyst,
                headers: [HTTPField.Name("Last-Event-ID")!: "\(mine[1])"])
            #expect(resumed.status == .ok && resumed.headers[.contentType] == "text/event-stream")
            #expect(resumed.text.hasPrefix("retry: 2000\n\n"))
            #expect(Self.sseIDs(resumed.text) == Array(mine[2...]))
            #expect(resumed.text.contains("event: geofence.enter\ndata: {\"id\":\(mine[2]),\"tenant\":\"alpha\""))
            let after = try await client.call(.get, "/v1/events/stream?after=\(mine[3])&limit=1", as: .attendance)
            #expect(Self.sseIDs(after.text) == [mine[4]])
            let filtered = try await client.call(.get, "/v1/events/stream?after=0&device=w3&limit=1", as: .admin)
            #expect(Self.sseIDs(filtered.text) == [mine[3]])
            let bad = try await client.call(
                .get, "/v1/events/stream", as: .analyst, headers: [HTTPField.Name("Last-Event-ID")!: "abc"])
            #expect(bad.status == .badRequest)
        }
    }

    @Test func aLiveStreamGetsNewEventsThroughTheBroadcaster() async throws {
        let fixture = try APIFixture()
        let broadcaster = fixture.services.eventBroadcaster
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await broadcaster.run() }
            while !broadcaster.isRunning { try await Task.sleep(for: .milliseconds(5)) }
            try await fixture.test { client in
                async let stream = client.call(.get, "/v1/events/stream?limit=2", as: .dispatcher)
                while broadcaster.subscriberCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
                try fixture.appendEvent(tenant: APIFixture.tenantB)
                let first = try fixture.appendEvent()
                let second = try fixture.appendEvent(kind: "stop.start")
                let response = try await stream
                #expect(Self.sseIDs(response.text) == [first, second])
                #expect(response.text.contains("event: stop.start\n"))
            }
            group.cancelAll()
        }
    }

    @Test func webhooksAreCreatedWithASecretShownOnceChangedAndDeleted() async throws {
        let fixture = try APIFixture()
        try fixture.appendEvent()
        try await fixture.test { client in
            let created = try await client.call(
                .post, "/v1/webhooks", as: .admin,
                body: #"{"url":"https://hooks.example/ft","kinds":["geofence.*"],"device":"w1"}"#)
            #expect(created.status == .created)
            let secret = try #require(created.json["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && created.json["cursor"] as? Int == 1)
            #expect(created.json["status"] as? String == "ok" && created.json["device"] as? String == "w1")
            let id = try #require(created.json["id"] as? String)
            #expect(try fixture.services.webhooks.subscription(id: Int64(id)!)?.secret == secret)

            let one = try await client.call(.get, "/v1/webhooks/\(id)", as: .attendance)
            #expect(
                one.status == .ok && one.json["secret"] == nil
                    && one.json["url"] as? String == "https://hooks.example/ft")
            let list = try await client.call(.get, "/v1/webhooks", as: .admin)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["secret"] == nil && items[0]["id"] as? String == id)

            let changed = try await client.call(
                .patch, "/v1/webhooks/\(id)", as: .admin, body: #"{"device":null,"active":false,"cursor":0}"#)
            #expect(changed.status == .ok && changed.json["active"] as? Bool == false)
            #expect(changed.json["device"] is NSNull && changed.json["cursor"] as? Int == 0)
            #expect(changed.json["kinds"] as? [String] == ["geofence.*"], "absent fields stay")

            let deliveries = try await client.call(.get, "/v1/webhooks/\(id)/deliveries", as: .admin)
            #expect(deliveries.status == .ok && (deliveries.json["items"] as? [Any])?.isEmpty == true)

            for body in [
                #"{"url":"ftp://x/"}"#, #"{"url":"http://u:p@x/"}"#, #"{"url":""}"#,
                #"{"url":"http://x/","kinds":["a,b"]}"#, #"{}"#, #"{"url":"http://x/","after":-1}"#,
                #"{"url":"http://x/","device":"a b"}"#, #"{"url":"http://x/","group":""}"#,
            ] {
                let bad = try await client.call(.post, "/v1/webhooks", as: .admin, body: body)
                #expect(bad.status == .badRequest, "\(body)")
            }
            let deleted = try await client.call(.delete, "/v1/webhooks/\(id)", as: .admin)
            #expect(deleted.status == .noContent)
            #expect(try await client.call(.get, "/v1/webhooks/\(id)", as: .admin).status == .notFound)
            #expect(try await client.call(.get, "/v1/webhooks/abc", as: .admin).status == .notFound)
        }
    }
}
