import FieldtraceAnalytics
import FieldtraceCore
import GRDB

extension EventLog {
    /// A device's standing events of `kinds` with `from <= time < to` (event time, ms UTC), in
    /// time order, then id: not corrections, not withdrawn by one. At most `limit` rows.
    ///
    /// Uses the (device, step) index: a device's analysis events have `step = 2 x fix time`
    /// (+1) of the fix that emitted them, and an event's time is at most that fix's time, so the
    /// events of `[from, to)` lie in steps `>= 2 x from` (`stepMarginMs` earlier, to be safe);
    /// connectivity events (no step) are never asked for here. O(events of the device from
    /// `from` on).
    public func standingEvents(
        device: DeviceID, kinds: [EventKind], from: Int64, to: Int64, limit: Int = 100_000
    ) throws -> [LoggedEvent] {
        guard !kinds.isEmpty, from < to else { return [] }
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ",")
        let stepFloor = 2 * (min(max(from, Int64.min / 4), Int64.max / 4) - Self.stepMarginMs)
        var values: [(any DatabaseValueConvertible)?] = [device.rawValue, stepFloor, from, to]
        values += kinds.map(\.rawValue)
        values.append(limit)
        let arguments = StatementArguments(values)
        return try catalog.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM events e
                    WHERE e.device = ? AND e.step >= ? AND e.time_ms >= ? AND e.time_ms < ?
                      AND e.kind IN (\(marks)) AND e.retracts IS NULL
                      AND NOT EXISTS (SELECT 1 FROM events c WHERE c.retracts = e.id)
                    ORDER BY e.time_ms, e.id LIMIT ?
                    """, arguments: arguments
            ).map(Self.event)
        }
    }

    /// How far an event's time may lie after the fix that emitted it, for the step bound: 1 day,
    /// far beyond any detector (they date events at or before the emitting fix).
    static let stepMarginMs: Int64 = 86_400_000
}
