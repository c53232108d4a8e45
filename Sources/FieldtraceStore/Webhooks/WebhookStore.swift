import FieldtraceCore
import GRDB

/// A webhook request the store cannot take.
public struct WebhookStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Webhook subscriptions, their durable cursors and the delivery log, in the catalog
/// (migration "v7: webhooks"). Every tenant-facing call takes the tenant and treats another
/// tenant's id as absent; the deliverer's calls (`activeSubscriptions`, `recordAttempt`, …) are
/// not scoped.
///
/// The delivery log is bounded: each insert prunes the subscription's rows beyond the newest
/// `logRowsPerWebhook` (one indexed delete), so the table holds at most that many rows per
/// subscription whatever the failure rate.
public final class WebhookStore: Sendable {
    let catalog: Catalog
    /// Delivery-log rows kept per subscription (default 1,000: a day of hourly retries for a
    /// receiver that is down, or the last 1,000 batches of a healthy one; ~150 bytes a row).
    public let logRowsPerWebhook: Int

    public init(catalog: Catalog, logRowsPerWebhook: Int = 1000) {
        precondition(logRowsPerWebhook > 0, "the delivery log keeps at least one row")
        self.catalog = catalog
        self.logRowsPerWebhook = logRowsPerWebhook
    }

    /// Longest accepted URL, bytes (the common practical limit of HTTP stacks).
    public static let maxURLBytes = 2048
    /// Most kinds in one filter (a filter is scanned per event).
    public static let maxKinds = 64

    static func check(url: String, kinds: [String], group: String? = nil, cursor: Int64? = nil) throws {
        if let group, group.isEmpty || group.utf8.count > 128 {
            throw WebhookStoreError("group must be 1 to 128 bytes")
        }
        if let cursor, cursor < 0 { throw WebhookStoreError("cursor must be an event id (>= 0)") }
        guard !url.isEmpty, url.utf8.count <= maxURLBytes else {
            throw WebhookStoreError("url must be 1 to \(maxURLBytes) bytes")
        }
        guard kinds.count <= maxKinds else { throw WebhookStoreError("at most \(maxKinds) kinds") }
        for kind in kinds where kind.isEmpty || kind.utf8.count > 128 || kind.contains(",") {
            throw WebhookStoreError("kind '\(kind)' must be 1 to 128 bytes without commas")
        }
    }

