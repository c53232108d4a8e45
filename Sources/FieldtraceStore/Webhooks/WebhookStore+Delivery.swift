import GRDB

/// The deliverer's side of the store: not tenant-scoped, called only by `WebhookDeliverer`.
extension WebhookStore {
    /// Every subscription that should be delivered: active and not failing, by id.
    public func activeSubscriptions() throws -> [WebhookSubscription] {
        try catalog.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM webhooks WHERE active = 1 AND status = 'ok' ORDER BY id"
            ).map(WebhookSubscription.from)
        }
    }

    /// A subscription by id, whatever its tenant (the deliverer re-reads its state).
    public func subscription(id: Int64) throws -> WebhookSubscription? {
        try catalog.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [id])
                .map(WebhookSubscription.from)
        }
    }

    /// Appends one attempt to the delivery log and, for a delivered batch, moves the cursor to
    /// `advanceCursorTo` in the same transaction (never backwards). Prunes the subscription's
    /// log to the newest `logRowsPerWebhook` rows.
    public func recordAttempt(_ record: WebhookDeliveryRecord, advanceCursorTo cursor: Int64? = nil) throws {
        try catalog.pool.write { db in
            try insert(record, db: db)
            if let cursor {
                try db.execute(
                    sql: "UPDATE webhooks SET cursor = max(cursor, ?) WHERE id = ?",
                    arguments: [cursor, record.webhook])
            }
        }
    }

    /// Moves the cursor forward without a delivery (the filter skipped every event up to it).
    public func advanceCursor(webhook: Int64, to cursor: Int64) throws {
        try catalog.pool.write { db in
            try db.execute(
                sql: "UPDATE webhooks SET cursor = max(cursor, ?) WHERE id = ?", arguments: [cursor, webhook])
        }
    }

    /// The retry horizon ran out: logs the last attempt as `abandoned` and marks the
    /// subscription failing, in one transaction. The cursor stays before the batch, so a
    /// reactivated subscription sends it again (at least once); moving the cursor skips it.
    public func markFailing(_ record: WebhookDeliveryRecord, error: String, atMs: Int64) throws {
        var abandoned = record
        abandoned.outcome = .abandoned
        try catalog.pool.write { db in
            try insert(abandoned, db: db)
            try db.execute(
                sql: "UPDATE webhooks SET status = 'failing', failing_since_ms = ?, last_error = ? WHERE id = ?",
                arguments: [atMs, error, record.webhook])
        }
    }

    private func insert(_ r: WebhookDeliveryRecord, db: Database) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO webhook_deliveries (webhook, first_event, last_event, event_count, attempt, outcome,
                                                status_code, error, duration_ms, time_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try insert.execute(arguments: [
            r.webhook, r.firstEventID, r.lastEventID, r.eventCount, r.attempt, r.outcome.rawValue, r.statusCode,
            r.error, r.durationMs, r.timeMs,
        ])
        let prune = try db.cachedStatement(
            sql: """
                DELETE FROM webhook_deliveries WHERE webhook = ? AND id <= (
                    SELECT id FROM webhook_deliveries WHERE webhook = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
                """)
        try prune.execute(arguments: [r.webhook, r.webhook, logRowsPerWebhook])
    }
}
