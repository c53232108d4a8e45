import FieldtraceStore

/// Long poll over the event log (`GET /v1/events?after=&wait=`): the events of a filter after a
/// cursor, or, when there are none yet, a wait of up to `wait` for the first new one.
///
/// Reads SQLite directly (the `(tenant, id)` index; a page of `scanEvents` per read) rather than
/// the broadcaster: a long-poll client makes one read per answer and holds no buffer between
/// requests. The next cursor is always the id of one of the tenant's own events (or the cursor
/// given), never a global position, so it says nothing about other tenants.
public enum LongPoll {
    /// Longest accepted `wait` (60 s: below the idle timeouts of common proxies, long enough that
    /// an idle consumer makes one request a minute).
    public static let maxWait: Duration = .seconds(60)
    /// Events read per SQLite query while scanning past events the filter rejects (default 1,000).
    public static let scanEvents = 1000
    /// Reads per answer at most, so a narrow filter over a busy tenant answers promptly with an
    /// advanced cursor and no events (default 10: 10,000 events scanned).
    public static let maxScansPerAnswer = 10

    public struct Answer: Sendable {
        /// Events that pass the filter, in id order, at most `limit`.
        public var events: [LoggedEvent]
        /// The cursor for the next request: everything up to it was returned or skipped.
        public var nextCursor: Int64
    }

    /// Returns the filter's events after `after` (at most `limit`); when there are none, waits up
    /// to `wait` (clamped to `maxWait`) for new ones. Returns with no events when the wait ends or
    /// the task is cancelled.
    public static func events(
        log: EventLog, filter: EventFilter, after: Int64, limit: Int, wait: Duration
    ) async throws -> Answer {
        precondition(limit > 0, "limit must be positive")
        let wait = min(max(wait, .zero), maxWait)
        let deadline = ContinuousClock.now + wait
        var cursor = after
        var scans = 0
        while true {
            let snapshot = log.lastID
            let (answer, complete) = try scan(log: log, filter: filter, after: cursor, limit: limit)
            scans += 1
            cursor = answer.nextCursor
            if !answer.events.isEmpty { return answer }
            if !complete {
                // More of the tenant's events to scan past.
                if scans < maxScansPerAnswer { continue }
                return answer
            }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero || Task.isCancelled { return answer }
            // Nothing of ours up to `snapshot`: wait for anything newer, or the deadline.
            let woke = await waitForEvents(log: log, after: snapshot, timeout: remaining)
            if !woke { return answer }
        }
    }

    /// One read; `complete` is false when the page was full (more may follow right away).
    static func scan(log: EventLog, filter: EventFilter, after: Int64, limit: Int) throws -> (Answer, complete: Bool) {
        let page = try log.read(after: after, limit: scanEvents, tenant: filter.tenant)
        var events: [LoggedEvent] = []
        var next = after
        for event in page {
            if filter.accepts(event) {
                if events.count == limit { return (Answer(events: events, nextCursor: next), false) }
                events.append(event)
            }
            next = event.id
        }
        return (Answer(events: events, nextCursor: next), page.count < scanEvents)
    }

    /// True when an event after `after` arrived within `timeout`.
    static func waitForEvents(log: EventLog, after: Int64, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await log.waitForEvents(after: after)
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
