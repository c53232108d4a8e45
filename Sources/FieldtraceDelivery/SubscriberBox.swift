import Synchronization

/// One attached subscriber's queue inside the broadcaster: batches waiting for its consumer,
/// counted in events of its tenant, bounded by `limit`. The broadcaster's reader offers, the
/// consumer (`EventSubscription.next`) takes; each side holds the lock only to move a reference.
final class SubscriberBox: Sendable {
    enum Item: Sendable {
        case batch(EncodedEventBatch)
        case keepAlive
    }

    enum End: Sendable {
        case shutdown
        case tooSlow(bufferedEvents: Int, limit: Int)
        case cancelled
    }

    struct State {
        var queue: [Item] = []
        var head = 0
        var bufferedEvents = 0
        var waiter: CheckedContinuation<Item?, any Error>?
        var end: End?
        /// Whether something was offered since the last keep-alive tick.
        var activeSinceTick = false
    }

    let id: Int
    let tenant: String
    let limit: Int
    let state = Mutex(State())

    init(id: Int, tenant: String, limit: Int) {
        self.id = id
        self.tenant = tenant
        self.limit = limit
    }

    /// Queues a ring batch at attach time (the consumer has not started waiting on this box).
    func enqueueAtAttach(_ batch: EncodedEventBatch) {
        let n = batch.tenantCounts[tenant] ?? 0
        guard n > 0 else { return }
        state.withLock { s in
            s.queue.append(.batch(batch))
            s.bufferedEvents += n
        }
    }

    /// Offers a batch; returns true when this offer overflowed the buffer and dropped the box.
    func offer(_ batch: EncodedEventBatch) -> Bool {
        let n = batch.tenantCounts[tenant] ?? 0
        guard n > 0 else { return false }
        let (waiter, dropped) = state.withLock { s -> (CheckedContinuation<Item?, any Error>?, Bool) in
            if s.end != nil { return (nil, false) }
            s.activeSinceTick = true
            if let waiter = s.waiter {
                s.waiter = nil
                return (waiter, false)
            }
            if s.bufferedEvents + n > limit {
                s.end = .tooSlow(bufferedEvents: s.bufferedEvents + n, limit: limit)
                s.queue = []
                s.head = 0
                s.bufferedEvents = 0
                return (nil, true)
            }
            s.queue.append(.batch(batch))
            s.bufferedEvents += n
            return (nil, false)
        }
        waiter?.resume(returning: .batch(batch))
        return dropped
    }

    /// Keep-alive tick: an idle subscriber with nothing queued gets `.keepAlive`.
    func tick() {
        let waiter = state.withLock { s -> CheckedContinuation<Item?, any Error>? in
            defer { s.activeSinceTick = false }
            guard s.end == nil, !s.activeSinceTick, s.head == s.queue.count else { return nil }
            if let waiter = s.waiter {
                s.waiter = nil
                return waiter
            }
            s.queue.append(.keepAlive)
            return nil
        }
        waiter?.resume(returning: .keepAlive)
    }

    func finish(_ end: End) {
        let waiter = state.withLock { s -> CheckedContinuation<Item?, any Error>? in
            if s.end == nil { s.end = end }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next item: queued ones first, then waits. nil at shutdown (after the queue drained);
    /// throws when dropped or cancelled.
    func next() async throws -> Item? {
        if let ready = try state.withLock({ s throws -> Item?? in try take(&s) }) { return ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Item?, any Error>) in
                let ready = state.withLock { s -> Result<Item?, any Error>? in
                    do {
                        if let item = try take(&s) { return .success(item) }
                    } catch {
                        return .failure(error)
                    }
                    if Task.isCancelled {
                        s.end = s.end ?? .cancelled
                        return .failure(CancellationError())
                    }
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Item?, any Error>? in
                s.end = s.end ?? .cancelled
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// A queued item (`.some`), the end (`.some(nil)` at shutdown, a throw when dropped), or nil
    /// when the consumer has to wait.
    private func take(_ s: inout State) throws -> Item?? {
        if s.head < s.queue.count {
            let item = s.queue[s.head]
            s.queue[s.head] = .keepAlive  // release the batch reference now
            s.head += 1
            if s.head == s.queue.count {
                s.queue.removeAll(keepingCapacity: true)
                s.head = 0
            }
            if case .batch(let batch) = item { s.bufferedEvents -= batch.tenantCounts[tenant] ?? 0 }
            return .some(item)
        }
        switch s.end {
        case nil: return nil
        case .shutdown: return .some(nil)
        case .tooSlow(let buffered, let limit): throw SubscriberDropped(bufferedEvents: buffered, limit: limit)
        case .cancelled: throw CancellationError()
        }
    }
}

/// The box overflowed (turned into `EventStreamError.tooSlow` with the consumer's last id).
struct SubscriberDropped: Error {
    let bufferedEvents: Int
    let limit: Int
}
