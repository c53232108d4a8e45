import FieldtraceDelivery
import FieldtraceStore
import Foundation
import Synchronization
import Testing

/// The deliverer with AsyncHTTPClient against a local HTTP receiver that fails on purpose.
@Suite struct WebhookDelivererTests {
    static func settings() -> WebhookDeliverer.Settings {
        var s = WebhookDeliverer.Settings()
        s.maxEventsPerRequest = 10
        s.requestTimeout = .seconds(2)
        s.retry = RetryPolicy(initialDelay: .milliseconds(5), maxDelay: .milliseconds(40), horizon: .seconds(3600))
        s.reloadInterval = .milliseconds(20)
        return s
    }

    /// The event ids of a received body, in order.
    static func ids(_ body: [UInt8]) throws -> [Int64] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        return try events.map { try #require(($0["id"] as? NSNumber)?.int64Value) }
    }

    @Test func deliversEveryEventInOrderThroughFailuresAndTimeouts() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let hook = try data.webhooks.create(
            tenant: "t1", url: "http://placeholder", secret: "k", kinds: ["stop.*", "geofence.enter"], cursor: 0,
            createdMs: 0)
        // The cursor at each request, to check it only moved after a 2xx.
        let cursors = Mutex<[Int64]>([])
        // 500, 500, 503, no answer (timeout), 200, then every third request 500.
        let receiver = try await TestReceiver { n in
            cursors.withLock { $0.append((try? data.webhooks.subscription(id: hook.id)?.cursor) ?? -1) }
            switch n {
            case 0, 1: return .status(500)
            case 2: return .status(503)
            case 3: return .hang
            default: return n % 3 == 0 ? .status(500) : .status(200)
            }
        }
        _ = try data.webhooks.update(id: hook.id, tenant: "t1", .init(url: receiver.url))
        var expected: [Int64] = []
        expected += try data.append(25, kind: "stop.start")
        try data.append(7, tenant: "t2", kind: "stop.start")
        try data.append(5, kind: "trip")
        expected += try data.append(8, kind: "geofence.enter")
        let transport = HTTPClientTransport()
        let deliverer = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, settings: Self.settings(),
            logger: testLogger)
        try await whileRunning(deliverer.run) {
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == expected.last }
            // Events appended while running arrive too.
            expected += try data.append(12, kind: "stop.end")
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == expected.last }
        }
        try await transport.shutdown()
        try await receiver.close()

        let requests = receiver.requests
        let log = try #require(try data.webhooks.deliveries(webhook: hook.id, tenant: "t1", limit: 1000)).reversed()
        #expect(log.count == requests.count)
        var seen: [Int64] = []
        var acknowledgedThrough: Int64 = 0
        for (i, (request, row)) in zip(requests, log).enumerated() {
            let ids = try Self.ids(request.body)
            #expect(ids == ids.sorted() && !ids.isEmpty)
            #expect(request.header(WebhookSignature.eventIDsHeader) == ids.map(String.init).joined(separator: ","))
            #expect(throws: Never.self) {
                try WebhookSignature.verify(
                    signature: request.header(WebhookSignature.header) ?? "", body: request.body, secret: "k")
            }
            // Before this request the cursor sat at the last acknowledged batch, not beyond it.
            let cursor = cursors.withLock { $0[i] }
            #expect(cursor >= acknowledgedThrough && cursor < ids[0])
            #expect(row.firstEventID == ids.first && row.lastEventID == ids.last)
            if row.outcome == .delivered {
                #expect(row.statusCode == 200)
                acknowledgedThrough = ids.last!
                seen += ids.filter { $0 > (seen.last ?? 0) }
            } else {
                #expect(row.outcome == .failed)
            }
        }
        #expect(log.dropFirst(3).first?.error != nil, "the fourth attempt timed out")
        #expect(seen == expected, "every event of the filter, once acknowledged, in id order")
    }

    @Test func aRestartResumesFromTheDurableCursorWithoutLoss() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var expected: [Int64] = []
        let first = try await TestReceiver { n in n < 2 ? .status(200) : .hang }
        let hookID: Int64
        do {
            let data = try TestData(directory: directory)
            hookID = try data.webhooks.create(tenant: "t1", url: first.url, secret: "k", cursor: 0, createdMs: 0).id
            expected += try data.append(35)
            let transport = HTTPClientTransport()
            var settings = Self.settings()
            settings.requestTimeout = .seconds(30)
            let deliverer = WebhookDeliverer(
                store: data.webhooks, eventLog: data.log, transport: transport, settings: settings,
                logger: testLogger)
            try await whileRunning(deliverer.run) {
                // Two batches acknowledged, the third hangs: stop (as a crash would) mid-request.
                try await expectEventually { first.requests.count == 3 }
            }
            try await transport.shutdown()
            #expect(try data.webhooks.subscription(id: hookID)?.cursor == 20)
        }
        try await first.close()

        // A new process over the same data directory, with more events appended meanwhile.
        let data = try TestData(directory: directory)
        expected += try data.append(6)
        let second = try await TestReceiver { _ in .status(200) }
        _ = try data.webhooks.update(id: hookID, tenant: "t1", .init(url: second.url))
        let transport = HTTPClientTransport()
        let deliverer = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, settings: Self.settings(),
            logger: testLogger)
        try await whileRunning(deliverer.run) {
            try await expectEventually { try data.webhooks.subscription(id: hookID)?.cursor == expected.last }
        }
        try await transport.shutdown()
        try await second.close()
        let acknowledged = try first.requests.prefix(2).flatMap { try Self.ids($0.body) }
        let resent = try second.requests.flatMap { try Self.ids($0.body) }
        #expect(acknowledged == Array(1...20))
        #expect(resent.first == 21, "resumes after the cursor: the unacknowledged batch goes again")
        #expect(acknowledged + resent == expected)
    }
}