    /// Adds a subscription whose cursor starts at `cursor` (usually the event log's last id:
    /// events from now on); returns it with its id.
    public func create(
        tenant: String, url: String, secret: String, kinds: [String] = [], device: DeviceID? = nil,
        group: String? = nil, active: Bool = true, cursor: Int64, createdMs: Int64
    ) throws -> WebhookSubscription {
        try Self.check(url: url, kinds: kinds, group: group, cursor: cursor)
        guard !secret.isEmpty else { throw WebhookStoreError("secret must not be empty") }
        let id = try catalog.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhooks (tenant, url, secret, kinds, device, group_id, active, created_ms, cursor)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    tenant, url, secret, kinds.joined(separator: ","), device?.rawValue, group, active, createdMs,
                    cursor,
                ])
            return db.lastInsertedRowID
        }
        return WebhookSubscription(
            id: id, tenant: tenant, url: url, secret: secret, kinds: kinds, device: device, group: group,
            active: active, createdMs: createdMs, cursor: cursor)
    }

    /// A tenant's subscription, nil when absent or another tenant's.
    public func subscription(id: Int64, tenant: String) throws -> WebhookSubscription? {
        try catalog.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM webhooks WHERE id = ? AND tenant = ?", arguments: [id, tenant]
            ).map(WebhookSubscription.from)
        }
    }

    /// A tenant's subscriptions with `id > after`, by id, at most `limit` (cursor pagination).
    public func subscriptions(tenant: String, after: Int64 = 0, limit: Int = 100) throws -> [WebhookSubscription] {
        try catalog.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM webhooks WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [tenant, after, max(0, limit)]
            ).map(WebhookSubscription.from)
        }
    }

    /// What an update changes; nil fields stay. `reactivate` clears `failing` (delivery resumes
    /// from the cursor, so abandoned events are sent again); `cursor` moves the cursor (e.g. to
    /// skip abandoned events).
    public struct Update: Sendable, Hashable {
        public var url: String?
        public var kinds: [String]?
        /// `.some(nil)` clears the device filter.
        public var device: DeviceID??
        /// `.some(nil)` clears the group filter.
        public var group: String??
        public var active: Bool?
        public var reactivate = false
        public var cursor: Int64?
        public init(
            url: String? = nil, kinds: [String]? = nil, device: DeviceID?? = nil, group: String?? = nil,
            active: Bool? = nil, reactivate: Bool = false, cursor: Int64? = nil
        ) {
            self.url = url
            self.kinds = kinds
            self.device = device
            self.group = group
            self.active = active
            self.reactivate = reactivate
            self.cursor = cursor
        }
    }

    /// Applies `update` to a tenant's subscription; nil when absent or another tenant's.
    public func update(id: Int64, tenant: String, _ update: Update) throws -> WebhookSubscription? {
        try Self.check(
            url: update.url ?? "x", kinds: update.kinds ?? [], group: update.group ?? nil, cursor: update.cursor)
        return try catalog.pool.write { db in
            guard
                var s = try Row.fetchOne(
                    db, sql: "SELECT * FROM webhooks WHERE id = ? AND tenant = ?", arguments: [id, tenant]
                ).map(WebhookSubscription.from)
            else { return nil }
            if let url = update.url { s.url = url }
            if let kinds = update.kinds { s.kinds = kinds }
            if let device = update.device { s.device = device }
            if let group = update.group { s.group = group }
            if let active = update.active { s.active = active }
            if update.reactivate {
                s.failing = false
                s.failingSinceMs = nil
                s.lastError = nil
            }
            if let cursor = update.cursor { s.cursor = cursor }
            try db.execute(
                sql: """
                    UPDATE webhooks SET url = ?, kinds = ?, device = ?, group_id = ?, active = ?, status = ?,
                        failing_since_ms = ?, last_error = ?, cursor = ?
                    WHERE id = ?
                    """,
                arguments: [
                    s.url, s.kinds.joined(separator: ","), s.device?.rawValue, s.group, s.active,
                    s.failing ? "failing" : "ok", s.failingSinceMs, s.lastError, s.cursor, id,
                ])
            return s
        }
    }

    /// Deletes a tenant's subscription and its delivery log; false when absent or another tenant's.
    @discardableResult
    public func delete(id: Int64, tenant: String) throws -> Bool {
        try catalog.pool.write { db in
            try db.execute(
                sql:
                    "DELETE FROM webhook_deliveries WHERE webhook = (SELECT id FROM webhooks WHERE id = ? AND tenant = ?)",
                arguments: [id, tenant])
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ? AND tenant = ?", arguments: [id, tenant])
            return db.changesCount > 0
        }
    }

    /// A subscription's delivery log, newest first, rows with `id < before`, at most `limit`;
    /// nil when the subscription is absent or another tenant's.
    public func deliveries(webhook: Int64, tenant: String, before: Int64 = .max, limit: Int = 100) throws
        -> [WebhookDeliveryRecord]?
    {
        try catalog.pool.read { db in
            guard
                try Int64.fetchOne(
                    db, sql: "SELECT id FROM webhooks WHERE id = ? AND tenant = ?", arguments: [webhook, tenant])
                    != nil
            else { return nil }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM webhook_deliveries WHERE webhook = ? AND id < ? ORDER BY id DESC LIMIT ?",
                arguments: [webhook, before, max(0, limit)]
            ).map(WebhookDeliveryRecord.from)
        }
    }
}
