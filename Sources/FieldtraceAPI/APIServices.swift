import FieldtraceCore
import FieldtraceDelivery
import FieldtraceReports
import FieldtraceStore
import Logging

/// Everything a route handler may use: the stores, the durable fix sink, the clock, the
/// configuration, and what the caller of `buildAPIApplication` supplies (metrics text,
/// health). One instance per server, shared by all requests.
public final class APIServices: Sendable {
    public let store: TrackStore
    public let eventLog: EventLog
    /// Where posted positions go; `accept` returns once they are durable (then 200).
    public let sink: any FixSink
    /// Tokens, tenants, audit log.
    public let access: AccessStore
    public let configuration: APIConfiguration
    /// The clock, ms UTC (injected so tests control expiry and rate limits).
    public let nowMs: @Sendable () -> Int64
    /// Prometheus text for `/metrics` (serve passes `ServeMetrics.render`); the API appends
    /// its own counters.
    public let metricsText: @Sendable () -> String
    /// `/health`: false once the engine failed (503).
    public let isHealthy: @Sendable () -> Bool
    /// `/ready`: whether requests can be served now (503 while not).
    public let isReady: @Sendable () -> Bool
    public let logger: Logger
    public let rateLimiter: RateLimiter
    /// Writes audit rows with group commit.
    public let auditWriter: AuditWriter
    /// Groups, devices, geofences, routes, assignments (serve passes the one whose changes
    /// refresh the engine's profiles).
    public let directory: Directory
    public let metrics = APIMetrics()
    /// The newest durable position of every worker (dispatch, live positions); serve fills it
    /// through `LiveFleetSink`.
    public let fleet: LiveFleet
    /// Other areas' parts, registered by type (`components.set(x)`, `components.require(X.self)`).
    public let components = APIComponents()
    /// Webhook subscriptions, their cursors and delivery logs.
    public let webhooks: WebhookStore
    /// The SSE fan-out; `fieldtrace serve` runs it in its ServiceGroup (tests run it themselves;
    /// without it, streams still catch up from the log but get no live events).
    public let eventBroadcaster: EventBroadcaster
    /// Called after a webhook is created, changed or deleted (serve: the deliverer reloads).
    public let webhooksChanged: @Sendable () -> Void

    public var catalog: Catalog { store.catalog }

    public init(
        store: TrackStore, eventLog: EventLog, sink: any FixSink, configuration: APIConfiguration = .init(),
        nowMs: @escaping @Sendable () -> Int64, metricsText: @escaping @Sendable () -> String = { "" },
        isHealthy: @escaping @Sendable () -> Bool = { true }, isReady: @escaping @Sendable () -> Bool = { true },
        logger: Logger = Logger(label: "fieldtrace.api"), directory: Directory? = nil, fleet: LiveFleet = LiveFleet(),
        eventBroadcaster: EventBroadcaster? = nil, webhooksChanged: @escaping @Sendable () -> Void = {}
    ) {
        self.fleet = fleet
        self.store = store
        self.eventLog = eventLog
        self.sink = sink
        let access = AccessStore(catalog: store.catalog)
        self.access = access
        self.auditWriter = AuditWriter(access: access)
        self.directory = directory ?? Directory(catalog: store.catalog, nowMs: nowMs)
        self.configuration = configuration
        self.nowMs = nowMs
        self.metricsText = metricsText
        self.isHealthy = isHealthy
        self.isReady = isReady
        self.logger = logger
        self.webhooks = WebhookStore(catalog: store.catalog)
        self.eventBroadcaster = eventBroadcaster ?? EventBroadcaster(eventLog: eventLog, logger: logger)
        self.webhooksChanged = webhooksChanged
        self.rateLimiter = RateLimiter(
            perSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)
    }
}
