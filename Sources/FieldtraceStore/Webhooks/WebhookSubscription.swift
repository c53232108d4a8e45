import FieldtraceCore
import GRDB

/// One webhook subscription: where a tenant's events are POSTed, signed with `secret`.
public struct WebhookSubscription: Sendable, Hashable {
    public var id: Int64
    public var tenant: String
    /// `http` or `https` URL the events are POSTed to.
    public var url: String
    /// The HMAC-SHA256 key (its UTF-8 bytes). Stored in clear: the deliverer needs it to sign.
    public var secret: String
    /// Event kinds delivered; empty: every kind. An entry ending in `.*` matches a family
    /// (`geofence.*` matches `geofence.enter` and `geofence.exit`).
    public var kinds: [String]
    /// Only this device's events, if set.
    public var device: DeviceID?
    /// Only events of devices in this group, if set (membership is resolved by the deliverer).
    public var group: String?
    /// Set by the tenant's admin; an inactive subscription keeps its cursor and gets nothing.
    public var active: Bool
    /// Retries reached the horizon: nothing is delivered until the subscription is reactivated.
    public var failing: Bool
    public var createdMs: Int64
    /// The durable cursor: the id of the last event acknowledged by the receiver (or skipped by
    /// the filter). Delivery resumes after it, also after a restart.
    public var cursor: Int64
    /// When the subscription was marked failing, ms UTC.
    public var failingSinceMs: Int64?
    /// The last failure (status code or error) that led to `failing`.
    public var lastError: String?

    public init(
        id: Int64, tenant: String, url: String, secret: String, kinds: [String] = [], device: DeviceID? = nil,
        group: String? = nil, active: Bool = true, failing: Bool = false, createdMs: Int64, cursor: Int64,
        failingSinceMs: Int64? = nil, lastError: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.url = url
        self.secret = secret
        self.kinds = kinds
        self.device = device
        self.group = group
        self.active = active
        self.failing = failing
        self.createdMs = createdMs
        self.cursor = cursor
        self.failingSinceMs = failingSinceMs
        self.lastError = lastError
    }

    /// Whether an event of `kind` passes the kinds filter.
    public func accepts(kind: String) -> Bool {
        Self.kindsFilter(kinds, accepts: kind)
    }

    /// The kinds filter rule shared by webhooks, SSE and long poll: empty accepts everything; an
    /// entry is an exact kind or a family `prefix.*`.
    public static func kindsFilter(_ kinds: [String], accepts kind: String) -> Bool {
        if kinds.isEmpty { return true }
        for k in kinds {
            if k == kind { return true }
            if k.hasSuffix(".*"), kind.hasPrefix(k.dropLast()) { return true }
        }
        return false
    }

    static func from(_ row: Row) throws -> WebhookSubscription {
        let deviceText: String? = row["device"]
        let device = try deviceText.map { text in
            guard let id = DeviceID(text) else { throw CatalogError.corrupt("webhook row device \(text)") }
            return id
        }
        let kindsText: String = row["kinds"]
        return WebhookSubscription(
            id: row["id"], tenant: row["tenant"], url: row["url"], secret: row["secret"],
            kinds: kindsText.isEmpty ? [] : kindsText.split(separator: ",").map(String.init), device: device,
            group: row["group_id"], active: row["active"], failing: (row["status"] as String) == "failing",
            createdMs: row["created_ms"], cursor: row["cursor"], failingSinceMs: row["failing_since_ms"],
            lastError: row["last_error"])
    }
}

/// One HTTP attempt of a webhook delivery (a row of the delivery log).
public struct WebhookDeliveryRecord: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        /// The receiver answered 2xx; the cursor moved past `lastEventID` in the same transaction.
        case delivered
        /// A non-2xx answer, a timeout or a connection error; the batch will be retried.
        case failed
        /// The last failure before the retry horizon ran out: the subscription is now failing.
        case abandoned
    }

    public var id: Int64
    public var webhook: Int64
    public var firstEventID: Int64
    public var lastEventID: Int64
    public var eventCount: Int
    /// 1 for the first attempt of a batch, then 2, 3, …
    public var attempt: Int
    public var outcome: Outcome
    /// The HTTP status, when the receiver answered.
    public var statusCode: Int?
    /// What went wrong when there was no answer (timeout, refused connection, …).
    public var error: String?
    public var durationMs: Int64
    /// When the attempt started, ms UTC.
    public var timeMs: Int64

    public init(
        id: Int64 = 0, webhook: Int64, firstEventID: Int64, lastEventID: Int64, eventCount: Int, attempt: Int,
        outcome: Outcome, statusCode: Int?, error: String?, durationMs: Int64, timeMs: Int64
    ) {
        self.id = id
        self.webhook = webhook
        self.firstEventID = firstEventID
        self.lastEventID = lastEventID
        self.eventCount = eventCount
        self.attempt = attempt
        self.outcome = outcome
        self.statusCode = statusCode
        self.error = error
        self.durationMs = durationMs
        self.timeMs = timeMs
    }

    static func from(_ row: Row) throws -> WebhookDeliveryRecord {
        guard let outcome = Outcome(rawValue: row["outcome"]) else {
            throw CatalogError.corrupt("webhook delivery row \(row)")
        }
        return WebhookDeliveryRecord(
            id: row["id"], webhook: row["webhook"], firstEventID: row["first_event"], lastEventID: row["last_event"],
            eventCount: row["event_count"], attempt: row["attempt"], outcome: outcome, statusCode: row["status_code"],
            error: row["error"], durationMs: row["duration_ms"], timeMs: row["time_ms"])
    }
}
