import FieldtraceAPI
import FieldtraceStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SystemRoutesTests {
    @Test func healthReadyMetricsNeedNoToken() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let health = try await client.call(.get, "/health")
            #expect(health.status == .ok && health.text == "ok\n")
            #expect(try await client.call(.get, "/ready").status == .ok)
            _ = try await client.call(.get, "/v1/whoami", as: .admin)
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.text.contains("fieldtrace_api_responses_total{class=\"2xx\"}"))
        }
    }

    @Test func healthAndReadyFollowTheirClosures() async throws {
        let directory = NSTemporaryDirectory() + "fieldtrace-api-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TrackStoreHandle(directory)
        let services = APIServices(
            store: store.store, eventLog: store.eventLog, sink: RecordingSink(), nowMs: { 0 },
            metricsText: { "serve_metric 1\n" }, isHealthy: { false }, isReady: { false })
        try await Application(router: buildAPIRouter(services: services)).test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable && health.errorCode == "unavailable")
            #expect(try await client.execute(uri: "/ready", method: .get).status == .serviceUnavailable)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(String(buffer: metrics.body).hasPrefix("serve_metric 1\n"))
        }
        try store.store.close()
    }

    @Test func unknownRoutesAndMethodsAnswerJSONErrors() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let missing = try await client.call(.get, "/nowhere")
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
            #expect(missing.headers[.contentType] == "application/json; charset=utf-8")
            let missingV1 = try await client.call(.get, "/v1/nowhere", as: .admin)
            #expect(missingV1.status == .notFound && missingV1.errorCode == "not_found")
            let wrongMethod = try await client.call(.put, "/v1/whoami", as: .admin)
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.errorCode == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET")
            let captured = try await client.call(.patch, "/v1/tokens/tok_1")
            #expect(captured.status == .methodNotAllowed && captured.headers[.allow] == "DELETE, GET")
            #expect(try await client.call(.get, "/v1/tokens/tok_1/more").status == .notFound)
        }
    }

    @Test func oversizedBodiesAnswer413() async throws {
        let fixture = try APIFixture { $0.maxBodyBytes = 64 }
        try await fixture.test { client in
            let body = #"{"role":"analyst","name":""# + String(repeating: "x", count: 100) + #""}"#
            let response = try await client.call(.post, "/v1/tokens", as: .admin, body: body)
            #expect(response.status == .contentTooLarge && response.errorCode == "payload_too_large")
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let fixture = try APIFixture {
            $0.rateLimitPerSecond = 1
            $0.rateLimitBurst = 3
        }
        try await fixture.test { client in
            for _ in 0..<3 { #expect(try await client.call(.get, "/v1/whoami", as: .analyst).status == .ok) }
            let limited = try await client.call(.get, "/v1/whoami", as: .analyst)
            #expect(limited.status == .tooManyRequests && limited.errorCode == "rate_limited")
            #expect(limited.headers[.retryAfter] == "1")
            // Another token has its own bucket.
            #expect(try await client.call(.get, "/v1/whoami", as: .admin).status == .ok)
            fixture.clock.advance(ms: 1000)
            #expect(try await client.call(.get, "/v1/whoami", as: .analyst).status == .ok)
        }
    }

    @Test func rateLimiterRefillsAtItsRate() {
        let limiter = RateLimiter(perSecond: 2, burst: 2)
        #expect(limiter.take("t", nowMs: 0) == nil)
        #expect(limiter.take("t", nowMs: 0) == nil)
        #expect(limiter.take("t", nowMs: 0) == 1)
        #expect(limiter.take("t", nowMs: 499) == 1)
        #expect(limiter.take("t", nowMs: 500) == nil)
        #expect(RateLimiter(perSecond: 0.1, burst: 1).take("u", nowMs: 0) == nil)
        #expect(RateLimiter(perSecond: 0.1, burst: 1).take("u", nowMs: 0) == nil)
        let slow = RateLimiter(perSecond: 0.1, burst: 1)
        _ = slow.take("u", nowMs: 0)
        #expect(slow.take("u", nowMs: 0) == 10)
    }
}

/// A bare store and event log for tests that build their own services.
struct TrackStoreHandle {
    let store: TrackStore
    let eventLog: EventLog
    init(_ directory: String) throws {
        store = try TrackStore(directory: directory)
        eventLog = try EventLog(catalog: store.catalog)
    }
}
