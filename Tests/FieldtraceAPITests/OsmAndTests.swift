import FieldtraceAPI
import FieldtraceCore
import FieldtraceStore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct OsmAndTests {
    static let query = "id=phone7&lat=52.520008&lon=13.404954&timestamp=1767225600&speed=10&bearing=90&altitude=34"

    @Test func queryFormIsStoredAndAcked() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let response = try await client.call(.get, "/v1/ingest/osmand?\(Self.query)", as: .device)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["accepted"] as? Int == 1)
        }
        let fix = try #require(fixture.sink.batches.first?.first)
        #expect(fix.device == DeviceID("phone7"))
        #expect(fix.latitudeE7 == 525_200_080 && fix.longitudeE7 == 134_049_540)
        #expect(fix.timeMs == 1_767_225_600_000)
        #expect(fix.source == .osmand)
    }

    @Test func jsonAndFormBodiesAreStored() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let json = """
                {"device_id":"phone8","location":{"timestamp":"2026-01-01T00:00:05Z",\
                "coords":{"latitude":52.5,"longitude":13.4,"speed":3,"accuracy":8}}}
                """
            let a = try await client.call(.post, "/v1/ingest/osmand", as: .device, body: json)
            #expect(a.status == .ok, "\(a.text)")
            let b = try await client.call(
                .post, "/v1/ingest/osmand", as: .device, body: Self.query,
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(b.status == .ok, "\(b.text)")
        }
        #expect(fixture.sink.batches.map { $0.map(\.device.rawValue) } == [["phone8"], ["phone7"]])
    }

    @Test func badInputAnswers400WithTheReason() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let cases: [(String, String)] = [
                ("/v1/ingest/osmand", "no position"),
                ("/v1/ingest/osmand?lat=1&lon=2&timestamp=1767225600", "no device id"),
                ("/v1/ingest/osmand?id=x&lon=2&timestamp=1767225600", "missing latitude"),
                ("/v1/ingest/osmand?id=x&lat=91&lon=2&timestamp=1767225600", "bad latitude"),
                ("/v1/ingest/osmand?id=x&lat=1&lon=2&timestamp=yesterday", "timestamp"),
            ]
            for (uri, reason) in cases {
                let response = try await client.call(.get, uri, as: .device)
                #expect(response.status == .badRequest, "\(uri): \(response.text)")
                let message = (response.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(reason), "\(uri): \(message)")
            }
        }
        #expect(fixture.sink.batches.isEmpty)
    }

    /// The answer waits for `accept` to return: while the sink holds the batch (not durable
    /// yet), no response exists.
    @Test func noAnswerBeforeTheSinkReturns() async throws {
        let sink = RecordingSink(gated: true)
        let fixture = try APIFixture(sink: sink)
        try await fixture.test { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let response = try await client.call(.get, "/v1/ingest/osmand?\(Self.query)", as: .device)
                    sink.note("response \(response.status.code)")
                }
                await sink.waitForBatch()
                for _ in 0..<50 { await Task.yield() }
                try await Task.sleep(for: .milliseconds(50))
                #expect(sink.events == ["accept.begin"])
                sink.open()
                try await group.waitForAll()
            }
        }
        #expect(sink.events == ["accept.begin", "accept.end", "response 200"])
    }

    @Test func sinkFailureAnswers503() async throws {
        let sink = RecordingSink()
        sink.setFailing(true)
        let fixture = try APIFixture(sink: sink)
        try await fixture.test { client in
            let response = try await client.call(.get, "/v1/ingest/osmand?\(Self.query)", as: .device)
            #expect(response.status == .serviceUnavailable && response.errorCode == "unavailable")
        }
    }

    /// The open port: no token, any path, devices admitted by the tracker rule.
    @Test func openPortAdmitsKnownDevicesOnly() async throws {
        let fixture = try APIFixture {
            $0.wire.isDeviceAllowed = { $0.rawValue == "phone7" }
        }
        defer { fixture.close() }
        try await Application(router: buildOsmAndRouter(services: fixture.services)).test(.router) { client in
            let known = try await client.execute(uri: "/?\(Self.query)", method: .post)
            #expect(known.status == .ok)
            let anyPath = try await client.execute(uri: "/some/path?\(Self.query)", method: .get)
            #expect(anyPath.status == .ok)
            let unknown = try await client.execute(
                uri: "/?" + Self.query.replacingOccurrences(of: "phone7", with: "stranger"), method: .get)
            #expect(unknown.status == .forbidden && unknown.errorCode == "forbidden")
        }
        #expect(fixture.sink.batches.count == 2)
    }
}
