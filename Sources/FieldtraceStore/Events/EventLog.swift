import FieldtraceAnalytics
import FieldtraceCore
import GRDB
import Synchronization

/// An event to append to the log.
public struct NewEvent: Sendable, Hashable {
    public var tenant: String
    public var event: AnalyticsEvent
    /// Engine clock when the event was emitted, ms UTC.
    public var detectedMs: Int64
    /// Where in the device's analysis the event was emitted: `2 × fix time` of the fix whose
    /// processing emitted it, `+ 1` when the end of a session emitted it. `nil` for events that
    /// are not conclusions of the analysis (connectivity: `device.online`, `device.offline`).
    public var step: Int64?
    /// For a correction: the id of the event it withdraws.
    public var retracts: Int64?

    public init(tenant: String, event: AnalyticsEvent, detectedMs: Int64, step: Int64?, retracts: Int64? = nil) {
        self.tenant = tenant
        self.event = event
        self.detectedMs = detectedMs
        self.step = step
        self.retracts = retracts
    }
}

/// A row of the event log.
public struct LoggedEvent: Sendable, Hashable {
    /// Increasing in order of appending: the cursor of every consumer.
    public var id: Int64
    public var tenant: String
    public var device: DeviceID
    public var kind: EventKind
    public var timeMs: Int64
    public var confirmedMs: Int64
    public var detectedMs: Int64
    public var subject: String?
    public var late: Bool
    /// The event as a JSON object (`AnalyticsEvent.jsonLine`), without the id.
    public var payload: String
    public var step: Int64?
    public var retracts: Int64?
}

/// The event log: the `events` table of the catalog, appended in batches (one transaction
/// each), read by id cursor, with an in-process wake-up for long-poll and SSE readers.
///
/// One `EventLog` per catalog and process: the wake-up only sees appends made through this
/// instance.
public final class EventLog: Sendable {
    let catalog: Catalog
    private let state: Mutex<WaitState>

    struct WaitState {
        var lastID: Int64
        var nextToken = 0
        var waiters: [Int: (after: Int64, continuation: CheckedContinuation<Int64, Never>)] = [:]
    }

