import FieldtraceCore
import FieldtraceStore
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers each active webhook subscription's events, signed, at least once, in id order: one
/// worker per subscription (a dead receiver never delays another), each reading its tenant's
/// events after the subscription's durable cursor (`EventLog.read(after:limit:tenant:)`),
/// filtering them, POSTing small batches (`WebhookBatch`) and moving the cursor only in the
/// transaction that logs a 2xx. A failure is logged and retried with `RetryPolicy`; when the
/// horizon runs out the attempt is logged `abandoned`, the subscription is marked failing and
/// its worker stops with the cursor before the batch: nothing is skipped unless an admin moves
/// the cursor; reactivating it sends the batch again.
///
/// Workers wake on `EventLog.waitForEvents(after:)`. The set of workers follows the store: it is
/// reloaded every `reloadInterval` and at once after `subscriptionsChanged()`. Survives restarts:
/// the cursor is in SQLite, so a new deliverer resumes after the last acknowledged event (a batch
/// in flight at a crash is sent again: at least once).
public final class WebhookDeliverer: Service, Sendable {
    public struct Settings: Sendable, Hashable {
        /// Events per request at most (default 100: a receiver 50 ms away keeps up with
        /// 2,000 events/s per subscription; a body stays ~30 KB).
        public var maxEventsPerRequest = 100
        /// Body size at which a batch is closed, bytes (default 256 KiB, under the 1 MiB default
        /// body limit of common servers; a single larger event is still sent alone).
        public var maxBodyBytes = 256 << 10
        /// Time allowed for one request, head and (up to 64 KiB of) body (default 10 s: a
        /// receiver should acknowledge at once and process later).
        public var requestTimeout: Duration = .seconds(10)
        public var retry = RetryPolicy()
        /// How often the subscription list is re-read (default 5 s; API changes also call
        /// `subscriptionsChanged()`).
        public var reloadInterval: Duration = .seconds(5)
        /// Events read per query (default 1,000).
        public var readPageEvents = 1000
        /// Wait after an unexpected store error before a worker tries again (default 5 s).
        public var errorBackoff: Duration = .seconds(5)

        public init() {}
    }

    /// Counters since start.
    public struct Metrics: Sendable, Hashable {
        public var requestsDelivered = 0
        public var eventsDelivered = 0
        public var attemptsFailed = 0
        public var batchesAbandoned = 0
        public var workers = 0
    }

    /// A group's devices, for subscriptions with a group filter (the directory owns groups).
    public typealias GroupMembers = @Sendable (_ tenant: String, _ group: String) throws -> Set<DeviceID>

    let store: WebhookStore
    let eventLog: EventLog
    let transport: any WebhookTransport
    let clock: any DeliveryClock
    public let settings: Settings
    let groupMembers: GroupMembers?
    let random: @Sendable () -> Double
    let logger: Logger
    let running = Mutex<Set<Int64>>([])
    let counters = Mutex(Metrics())
    let reload = WakeSignal()

    /// - groupMembers: resolves group filters; without it a subscription with a group filter
    ///   waits (logged), never skips events.
    /// - random: numbers in `[0, 1)` for the jitter (injected for tests).
    public init(
        store: WebhookStore, eventLog: EventLog, transport: any WebhookTransport,
        clock: any DeliveryClock = SystemDeliveryClock(), settings: Settings = .init(),
        groupMembers: GroupMembers? = nil, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger
    ) {
        precondition(settings.maxEventsPerRequest > 0 && settings.readPageEvents > 0, "positive batch sizes")
        self.store = store
        self.eventLog = eventLog
        self.transport = transport
        self.clock = clock
        self.settings = settings
        self.groupMembers = groupMembers
        self.random = random
        self.logger = logger
    }

    /// Re-reads the subscriptions now (after the API created, reactivated or deleted one).
    public func subscriptionsChanged() { reload.fire() }

    public func metrics() -> Metrics {
        var m = counters.withLock { $0 }
        m.workers = running.withLock { $0.count }
        return m
    }

    /// Runs the workers until cancelled or graceful shutdown (a request in flight is cancelled;
    /// its batch goes again after the restart).
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.supervise() }
    }

    func supervise() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do {
                    for s in try store.activeSubscriptions() where running.withLock({ $0.insert(s.id).inserted }) {
                        group.addTask {
                            await self.work(id: s.id)
                            _ = self.running.withLock { $0.remove(s.id) }
                        }
                    }
                } catch {
                    logger.error("webhooks: reading subscriptions failed", metadata: ["error": "\(error)"])
                }
                await reload.wait(timeout: settings.reloadInterval)
            }
        }
    }
}
