import FieldtraceCore
import Testing

@testable import FieldtraceStore

@Suite struct WebhookStoreTests {
    static func open(_ dir: TemporaryDirectory, logRows: Int = 1000) throws -> WebhookStore {
        WebhookStore(catalog: try Catalog(path: dir.path + "/catalog.sqlite"), logRowsPerWebhook: logRows)
    }

    static func record(_ webhook: Int64, attempt: Int, outcome: WebhookDeliveryRecord.Outcome = .failed)
        -> WebhookDeliveryRecord
    {
        WebhookDeliveryRecord(
            webhook: webhook, firstEventID: 1, lastEventID: 3, eventCount: 3, attempt: attempt, outcome: outcome,
            statusCode: 500, error: nil, durationMs: 4, timeMs: 1000 + Int64(attempt))
    }

    @Test func createsReadsUpdatesAndDeletesWithinATenant() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.open(dir)
        let a = try store.create(
            tenant: "a", url: "https://a.example/hook", secret: "s1", kinds: ["geofence.*", "stop.start"],
            device: DeviceID("w1"), cursor: 42, createdMs: 5)
        let b = try store.create(tenant: "b", url: "https://b.example/hook", secret: "s2", cursor: 0, createdMs: 6)
        #expect(try store.subscription(id: a.id, tenant: "a") == a)
        #expect(try store.subscription(id: a.id, tenant: "b") == nil, "another tenant's id is absent")
        #expect(try store.subscriptions(tenant: "a").map(\.id) == [a.id])
        #expect(try store.subscriptions(tenant: "b", after: b.id).isEmpty)
        #expect(a.accepts(kind: "geofence.enter") && a.accepts(kind: "stop.start") && !a.accepts(kind: "stop.end"))
        #expect(!a.accepts(kind: "geofencexenter"), "a family needs the dot")

        #expect(try store.update(id: a.id, tenant: "b", .init(active: false)) == nil)
        let changed = try store.update(
            id: a.id, tenant: "a", .init(url: "https://a.example/v2", kinds: [], device: .some(nil), active: false))
        #expect(changed?.url == "https://a.example/v2" && changed?.kinds == [] && changed?.device == nil)
        #expect(changed?.active == false && changed?.cursor == 42)
        #expect(try store.subscription(id: a.id, tenant: "a") == changed)
        #expect(try store.activeSubscriptions().map(\.id) == [b.id])

        #expect(try store.delete(id: a.id, tenant: "b") == false)
        #expect(try store.delete(id: a.id, tenant: "a") == true)
        #expect(try store.subscription(id: a.id, tenant: "a") == nil)
    }

    @Test func refusesBadInput() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.open(dir)
        #expect(throws: WebhookStoreError.self) {
            try store.create(tenant: "a", url: "", secret: "s", cursor: 0, createdMs: 0)
        }
        #expect(throws: WebhookStoreError.self) {
            try store.create(tenant: "a", url: "http://x", secret: "s", kinds: ["a,b"], cursor: 0, createdMs: 0)
        }
        #expect(throws: WebhookStoreError.self) {
            try store.create(tenant: "a", url: "http://x", secret: "", cursor: 0, createdMs: 0)
        }
        #expect(throws: WebhookStoreError.self) {
            try store.create(tenant: "a", url: "http://x", secret: "s", group: "", cursor: 0, createdMs: 0)
        }
        #expect(throws: WebhookStoreError.self) {
            try store.create(tenant: "a", url: "http://x", secret: "s", cursor: -1, createdMs: 0)
        }
        let w = try store.create(tenant: "a", url: "http://x", secret: "s", cursor: 0, createdMs: 0)
        #expect(throws: WebhookStoreError.self) { try store.update(id: w.id, tenant: "a", .init(cursor: -5)) }
    }

    @Test func theCursorMovesOnlyForwardAndOnlyWithADelivery() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.open(dir)
        let w = try store.create(tenant: "a", url: "http://x", secret: "s", cursor: 10, createdMs: 0)
        try store.recordAttempt(Self.record(w.id, attempt: 1))
        #expect(try store.subscription(id: w.id)?.cursor == 10, "a failure does not move it")
        try store.recordAttempt(Self.record(w.id, attempt: 2, outcome: .delivered), advanceCursorTo: 13)
        #expect(try store.subscription(id: w.id)?.cursor == 13)
        try store.advanceCursor(webhook: w.id, to: 11)
        #expect(try store.subscription(id: w.id)?.cursor == 13, "never backwards")
        let log = try #require(try store.deliveries(webhook: w.id, tenant: "a"))
        #expect(log.map(\.attempt) == [2, 1] && log.map(\.outcome) == [.delivered, .failed])
        #expect(try store.deliveries(webhook: w.id, tenant: "b") == nil)
    }

    @Test func failingKeepsTheCursorAndReactivationClearsIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.open(dir)
        let w = try store.create(tenant: "a", url: "http://x", secret: "s", cursor: 7, createdMs: 0)
        try store.markFailing(Self.record(w.id, attempt: 300), error: "HTTP 500", atMs: 99)
        let failing = try #require(try store.subscription(id: w.id))
        #expect(
            failing.failing && failing.failingSinceMs == 99 && failing.lastError == "HTTP 500" && failing.cursor == 7)
        #expect(try store.activeSubscriptions().isEmpty)
        #expect(try store.deliveries(webhook: w.id, tenant: "a")?.first?.outcome == .abandoned)
        let back = try store.update(id: w.id, tenant: "a", .init(reactivate: true))
        #expect(back?.failing == false && back?.lastError == nil && back?.cursor == 7)
        #expect(try store.activeSubscriptions().map(\.id) == [w.id])
    }

    @Test func theDeliveryLogIsPrunedToItsBound() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.open(dir, logRows: 5)
        let w = try store.create(tenant: "a", url: "http://x", secret: "s", cursor: 0, createdMs: 0)
        let other = try store.create(tenant: "a", url: "http://y", secret: "s", cursor: 0, createdMs: 0)
        try store.recordAttempt(Self.record(other.id, attempt: 1))
        for attempt in 1...12 { try store.recordAttempt(Self.record(w.id, attempt: attempt)) }
        #expect(try store.deliveries(webhook: w.id, tenant: "a")?.map(\.attempt) == [12, 11, 10, 9, 8])
        #expect(try store.deliveries(webhook: other.id, tenant: "a")?.count == 1, "other subscriptions untouched")
        let page = try #require(try store.deliveries(webhook: w.id, tenant: "a", limit: 2))
        #expect(
            try store.deliveries(webhook: w.id, tenant: "a", before: page[1].id, limit: 2)?.map(\.attempt) == [10, 9])
        try store.delete(id: w.id, tenant: "a")
        #expect(try store.deliveries(webhook: w.id, tenant: "a") == nil)
    }
}
