import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Foundation
import Testing

/// The deliverer's retry schedule and horizon, on an injected clock (a day of retries in
/// milliseconds of real time), against a scripted transport.
@Suite struct WebhookBackoffTests {
    static func settings() -> WebhookDeliverer.Settings {
        var s = WebhookDeliverer.Settings()
        s.reloadInterval = .milliseconds(20)
        return s
    }

    @Test func retriesOnThePolicyScheduleThenMarksFailingAndKeepsTheCursor() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let hook = try data.webhooks.create(
            tenant: "t1", url: "http://receiver/hook", secret: "k", cursor: 0, createdMs: 0)
        let ids = try data.append(3)
        let transport = ScriptedTransport { _ in 500 }
        let clock = ManualClock()
        let deliverer = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, clock: clock, settings: Self.settings(),
            random: { 0 }, logger: testLogger)
        try await whileRunning(deliverer.run) {
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.failing == true }
        }
        // The schedule: 1, 2, 4, …, 256 s, then 300 s until the next wait would pass 24 h.
        var expected: [Duration] = []
        var elapsed = Duration.zero
        var failure = 0
        while true {
            failure += 1
            let wait = RetryPolicy().baseDelay(afterFailure: failure)
            if elapsed + wait > .seconds(86_400) { break }
            expected.append(wait)
            elapsed += wait
        }
        #expect(clock.sleeps == expected)
        let requests = transport.requests
        #expect(requests.count == expected.count + 1)
        #expect(Set(requests.map(\.body)).count == 1, "every retry sends the same batch")
        #expect(requests.map { $0.header("Fieldtrace-Attempt") } == (1...requests.count).map { String($0) })
        #expect(requests[0].header(WebhookSignature.eventIDsHeader) == ids.map(String.init).joined(separator: ","))
        let after = try #require(try data.webhooks.subscription(id: hook.id))
        #expect(after.cursor == 0 && after.lastError == "HTTP 500")
        let log = try #require(try data.webhooks.deliveries(webhook: hook.id, tenant: "t1", limit: 1000))
        #expect(log.count == requests.count && log.first?.outcome == .abandoned)
        #expect(log.dropFirst().allSatisfy { $0.outcome == .failed && $0.statusCode == 500 })
        #expect(deliverer.metrics().batchesAbandoned == 1)

        // Reactivated with a healthy receiver: the abandoned batch goes again, then the cursor moves.
        transport.answer { _ in 204 }
        _ = try data.webhooks.update(id: hook.id, tenant: "t1", .init(reactivate: true))
        let again = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, clock: clock, settings: Self.settings(),
            logger: testLogger)
        try await whileRunning(again.run) {
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == ids.last }
        }
        #expect(transport.requests.last?.body == requests[0].body)
    }

    @Test func signaturesUseTheClockAndVerify() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let hook = try data.webhooks.create(tenant: "t1", url: "http://r/h", secret: "sekret", cursor: 0, createdMs: 0)
        try data.append(2)
        let transport = ScriptedTransport { n in n == 0 ? nil : 200 }
        let clock = ManualClock(nowMs: 1_800_000_000_500)
        let deliverer = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, clock: clock, settings: Self.settings(),
            random: { 0.5 }, logger: testLogger)
        try await whileRunning(deliverer.run) {
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == 2 }
        }
        #expect(clock.sleeps == [.milliseconds(750)], "1 s with jitter 0.5 x 0.5")
        let r = transport.requests
        #expect(r.count == 2)
        #expect(
            try WebhookSignature.verify(
                signature: r[0].header(WebhookSignature.header)!, body: r[0].body, secret: "sekret",
                nowSeconds: 1_800_000_000) == 1_800_000_000)
        #expect(
            try WebhookSignature.verify(
                signature: r[1].header(WebhookSignature.header)!, body: r[1].body, secret: "sekret",
                nowSeconds: 1_800_000_001) == 1_800_000_001, "re-signed at the retry's time")
        let log = try #require(try data.webhooks.deliveries(webhook: hook.id, tenant: "t1"))
        #expect(log.map(\.outcome) == [.delivered, .failed])
        #expect(log[1].error?.contains("connection refused") == true && log[1].statusCode == nil)
    }

    @Test func filteredOutEventsMoveTheCursorWithoutARequest() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let hook = try data.webhooks.create(
            tenant: "t1", url: "http://r/h", secret: "k", kinds: ["geofence.*"], cursor: 0, createdMs: 0)
        let skipped = try data.append(5, kind: "stop.start")
        try data.append(4, tenant: "t2", kind: "geofence.enter")
        let transport = ScriptedTransport { _ in 200 }
        let deliverer = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, clock: ManualClock(),
            settings: Self.settings(), logger: testLogger)
        try await whileRunning(deliverer.run) {
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == skipped.last }
            let wanted = try data.append(2, kind: "geofence.exit")
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == wanted.last }
            #expect(transport.requests.count == 1)
            #expect(transport.requests.first?.header(WebhookSignature.eventIDsHeader) == "10,11")
        }
    }

    @Test func aGroupFilterWithoutADirectoryWaitsInsteadOfSkipping() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let hook = try data.webhooks.create(
            tenant: "t1", url: "http://r/h", secret: "k", group: "crew", cursor: 0, createdMs: 0)
        try data.append(3, device: "w1")
        try data.append(3, device: "w2")
        let transport = ScriptedTransport { _ in 200 }
        var settings = Self.settings()
        settings.errorBackoff = .milliseconds(10)
        let blind = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, clock: ManualClock(), settings: settings,
            logger: testLogger)
        try await whileRunning(blind.run) {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try data.webhooks.subscription(id: hook.id)?.cursor == 0 && transport.requests.isEmpty)
        let members = WebhookDeliverer(
            store: data.webhooks, eventLog: data.log, transport: transport, clock: ManualClock(), settings: settings,
            groupMembers: { tenant, group in tenant == "t1" && group == "crew" ? [DeviceIDs.w2] : [] },
            logger: testLogger)
        try await whileRunning(members.run) {
            try await expectEventually { try data.webhooks.subscription(id: hook.id)?.cursor == 6 }
        }
        #expect(transport.requests.map { $0.header(WebhookSignature.eventIDsHeader) } == ["4,5,6"])
    }
}

enum DeviceIDs {
    static let w2 = DeviceID("w2")!
}
