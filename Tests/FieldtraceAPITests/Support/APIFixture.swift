import FieldtraceAPI
import FieldtraceCore
import FieldtraceStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A data directory, API services over it, and one token per role in tenants "alpha" and
/// "beta". Each test builds its own (temp directory, removed by `close`).
final class APIFixture: Sendable {
    static let tenantA = "alpha"
    static let tenantB = "beta"

    let directory: String
    let store: TrackStore
    let services: APIServices
    let clock: TestClock
    let sink: RecordingSink
    /// Secrets by tenant and role.
    let secrets: [String: [Role: String]]
    /// Token ids by tenant and role.
    let tokenIDs: [String: [Role: String]]

    init(configure: (inout APIConfiguration) -> Void = { _ in }, sink: RecordingSink = RecordingSink()) throws {
        directory = NSTemporaryDirectory() + "fieldtrace-api-\(UUID().uuidString)"
        store = try TrackStore(directory: directory)
        let eventLog = try EventLog(catalog: store.catalog)
        var configuration = APIConfiguration()
        configuration.rateLimitPerSecond = 0
        configure(&configuration)
        clock = TestClock(1_767_225_600_000)  // 2026-01-01T00:00:00Z
        self.sink = sink
        let clock = clock
        services = APIServices(
            store: store, eventLog: eventLog, sink: sink, configuration: configuration, nowMs: { clock.now })
        var secrets: [String: [Role: String]] = [:]
        var ids: [String: [Role: String]] = [:]
        for tenant in [Self.tenantA, Self.tenantB] {
            for role in Role.allCases {
                let (record, secret) = try TokenIssuer.issue(
                    access: services.access, tenant: tenant, role: role, name: "\(role.rawValue) of \(tenant)",
                    nowMs: clock.now)
                secrets[tenant, default: [:]][role] = secret
                ids[tenant, default: [:]][role] = record.id
            }
        }
        self.secrets = secrets
        self.tokenIDs = ids
    }

    func close() {
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var router: Router<APIRequestContext> { buildAPIRouter(services: services) }
    var application: some ApplicationProtocol { Application(router: router) }

    /// Runs `body` against the API router in process, then closes the fixture.
    func test<Value>(_ body: @Sendable (APIClient) async throws -> Value) async throws -> Value {
        defer { close() }
        return try await application.test(.router) { client in try await body(APIClient(client: client, fixture: self))
        }
    }

    func secret(_ role: Role, tenant: String = APIFixture.tenantA) -> String { secrets[tenant]![role]! }
}

/// A test client that adds the bearer token of a role (or a raw Authorization header).
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let fixture: APIFixture

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as role: Role? = nil, tenant: String = APIFixture.tenantA,
        secret: String? = nil, body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if let secret {
            headers[.authorization] = "Bearer \(secret)"
        } else if let role {
            headers[.authorization] = "Bearer \(fixture.secret(role, tenant: tenant))"
        }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
    /// The `code` of an error body, nil when the body is not one.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
}

/// A clock tests move by hand, ms UTC.
final class TestClock: Sendable {
    private let value: Mutex<Int64>
    init(_ ms: Int64) { value = Mutex(ms) }
    var now: Int64 { value.withLock { $0 } }
    func advance(ms: Int64) { value.withLock { $0 += ms } }
}

/// A sink that records batches; optionally holds every `accept` until `open()` (durability
/// not reached yet), and can be made to fail.
final class RecordingSink: FixSink, Sendable {
    struct State {
        var batches: [[Fix]] = []
        var gateOpen: Bool
        var gateWaiters: [CheckedContinuation<Void, Never>] = []
        var arrivalWaiters: [CheckedContinuation<Void, Never>] = []
        var failing = false
        var events: [String] = []
    }

    private let state: Mutex<State>

    init(gated: Bool = false) {
        state = Mutex(State(gateOpen: !gated))
    }

    var batches: [[Fix]] { state.withLock { $0.batches } }
    var events: [String] { state.withLock { $0.events } }
    func note(_ event: String) { state.withLock { $0.events.append(event) } }
    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    func accept(_ batch: [Fix]) async throws -> FixReceipt {
        let arrivals = state.withLock { s in
            s.batches.append(batch)
            s.events.append("accept.begin")
            defer { s.arrivalWaiters = [] }
            return s.arrivalWaiters
        }
        for w in arrivals { w.resume() }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let open = state.withLock { s in
                if !s.gateOpen { s.gateWaiters.append(c) }
                return s.gateOpen
            }
            if open { c.resume() }
        }
        let failing = state.withLock { s in
            s.events.append("accept.end")
            return s.failing
        }
        if failing { throw CancellationError() }
        return FixReceipt(accepted: batch.count)
    }

    /// Returns once a batch has arrived (at once if one has).
    func waitForBatch() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let arrived = state.withLock { s in
                if s.batches.isEmpty { s.arrivalWaiters.append(c) }
                return !s.batches.isEmpty
            }
            if arrived { c.resume() }
        }
    }

    /// Lets every held and future `accept` return.
    func open() {
        let waiters = state.withLock { s in
            s.gateOpen = true
            defer { s.gateWaiters = [] }
            return s.gateWaiters
        }
        for w in waiters { w.resume() }
    }
}
