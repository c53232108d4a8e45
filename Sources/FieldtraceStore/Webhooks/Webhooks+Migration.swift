import GRDB

/// The webhook tables of the catalog (migration "v7: webhooks"; see `WebhookStore`).
public enum Webhooks {
    /// Registers the webhook migrations; called once, at the end of `Catalog.migrator`.
    ///
    /// - `webhooks`: one row per subscription. `cursor` is the durable per-subscription cursor: the
    ///   id of the last event the receiver acknowledged with a 2xx (or that the filter skipped).
    ///   `kinds` is a comma-separated filter (empty: every kind; `geofence.*` matches a family).
    ///   `status` is `ok` or `failing` (retries reached the horizon; see `WebhookStore.markFailing`).
    /// - `webhook_deliveries`: the delivery log, one row per HTTP attempt, pruned to the newest
    ///   `WebhookStore.logRowsPerWebhook` rows of each subscription.
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7: webhooks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhooks (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tenant TEXT NOT NULL,
                        url TEXT NOT NULL,
                        secret TEXT NOT NULL,
                        kinds TEXT NOT NULL DEFAULT '',
                        device TEXT,
                        group_id TEXT,
                        active INTEGER NOT NULL DEFAULT 1,
                        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'failing')),
                        created_ms INTEGER NOT NULL,
                        cursor INTEGER NOT NULL DEFAULT 0,
                        failing_since_ms INTEGER,
                        last_error TEXT
                    );
                    CREATE INDEX webhooks_by_tenant ON webhooks(tenant, id);
                    CREATE TABLE webhook_deliveries (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        webhook INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                        first_event INTEGER NOT NULL,
                        last_event INTEGER NOT NULL,
                        event_count INTEGER NOT NULL,
                        attempt INTEGER NOT NULL,
                        outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed', 'abandoned')),
                        status_code INTEGER,
                        error TEXT,
                        duration_ms INTEGER NOT NULL,
                        time_ms INTEGER NOT NULL
                    );
                    CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries(webhook, id);
                    """)
        }
    }
}