    public init(catalog: Catalog) throws {
        self.catalog = catalog
        let last = try catalog.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0 }
        state = Mutex(WaitState(lastID: last))
    }

    /// The id of the newest event (0 when the log is empty).
    public var lastID: Int64 { state.withLock { $0.lastID } }

    /// Appends `events` and upserts the analysis `progress` of devices in one transaction;
    /// returns the new ids, in order. Wakes readers waiting for events.
    @discardableResult
    public func append(_ events: [NewEvent], progress: [(device: DeviceID, step: Int64)] = []) throws -> [Int64] {
        guard !events.isEmpty || !progress.isEmpty else { return [] }
        var payload: [UInt8] = []
        let ids = try catalog.pool.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO events (tenant, device, kind, time_ms, confirmed_ms, detected_ms, subject, late, payload,
                                        step, retracts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var ids: [Int64] = []
            ids.reserveCapacity(events.count)
            for item in events {
                let e = item.event
                payload.removeAll(keepingCapacity: true)
                e.appendJSONLine(to: &payload)
                try insert.execute(arguments: [
                    item.tenant, e.device.rawValue, e.kind.rawValue, e.timeMs, e.confirmedAtMs, item.detectedMs,
                    e.subject, e.late, String(decoding: payload, as: UTF8.self), item.step, item.retracts,
                ])
                ids.append(db.lastInsertedRowID)
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO engine_progress (device, step) VALUES (?, ?)
                    ON CONFLICT(device) DO UPDATE SET step = max(step, excluded.step)
                    """)
            for (device, step) in progress { try upsert.execute(arguments: [device.rawValue, step]) }
            return ids
        }
        if let last = ids.last { wake(through: last) }
        return ids
    }

    private func wake(through last: Int64) {
        let ready = state.withLock { s -> [CheckedContinuation<Int64, Never>] in
            s.lastID = max(s.lastID, last)
            var ready: [CheckedContinuation<Int64, Never>] = []
            for (token, waiter) in s.waiters where waiter.after < s.lastID {
                ready.append(waiter.continuation)
                s.waiters.removeValue(forKey: token)
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: last) }
    }

    /// Returns the newest id once it is greater than `after`, or at once when the calling task
    /// is cancelled (a long-poll gives up by cancelling). Never throws, never busy-waits.
    public func waitForEvents(after: Int64) async -> Int64 {
        let token = state.withLock { s -> Int in
            s.nextToken += 1
            return s.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int64, Never>) in
                let resumeNow = state.withLock { s -> Int64? in
                    if s.lastID > after || Task.isCancelled { return s.lastID }
                    s.waiters[token] = (after, continuation)
                    return nil
                }
                if let id = resumeNow { continuation.resume(returning: id) }
            }
        } onCancel: {
            let waiter = state.withLock { s in (s.waiters.removeValue(forKey: token), s.lastID) }
            waiter.0?.continuation.resume(returning: waiter.1)
        }
    }

    /// Events with `id > after`, in id order, at most `limit`, optionally of one tenant.
    public func read(after: Int64, limit: Int, tenant: String? = nil) throws -> [LoggedEvent] {
        try catalog.pool.read { db in
            let rows =
                if let tenant {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM events WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                        arguments: [tenant, after, limit])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit])
                }
            return try rows.map(Self.event)
        }
    }

    /// A device's analysis events after `step` that still stand: not corrections, not
    /// connectivity events, not withdrawn by a correction. In step order, then id.
    public func standingEvents(device: DeviceID, afterStep step: Int64) throws -> [LoggedEvent] {
        try catalog.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM events e
                    WHERE e.device = ? AND e.step > ? AND e.retracts IS NULL
                      AND NOT EXISTS (SELECT 1 FROM events c WHERE c.retracts = e.id)
                    ORDER BY e.step, e.id
                    """, arguments: [device.rawValue, step]
            ).map(Self.event)
        }
    }

    /// Where a device's analysis stood when its engine last wrote: the greatest step of its
    /// events and of its recorded progress (nil if none), and its last connectivity event kind.
    public func resumePoint(device: DeviceID) throws -> (step: Int64?, connectivity: EventKind?) {
        try catalog.pool.read { db in
            let eventStep = try Int64.fetchOne(
                db, sql: "SELECT max(step) FROM events WHERE device = ?", arguments: [device.rawValue])
            let progress = try Int64.fetchOne(
                db, sql: "SELECT step FROM engine_progress WHERE device = ?", arguments: [device.rawValue])
            let kind = try String.fetchOne(
                db, sql: "SELECT kind FROM events WHERE device = ? AND step IS NULL ORDER BY id DESC LIMIT 1",
                arguments: [device.rawValue])
            let steps = [eventStep, progress].compactMap { $0 }
            return (steps.max(), kind.map(EventKind.init(rawValue:)))
        }
    }

    /// Deletes events (tests: what a crash before their write would have left).
    package func remove(ids: [Int64]) throws {
        try catalog.pool.write { db in
            for id in ids { try db.execute(sql: "DELETE FROM events WHERE id = ?", arguments: [id]) }
        }
    }

    static func event(_ row: Row) throws -> LoggedEvent {
        guard let text = row["device"] as String?, let device = DeviceID(text) else {
            throw CatalogError.corrupt("event row \(row)")
        }
        return LoggedEvent(
            id: row["id"], tenant: row["tenant"], device: device, kind: EventKind(rawValue: row["kind"]),
            timeMs: row["time_ms"], confirmedMs: row["confirmed_ms"], detectedMs: row["detected_ms"],
            subject: row["subject"], late: row["late"], payload: row["payload"], step: row["step"],
            retracts: row["retracts"])
    }
}
