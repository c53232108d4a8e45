import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The API router: system routes at the root, everything else under `/v1` behind
/// authentication, the per-token rate limit and the audit log.
///
/// Middleware order (outermost first): `ErrorMiddleware` (every error becomes the JSON error
/// body), `BodyLimitMiddleware` (413); then for `/v1`: `AuthMiddleware` (401),
/// `RateLimitMiddleware` (429), `AuditMiddleware`. Each area's routes come from its
/// `add<Area>Routes(to:services:)` in `Routes/`.
public func buildAPIRouter(services: APIServices) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    let index = RouteIndex()
    router.add(middleware: ErrorMiddleware(metrics: services.metrics, logger: services.logger, routes: index))
    router.add(middleware: BodyLimitMiddleware(maxBytes: services.configuration.maxBodyBytes))
    addSystemRoutes(to: router, services: services)
    addDashboardRoutes(to: router)
    let v1 = router.group("v1")
        .add(middleware: AuthMiddleware(services: services))
        .add(middleware: RateLimitMiddleware(services: services))
        .add(middleware: AuditMiddleware(services: services))
    addAccessRoutes(to: v1, services: services)
    addIngestRoutes(to: v1, services: services)
    addReportRoutes(to: v1, services: services)
    addDispatchRoutes(to: v1, services: services)
    addEventRoutes(to: v1, services: services)
    addDirectoryRoutes(to: v1, services: services)
    addTracksRoutes(to: v1, services: services)
    addJobRoutes(to: v1, services: services)
    // Other areas add one line each here: addDirectoryRoutes, addQueryRoutes, addEventRoutes, ...
    index.load(router)
    return router
}

/// The OsmAnd port's router: `GET`/`POST` on `/` and on any path, no token (apps send none);
/// devices admitted by `APIConfiguration.wire.isDeviceAllowed`, like the tracker listeners.
public func buildOsmAndRouter(services: APIServices) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    let index = RouteIndex()
    router.add(middleware: ErrorMiddleware(metrics: services.metrics, logger: services.logger, routes: index))
    router.add(middleware: BodyLimitMiddleware(maxBytes: services.configuration.wire.limits.osmandRequestMaxBytes))
    for path: RouterPath in ["/", "/**"] {
        for method: HTTPRequest.Method in [.get, .post] {
            router.on(path, method: method) { request, context in
                try await OsmAndIngest.handle(request, context: context, services: services, admission: true)
            }
        }
    }
    index.load(router)
    return router
}

/// The API application on `host:port` (port 0 = ephemeral). `onListening` gets the bound port.
public func buildAPIApplication(
    services: APIServices, host: String, port: Int, onListening: @escaping @Sendable (Int) -> Void = { _ in }
) -> some ApplicationProtocol & Service {
    Application(
        router: buildAPIRouter(services: services),
        configuration: .init(address: .hostname(host, port: port), serverName: "fieldtrace"),
        onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
        logger: services.logger)
}

/// The API and OsmAnd listeners as services for `fieldtrace serve`'s ServiceGroup, with the
/// ports they bound once listening.
public struct APIServer: Sendable {
    public let services: [any Service]
    let ports: ListeningPorts

    /// `configuration.port` (and `osmandPort` when set) on `configuration.host`.
    public init(services api: APIServices) {
        let c = api.configuration
        let ports = ListeningPorts(expected: c.osmandPort == nil ? 1 : 2)
        self.ports = ports
        var services: [any Service] = [
            ReportingService(
                name: "api", ports: ports,
                app: Application(
                    router: buildAPIRouter(services: api),
                    configuration: .init(address: .hostname(c.host, port: c.port), serverName: "fieldtrace"),
                    onServerRunning: { channel in ports.set("api", channel.localAddress?.port) },
                    logger: api.logger))
        ]
        if let osmandPort = c.osmandPort {
            services.append(
                ReportingService(
                    name: "osmand", ports: ports,
                    app: Application(
                        router: buildOsmAndRouter(services: api),
                        configuration: .init(address: .hostname(c.host, port: osmandPort), serverName: "fieldtrace"),
                        onServerRunning: { channel in ports.set("osmand", channel.localAddress?.port) },
                        logger: api.logger)))
        }
        self.services = services
    }

    /// The bound ports by name ("api", "osmand") once every listener is up; a listener that
    /// failed to start is absent (its service ends the group with the error).
    public func waitUntilListening() async -> [String: Int] { await ports.wait() }
}

/// Runs an application; reports "not listening" when it ends before binding.
struct ReportingService<App: ApplicationProtocol>: Service {
    let name: String
    let ports: ListeningPorts
    let app: App

    func run() async throws {
        defer { ports.set(name, nil) }
        try await app.run()
    }
}

/// Ports reported by listeners, and waiters for all of them.
final class ListeningPorts: Sendable {
    struct State {
        var reported: [String: Int?] = [:]
        var waiters: [CheckedContinuation<[String: Int], Never>] = []
    }

    let expected: Int
    private let state = Mutex(State())

    init(expected: Int) {
        self.expected = expected
    }

    /// Records a listener's port (nil = failed or stopped); the first report per name counts.
    func set(_ name: String, _ port: Int?) {
        let ready = state.withLock { s -> ([CheckedContinuation<[String: Int], Never>], [String: Int])? in
            if s.reported[name] == nil { s.reported[name] = .some(port) }
            guard s.reported.count >= expected else { return nil }
            defer { s.waiters = [] }
            return (s.waiters, s.reported.compactMapValues { $0 })
        }
        if let (waiters, ports) = ready { for w in waiters { w.resume(returning: ports) } }
    }

    func wait() async -> [String: Int] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> [String: Int]? in
                guard s.reported.count >= expected else {
                    s.waiters.append(continuation)
                    return nil
                }
                return s.reported.compactMapValues { $0 }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
