import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Foundation
import Hummingbird

/// `/v1/webhooks`: the tenant's subscriptions (the secret is shown once, at creation) and each
/// one's delivery log. Changes tell the deliverer at once (`APIServices.webhooksChanged`).
func addWebhookRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    group.post("webhooks", permission: .webhooksManage) { request, context, identity in
        let body = try await APIJSON.decode(NewWebhookBody.self, from: request, context: context)
        let url = try WebhookRoutes.url(body.url)
        let device = try body.device.map { text throws(APIError) in try WebhookRoutes.device(text) }
        let hook: WebhookSubscription
        do {
            hook = try services.webhooks.create(
                tenant: identity.tenant, url: url, secret: WebhookSignature.newSecret(), kinds: body.kinds ?? [],
                device: device, group: body.group, active: body.active ?? true,
                cursor: body.after ?? services.eventLog.lastID, createdMs: services.nowMs())
        } catch let error as WebhookStoreError {
            throw APIError.badRequest(error.description)
        }
        services.webhooksChanged()
        return try APIJSON.response(WebhookView(hook, showSecret: true), status: .created)
    }

    group.get("webhooks", permission: .webhooksManage) { request, _, identity in
        let page = try PageRequest(request)
        let after = try page.after.map { text throws(APIError) in try WebhookRoutes.position(text) } ?? 0
        let rows = try services.webhooks.subscriptions(tenant: identity.tenant, after: after, limit: page.limit + 1)
        return try APIJSON.response(Page.make(rows, limit: page.limit, cursorOf: { String($0.id) }) { WebhookView($0) })
    }

    group.get("webhooks/{id}", permission: .webhooksManage) { _, context, identity in
        try APIJSON.response(WebhookView(try WebhookRoutes.subscription(context, identity, services)))
    }

    group.patch("webhooks/{id}", permission: .webhooksManage) { request, context, identity in
        let id = try WebhookRoutes.id(context)
        let body = try await APIJSON.decode(WebhookPatchBody.self, from: request, context: context)
        var update = WebhookStore.Update(kinds: body.kinds, active: body.active, reactivate: body.reactivate ?? false)
        update.url = try body.url.map { text throws(APIError) in try WebhookRoutes.url(text) }
        update.cursor = body.cursor
        if let device = body.device {
            update.device = .some(try device.map { text throws(APIError) in try WebhookRoutes.device(text) })
        }
        if let group = body.group { update.group = .some(group) }
        let hook: WebhookSubscription?
        do {
            hook = try services.webhooks.update(id: id, tenant: identity.tenant, update)
        } catch let error as WebhookStoreError {
            throw APIError.badRequest(error.description)
        }
        guard let hook else { throw WebhookRoutes.notFound(id) }
        services.webhooksChanged()
        return try APIJSON.response(WebhookView(hook))
    }

    group.delete("webhooks/{id}", permission: .webhooksManage) { _, context, identity in
        let id = try WebhookRoutes.id(context)
        guard try services.webhooks.delete(id: id, tenant: identity.tenant) else { throw WebhookRoutes.notFound(id) }
        services.webhooksChanged()
        return Response(status: .noContent)
    }

    group.get("webhooks/{id}/deliveries", permission: .webhooksManage) { request, context, identity in
        let id = try WebhookRoutes.id(context)
        let page = try PageRequest(request)
        let before = try page.after.map { text throws(APIError) in try WebhookRoutes.position(text) } ?? .max
        guard
            let rows = try services.webhooks.deliveries(
                webhook: id, tenant: identity.tenant, before: before, limit: page.limit + 1)
        else { throw WebhookRoutes.notFound(id) }
        return try APIJSON.response(
            Page.make(rows, limit: page.limit, cursorOf: { String($0.id) }) { WebhookDeliveryView($0) })
    }
}

enum WebhookRoutes {
    /// The `{id}` of the path; an id that is not a number names no webhook (404, as another
    /// tenant's).
    static func id(_ context: APIRequestContext) throws(APIError) -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else { throw notFound(text) }
        return id
    }

    static func subscription(_ context: APIRequestContext, _ identity: Identity, _ services: APIServices) throws
        -> WebhookSubscription
    {
        let id = try id(context)
        guard let hook = try services.webhooks.subscription(id: id, tenant: identity.tenant) else {
            throw notFound(id)
        }
        return hook
    }

    static func notFound(_ id: some CustomStringConvertible) -> APIError {
        APIError.notFound("no webhook \(String(describing: id).prefix(64))")
    }

    static func url(_ text: String) throws(APIError) -> String {
        do {
            return try WebhookURL.check(text)
        } catch {
            throw APIError.badRequest(error.description)
        }
    }

    static func device(_ text: String) throws(APIError) -> DeviceID {
        guard let device = DeviceID(text) else {
            throw APIError.badRequest("device '\(text.prefix(64))' is not a device id")
        }
        return device
    }

    /// A decoded page cursor (a row id).
    static func position(_ text: String) throws(APIError) -> Int64 {
        guard let id = Int64(text) else { throw APIError.badRequest("cursor is not one this server issued") }
        return id
    }
}

