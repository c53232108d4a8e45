import FieldtraceStore
import Logging
import ServiceLifecycle
import Synchronization

/// Fan-out of the event log to many stream consumers (SSE): ONE task reads the log after its
/// position, encodes each page once (`EncodedEventBatch`) and hands every subscriber whose tenant
/// has events in it a reference to that batch. Per subscriber the cost is a lock, an append and
/// perhaps a wake-up, never a read or an encode.
///
/// - Bounded: a subscriber may have `subscriberBufferEvents` events of its tenant waiting; one
///   more and it is dropped (`EventStreamError.tooSlow`), its buffer freed. Memory stays bounded
///   whatever the clients do, and the dropped client reconnects with its `Last-Event-ID`.
/// - Resumable: the last `ringEvents` events stay in a ring of batches, so a subscriber resuming
///   from a recent id attaches without touching SQLite; an older id reads its tenant's events from
///   the log page by page (`EventSubscription`) until it reaches the ring, then attaches.
/// - Keep-alive: a subscriber that got nothing for `keepAliveInterval` gets `.keepAlive`.
///
/// Wakes on `EventLog.waitForEvents(after:)`, so it sees appends made through the same `EventLog`
/// instance (one per process, shared with the engine). Until `run()` starts, subscriptions read
/// the log themselves (correct, but one read per subscriber).
public final class EventBroadcaster: Service, Sendable {
    public struct Settings: Sendable, Hashable {
        /// Events read from the log per batch (default 1,000: at 10,000 events/s one read per
        /// 100 ms at most, and subscribers are woken once per batch, not per event).
        public var pageEvents = 1000
        /// Recent events kept for resuming without a read (default 10,000: about a second at
        /// 10,000 events/s, enough for reconnects after a drop; memory ~3 MB at ~300 B an event).
        public var ringEvents = 10_000
        /// Events of its tenant a subscriber may have waiting before it is dropped (default
        /// 20,000: two seconds of the whole 10,000 events/s target; a client further behind than
        /// that is better served by reconnecting and catching up from the log).
        public var subscriberBufferEvents = 20_000
        /// Idle time after which a subscriber gets a keep-alive (default 15 s: under the 30-60 s
        /// idle timeouts of common proxies and load balancers).
        public var keepAliveInterval: Duration = .seconds(15)
        /// Pause after publishing a page that was not full (default 50 ms): appends arriving
        /// within it are published together, so each subscriber is woken and written to at most
        /// about 20 times a second however finely events are appended (with 1,000 subscribers,
        /// one batch per 10 ms append was 100,000 writes/s); adds at most this to the lag.
        public var publishInterval: Duration = .milliseconds(50)
        /// Most subscribers at once (default 10,000; each costs a few hundred bytes idle).
        public var maxSubscribers = 10_000

        public init() {}
    }

    let eventLog: EventLog
    public let settings: Settings
    let logger: Logger
    let state: Mutex<State>

    struct State {
        /// The last id published.
        var position: Int64
        /// The id before the oldest batch of the ring.
        var ringFloor: Int64
        var ring: [EncodedEventBatch] = []
        var ringEventCount = 0
        var subscribers: [Int: SubscriberBox] = [:]
        var nextSubscriber = 0
        /// `run()` is reading: only then do subscribers attach (before, they read the log).
        var running = false
        var shutDown = false
    }

    /// Starts at the log's last id: only later events are broadcast; earlier ones are read from
    /// the log by subscribers that ask for them.
    public init(eventLog: EventLog, settings: Settings = .init(), logger: Logger) {
        precondition(settings.pageEvents > 0 && settings.ringEvents >= 0, "pageEvents > 0, ringEvents >= 0")
        precondition(
            settings.subscriberBufferEvents >= settings.pageEvents, "a subscriber must be able to hold one batch")
        self.eventLog = eventLog
        self.settings = settings
        self.logger = logger
        let last = eventLog.lastID
        state = Mutex(State(position: last, ringFloor: last))
    }

    /// Whether `run()` has started (and not ended).
    public var isRunning: Bool { state.withLock { $0.running && !$0.shutDown } }

    /// The last id broadcast.
    public var position: Int64 { state.withLock { $0.position } }

