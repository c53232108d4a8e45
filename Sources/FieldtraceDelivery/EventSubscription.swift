import FieldtraceStore
import Synchronization

/// What a stream consumer gets next.
public enum EventStreamItem: Sendable {
    /// Events that pass the filter, in id order, ids after everything delivered before.
    case events(EventChunk)
    /// Nothing for `keepAliveInterval`: write a comment so the connection stays up.
    case keepAlive
}

/// One consumer's stream from an `EventBroadcaster`: iterate it (`for try await item in s`).
/// Ends (nil) when the server shuts down; throws `EventStreamError.tooSlow` when the consumer
/// fell too far behind, `CancellationError` when its task is cancelled. Dropping the last
/// reference detaches it from the broadcaster.
///
/// Resuming from an id older than the broadcaster's ring reads the tenant's events from the log
/// (`EventLog.read`, `pageEvents` at a time, as fast as the consumer takes them) and attaches to
/// the broadcaster once it has caught up; ids already delivered are never delivered again.
public final class EventSubscription: AsyncSequence, AsyncIteratorProtocol, Sendable {
    public typealias Element = EventStreamItem

    enum Mode {
        /// Reading the log; everything up to the cursor is delivered (or skipped by the filter).
        case catchingUp(cursor: Int64)
        /// Attached: events up to `delivered` went out.
        case live(box: SubscriberBox, delivered: Int64)
        case ended
    }

    let broadcaster: EventBroadcaster
    public let filter: EventFilter
    let mode: Mutex<Mode>
    /// The id of the last event handed to the consumer (0 before the first).
    let lastSent: Atomic<Int64>

    /// `after`: where reading starts; `resumedFrom`: the id the client gave, if any.
    init(broadcaster: EventBroadcaster, filter: EventFilter, after: Int64, resumedFrom: Int64?) {
        self.broadcaster = broadcaster
        self.filter = filter
        mode = Mutex(.catchingUp(cursor: after))
        lastSent = Atomic(resumedFrom ?? 0)
    }

    deinit {
        if case .live(let box, _) = mode.withLock({ $0 }) { broadcaster.remove(box.id) }
    }

    public func makeAsyncIterator() -> EventSubscription { self }

    /// The id of the last event handed to the consumer (before the first: the id the client
    /// resumed from, or 0): what a client resumes after.
    public var lastEventID: Int64 { lastSent.load(ordering: .relaxed) }

    private func sent(_ chunk: EventChunk) -> EventStreamItem {
        lastSent.store(chunk.lastID, ordering: .relaxed)
        return .events(chunk)
    }

    /// Tries to attach at the current cursor; true when attached (live from now on).
    func attach() throws(EventStreamError) -> Bool {
        guard case .catchingUp(let cursor) = mode.withLock({ $0 }) else { return true }
        let box = SubscriberBox(
            id: broadcaster.newSubscriberID(), tenant: filter.tenant,
            limit: broadcaster.settings.subscriberBufferEvents)
        guard try broadcaster.attach(box, after: cursor) else { return false }
        mode.withLock { $0 = .live(box: box, delivered: cursor) }
        return true
    }

    public func next() async throws -> EventStreamItem? {
        while true {
            switch mode.withLock({ $0 }) {
            case .ended:
                return nil
            case .catchingUp(let cursor):
                let (chunk, exhausted) = try catchUp(after: cursor)
                if let chunk { return sent(chunk) }
                if exhausted, case .catchingUp(let next) = mode.withLock({ $0 }) {
                    // The broadcaster is not running (yet): wait for the log to grow, with keep-alives.
                    let woke = await LongPoll.waitForEvents(
                        log: broadcaster.eventLog, after: next, timeout: broadcaster.settings.keepAliveInterval)
                    try Task.checkCancellation()
                    if !woke && (try? attach()) != true { return .keepAlive }
                }
            case .live(let box, let delivered):
                let item: SubscriberBox.Item?
                do {
                    item = try await box.next()
                } catch let dropped as SubscriberDropped {
                    mode.withLock { $0 = .ended }
                    broadcaster.remove(box.id)
                    throw EventStreamError.tooSlow(
                        bufferedEvents: dropped.bufferedEvents, limit: dropped.limit, lastEventID: lastEventID)
                }
                switch item {
                case nil:
                    mode.withLock { $0 = .ended }
                    return nil
                case .keepAlive:
                    return .keepAlive
                case .batch(let batch):
                    mode.withLock { $0 = .live(box: box, delivered: Swift.max(delivered, batch.lastID)) }
                    if let chunk = batch.chunk(matching: filter, after: delivered) { return sent(chunk) }
                }
            }
        }
    }

    /// One page of the tenant's events from the log; attaches when the page is the last one.
    /// `exhausted`: nothing more in the log for now (and not attached: the caller waits).
    private func catchUp(after cursor: Int64) throws -> (chunk: EventChunk?, exhausted: Bool) {
        let pageEvents = broadcaster.settings.pageEvents
        let logLast = broadcaster.eventLog.lastID
        let page = try broadcaster.eventLog.read(after: cursor, limit: pageEvents, tenant: filter.tenant)
        var next = page.last?.id ?? cursor
        // A short page holds every event of the tenant after the cursor that existed when it was
        // read, so everything up to `logLast` (read before) is covered too.
        let short = page.count < pageEvents
        if short { next = Swift.max(next, logLast) }
        mode.withLock { $0 = .catchingUp(cursor: next) }
        let chunk = page.isEmpty ? nil : EncodedEventBatch(page, floor: cursor).chunk(matching: filter, after: cursor)
        guard short else { return (chunk, false) }
        do {
            return (chunk, !(try attach()))
        } catch {
            mode.withLock { $0 = .ended }  // the server is shutting down: the stream ends
            return (chunk, false)
        }
    }
}