/// `POST /v1/webhooks` body.
struct NewWebhookBody: Decodable {
    var url: String
    /// Event kinds (`geofence.enter`, or a family `geofence.*`); absent or empty: every kind.
    var kinds: [String]?
    var device: String?
    var group: String?
    var active: Bool?
    /// Deliver events after this id (default: the log's last id, i.e. events from now on).
    var after: Int64?
}

/// `PATCH /v1/webhooks/{id}` body: absent fields stay; `device` or `group` null clears the filter.
struct WebhookPatchBody: Decodable {
    var url: String?
    var kinds: [String]?
    var device: String??
    var group: String??
    var active: Bool?
    /// Clears `failing`: delivery resumes from the cursor (abandoned events go again).
    var reactivate: Bool?
    /// Moves the cursor (e.g. past abandoned events).
    var cursor: Int64?

    enum CodingKeys: String, CodingKey {
        case url, kinds, device, group, active, reactivate, cursor
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        kinds = try c.decodeIfPresent([String].self, forKey: .kinds)
        if c.contains(.device) { device = .some(try c.decodeIfPresent(String.self, forKey: .device)) }
        if c.contains(.group) { group = .some(try c.decodeIfPresent(String.self, forKey: .group)) }
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
        reactivate = try c.decodeIfPresent(Bool.self, forKey: .reactivate)
        cursor = try c.decodeIfPresent(Int64.self, forKey: .cursor)
    }
}

/// A subscription as the API shows it; `secret` only in the answer to its creation.
struct WebhookView: Encodable {
    var id: String
    var url: String
    var kinds: [String]
    var device: String?
    var group: String?
    var active: Bool
    var status: String
    var createdAt: String
    var cursor: Int64
    var failingSince: String?
    var lastError: String?
    var secret: String?

    init(_ s: WebhookSubscription, showSecret: Bool = false) {
        id = String(s.id)
        url = s.url
        kinds = s.kinds
        device = s.device?.rawValue
        group = s.group
        active = s.active
        status = s.failing ? "failing" : "ok"
        createdAt = APITime.format(s.createdMs)
        cursor = s.cursor
        failingSince = s.failingSinceMs.map(APITime.format)
        lastError = s.lastError
        secret = showSecret ? s.secret : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, url, kinds, device, group, active, status, cursor, secret
        case createdAt = "created_at"
        case failingSince = "failing_since"
        case lastError = "last_error"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(url, forKey: .url)
        try c.encode(kinds, forKey: .kinds)
        try c.encode(device, forKey: .device)
        try c.encode(group, forKey: .group)
        try c.encode(active, forKey: .active)
        try c.encode(status, forKey: .status)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(failingSince, forKey: .failingSince)
        try c.encode(lastError, forKey: .lastError)
        try c.encodeIfPresent(secret, forKey: .secret)
    }
}

/// One row of a delivery log.
struct WebhookDeliveryView: Encodable {
    var id: String
    var firstEventId: Int64
    var lastEventId: Int64
    var eventCount: Int
    var attempt: Int
    var outcome: String
    var statusCode: Int?
    var error: String?
    var durationMs: Int64
    var time: String

    init(_ r: WebhookDeliveryRecord) {
        id = String(r.id)
        firstEventId = r.firstEventID
        lastEventId = r.lastEventID
        eventCount = r.eventCount
        attempt = r.attempt
        outcome = r.outcome.rawValue
        statusCode = r.statusCode
        error = r.error
        durationMs = r.durationMs
        time = APITime.format(r.timeMs)
    }

    enum CodingKeys: String, CodingKey {
        case id, attempt, outcome, error, time
        case firstEventId = "first_event_id"
        case lastEventId = "last_event_id"
        case eventCount = "event_count"
        case statusCode = "status_code"
        case durationMs = "duration_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(firstEventId, forKey: .firstEventId)
        try c.encode(lastEventId, forKey: .lastEventId)
        try c.encode(eventCount, forKey: .eventCount)
        try c.encode(attempt, forKey: .attempt)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(statusCode, forKey: .statusCode)
        try c.encode(error, forKey: .error)
        try c.encode(durationMs, forKey: .durationMs)
        try c.encode(time, forKey: .time)
    }
}