    /// Subscribers attached now (not those still catching up from the log).
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// A stream of `filter`'s events with ids greater than `after` (nil: from now on).
    /// Throws `EventStreamError.tooManySubscribers` or `.shutDown`.
    public func subscribe(_ filter: EventFilter, after: Int64? = nil) throws(EventStreamError) -> EventSubscription {
        let (count, shutDown) = state.withLock { ($0.subscribers.count, $0.shutDown) }
        if shutDown { throw .shutDown }
        guard count < settings.maxSubscribers else { throw .tooManySubscribers(limit: settings.maxSubscribers) }
        let subscription = EventSubscription(
            broadcaster: self, filter: filter, after: after ?? position, resumedFrom: after)
        // Live at once when `after` is within the ring; otherwise the first `next()` reads the log.
        _ = try subscription.attach()
        return subscription
    }

    /// Registers `box` and queues the ring's batches after `after`; false when `after` is older
    /// than the ring (the caller keeps reading the log).
    func attach(_ box: SubscriberBox, after: Int64) throws(EventStreamError) -> Bool {
        try state.withLock { s throws(EventStreamError) -> Bool in
            if s.shutDown { throw .shutDown }
            guard s.running, after >= s.ringFloor else { return false }
            for batch in s.ring where batch.lastID > after { box.enqueueAtAttach(batch) }
            s.subscribers[box.id] = box
            return true
        }
    }

    func newSubscriberID() -> Int {
        state.withLock { s in
            s.nextSubscriber += 1
            return s.nextSubscriber
        }
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    /// Reads, encodes and publishes until cancelled or graceful shutdown; then ends every stream
    /// (consumers get what was queued, then the end).
    public func run() async throws {
        state.withLock { $0.running = true }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.readLoop() }
                    group.addTask { try await self.keepAliveLoop() }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
        }
        let boxes = state.withLock { s in
            s.shutDown = true
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        for box in boxes { box.finish(.shutdown) }
    }

    func readLoop() async throws {
        while !Task.isCancelled {
            let from = position
            let page: [LoggedEvent]
            do {
                page = try eventLog.read(after: from, limit: settings.pageEvents)
            } catch {
                logger.error("event broadcast: reading the log failed", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
                continue
            }
            if page.isEmpty {
                _ = await eventLog.waitForEvents(after: from)
                continue
            }
            publish(EncodedEventBatch(page, floor: from))
            // A page that is not full: wait out the publish interval, so appends arriving in
            // quick succession reach subscribers as one batch (one wake-up and one write each).
            if page.count < settings.pageEvents {
                try await Task.sleep(for: settings.publishInterval)
            }
        }
        throw CancellationError()
    }

    /// Adds `batch` to the ring and offers it to every subscriber; drops the ones that overflow.
    func publish(_ batch: EncodedEventBatch) {
        let boxes = state.withLock { s -> [SubscriberBox] in
            s.ring.append(batch)
            s.ringEventCount += batch.entries.count
            while s.ringEventCount > settings.ringEvents, let oldest = s.ring.first {
                s.ring.removeFirst()
                s.ringEventCount -= oldest.entries.count
                s.ringFloor = oldest.lastID
            }
            s.position = batch.lastID
            return Array(s.subscribers.values)
        }
        var dropped: [Int] = []
        for box in boxes where box.offer(batch) { dropped.append(box.id) }
        if !dropped.isEmpty {
            state.withLock { s in for id in dropped { s.subscribers.removeValue(forKey: id) } }
            logger.notice(
                "event stream subscribers dropped: too slow",
                metadata: [
                    "stream.dropped": "\(dropped.count)", "stream.buffer_events": "\(settings.subscriberBufferEvents)",
                ])
        }
    }

    func keepAliveLoop() async throws {
        while true {
            try await Task.sleep(for: settings.keepAliveInterval)
            for box in state.withLock({ Array($0.subscribers.values) }) { box.tick() }
        }
    }
}

/// Why a stream ended or could not start.
public enum EventStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The subscriber fell `bufferedEvents` events behind (limit `limit`) and was dropped;
    /// reconnecting after `lastEventID` loses nothing.
    case tooSlow(bufferedEvents: Int, limit: Int, lastEventID: Int64)
    case tooManySubscribers(limit: Int)
    /// The server is shutting down.
    case shutDown

    public var description: String {
        switch self {
        case .tooSlow(let buffered, let limit, let last):
            "subscriber too slow: \(buffered) events waiting (limit \(limit)); reconnect with Last-Event-ID \(last)"
        case .tooManySubscribers(let limit): "too many event stream subscribers (limit \(limit))"
        case .shutDown: "the server is shutting down"
        }
    }

    /// A short machine-readable reason (`slow_consumer`, `too_many_subscribers`, `shutdown`).
    public var reason: String {
        switch self {
        case .tooSlow: "slow_consumer"
        case .tooManySubscribers: "too_many_subscribers"
        case .shutDown: "shutdown"
        }
    }
}
