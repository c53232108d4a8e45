import FieldtraceCore
import FieldtraceStore
import Logging

/// A group filter that cannot be resolved: the worker waits rather than skip events.
struct GroupsUnavailable: Error, CustomStringConvertible {
    let group: String
    var description: String { "group filter '\(group)' cannot be resolved (no group directory)" }
}

extension WebhookDeliverer {
    enum BatchOutcome {
        /// Acknowledged (or skipped by an admin moving the cursor): go on.
        case done
        /// The subscription was deactivated, deleted or marked failing: the worker stops.
        case stopped
    }

    /// One subscription's loop; returns when the subscription is no longer deliverable or the
    /// task is cancelled.
    func work(id: Int64) async {
        // Ids up to `scanned` hold nothing more for this subscription (in memory; the durable
        // cursor may be behind it when the filter skipped events at the end of the log).
        var scanned: Int64 = 0
        var lastCursor: Int64?
        while !Task.isCancelled {
            do {
                guard let s = try store.subscription(id: id), s.active, !s.failing else { return }
                if let lastCursor, s.cursor < lastCursor { scanned = s.cursor }  // an admin moved it back
                lastCursor = s.cursor
                let position = max(s.cursor, scanned)
                let snapshot = eventLog.lastID
                let page = try eventLog.read(after: position, limit: settings.readPageEvents, tenant: s.tenant)
                let accepts = try filter(for: s)
                let (batch, covered) = WebhookBatch.select(
                    webhook: id, page: page, accepts: accepts, maxEvents: settings.maxEventsPerRequest,
                    maxBodyBytes: settings.maxBodyBytes)
                if let batch {
                    guard case .done = try await deliver(batch, subscription: s) else { return }
                    scanned = batch.coveredThrough
                    lastCursor = max(s.cursor, batch.coveredThrough)
                    continue
                }
                if let covered {
                    try store.advanceCursor(webhook: id, to: covered)
                    lastCursor = max(s.cursor, covered)
                    scanned = covered
                }
                if page.count < settings.readPageEvents {
                    // Nothing more of the tenant up to `snapshot` (read before the page).
                    scanned = max(scanned, position, snapshot)
                    _ = await eventLog.waitForEvents(after: scanned)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error(
                    "webhook worker: store error, retrying", metadata: ["webhook.id": "\(id)", "error": "\(error)"])
                do { try await clock.sleep(for: settings.errorBackoff) } catch { return }
            }
        }
    }

    /// The kinds, device and group filter of a subscription (the tenant is filtered by the read).
    func filter(for s: WebhookSubscription) throws -> (LoggedEvent) -> Bool {
        var devices: Set<DeviceID>?
        if let device = s.device { devices = [device] }
        if let group = s.group {
            guard let groupMembers else { throw GroupsUnavailable(group: group) }
            let members = try groupMembers(s.tenant, group)
            devices = devices.map { $0.intersection(members) } ?? members
        }
        let kinds = s.kinds
        return { event in
            if let devices, !devices.contains(event.device) { return false }
            return WebhookSubscription.kindsFilter(kinds, accepts: event.kind.rawValue)
        }
    }

    /// Sends one batch until a 2xx, the horizon, or the subscription stops being deliverable.
    func deliver(_ batch: WebhookBatch, subscription: WebhookSubscription) async throws -> BatchOutcome {
        var s = subscription
        var attempt = 0
        var firstFailureMs: Int64?
        while true {
            attempt += 1
            let startMs = clock.nowMs()
            let request = batch.request(
                url: s.url, secret: s.secret, timestampSeconds: startMs / 1000, attempt: attempt)
            let began = ContinuousClock.now
            var status: Int?
            var failure: String?
            do {
                status = try await transport.post(request, timeout: settings.requestTimeout)
            } catch {
                failure = String(String(describing: error).prefix(200))
            }
            try Task.checkCancellation()  // shutting down: the batch goes again after the restart
            let elapsed = ContinuousClock.now - began
            var record = WebhookDeliveryRecord(
                webhook: s.id, firstEventID: batch.ids[0], lastEventID: batch.ids[batch.ids.count - 1],
                eventCount: batch.ids.count, attempt: attempt, outcome: .delivered, statusCode: status,
                error: failure, durationMs: Int64(elapsed.seconds * 1000), timeMs: startMs)
            if let status, (200..<300).contains(status) {
                try store.recordAttempt(record, advanceCursorTo: batch.coveredThrough)
                counters.withLock {
                    $0.requestsDelivered += 1
                    $0.eventsDelivered += batch.ids.count
                }
                return .done
            }
            record.outcome = .failed
            if failure == nil, let status { failure = "HTTP \(status)" }
            let first = firstFailureMs ?? startMs
            firstFailureMs = first
            switch settings.retry.decide(
                afterFailure: attempt, firstFailureMs: first, nowMs: clock.nowMs(), unit: random())
            {
            case .retry(let wait):
                try store.recordAttempt(record)
                counters.withLock { $0.attemptsFailed += 1 }
                logger.debug(
                    "webhook delivery failed, retrying",
                    metadata: ["webhook.id": "\(s.id)", "webhook.attempt": "\(attempt)", "error": "\(failure ?? "")"])
                try await clock.sleep(for: wait)
                guard let fresh = try store.subscription(id: s.id), fresh.active, !fresh.failing else {
                    return .stopped
                }
                if fresh.cursor >= batch.coveredThrough { return .done }
                s = fresh
            case .giveUp:
                try store.markFailing(record, error: failure ?? "failed", atMs: clock.nowMs())
                counters.withLock {
                    $0.attemptsFailed += 1
                    $0.batchesAbandoned += 1
                }
                logger.warning(
                    "webhook marked failing: retries reached the horizon",
                    metadata: [
                        "webhook.id": "\(s.id)", "webhook.attempts": "\(attempt)",
                        "webhook.events": "\(batch.ids[0])...\(batch.ids[batch.ids.count - 1])",
                        "error": "\(failure ?? "")",
                    ])
                return .stopped
            }
        }
    }
}
