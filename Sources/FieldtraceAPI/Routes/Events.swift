import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import HTTPTypes
import Hummingbird
import NIOCore

/// `/v1/events` (cursor read and long poll), `/v1/events/stream` (Server-Sent Events) and
/// `/v1/webhooks` (subscriptions, their delivery logs). Everything is scoped to the token's
/// tenant; a group-scoped token sees only its group's devices.
public func addEventRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    group.get("events", permission: .eventsRead) { request, _, identity in
        let query = try EventQuery(request, identity: identity, services: services)
        let limit = try EventQuery.integer(request, "limit", in: 1...1000) ?? 100
        let waitSeconds = try EventQuery.integer(request, "wait", in: 0...EventQuery.maxWaitSeconds) ?? 0
        let answer = try await LongPoll.events(
            log: services.eventLog, filter: query.filter, after: query.after ?? 0, limit: limit,
            wait: .seconds(waitSeconds))
        var body: [UInt8] = Array(#"{"items":["#.utf8)
        for (i, event) in answer.events.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            EventJSON.append(event, to: &body)
        }
        body.append(contentsOf: #"],"next_cursor":"\#(answer.nextCursor)"}"#.utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    group.get("events/stream", permission: .eventsRead) { request, _, identity in
        let query = try EventQuery(request, identity: identity, services: services)
        let maxEvents = try EventQuery.integer(request, "limit", in: 1...Int.max)
        // Resume point: the Last-Event-ID header (a reconnecting EventSource) wins over ?after=.
        var after = query.after
        if let header = request.headers[EventQuery.lastEventID] {
            guard let id = Int64(header), id >= 0 else {
                throw APIError.badRequest("Last-Event-ID '\(header.prefix(32))': expected an event id")
            }
            after = id
        }
        let subscription: EventSubscription
        do {
            subscription = try services.eventBroadcaster.subscribe(query.filter, after: after)
        } catch let error as EventStreamError {
            throw APIError.unavailable(error.description)
        }
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(bytes: ServerSentEvents.preamble()))
            var sent = 0
            do {
                stream: for try await item in subscription {
                    switch item {
                    case .keepAlive:
                        try await writer.write(ByteBuffer(bytes: ServerSentEvents.keepAlive))
                    case .events(let chunk):
                        let room = maxEvents.map { $0 - sent } ?? Int.max
                        let part = chunk.count > room ? chunk.prefix(room) : chunk
                        try await writer.write(part.sse)
                        sent += part.count
                        if let maxEvents, sent >= maxEvents { break stream }
                    }
                }
            } catch let error as EventStreamError {
                try await writer.write(
                    ByteBuffer(
                        bytes: ServerSentEvents.droppedFrame(
                            reason: error.reason, message: error.description,
                            lastEventID: subscription.lastEventID)))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: ServerSentEvents.contentType, .cacheControl: "no-cache",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ], body: body)
    }

    addWebhookRoutes(to: group, services: services)
}

/// The filter and resume point shared by the event routes: `after`, `kinds`, `device`, and the
/// token's tenant and group scope.
struct EventQuery {
    /// Longest `wait` of a long poll, seconds (`LongPoll.maxWait`: 60).
    static let maxWaitSeconds = 60
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    var filter: EventFilter
    var after: Int64?

    init(_ request: Request, identity: Identity, services: APIServices) throws(APIError) {
        let q = request.uri.queryParameters
        if let text = q["after"] {
            guard let id = Int64(text), id >= 0 else {
                throw APIError.badRequest("after '\(text.prefix(32))': expected an event id (an integer >= 0)")
            }
            after = id
        }
        var kinds: [String] = []
        if let text = q["kinds"] {
            kinds = text.split(separator: ",").map(String.init)
            guard kinds.count <= WebhookStore.maxKinds, kinds.allSatisfy({ $0.utf8.count <= 128 }) else {
                throw APIError.badRequest("kinds: at most \(WebhookStore.maxKinds) kinds of at most 128 bytes")
            }
        }
        var devices: Set<DeviceID>?
        if let text = q["device"] {
            guard let device = DeviceID(String(text)) else {
                throw APIError.badRequest("device '\(text.prefix(64))' is not a device id")
            }
            devices = [device]
        }
        if let scope = identity.groupScope {
            let members: Set<DeviceID>
            do {
                members = try GroupMembership.devices(
                    in: scope, tenant: identity.tenant, directory: Directory(catalog: services.catalog))
            } catch {
                throw APIError.internalError("resolving the token's group failed")
            }
            devices = devices.map { $0.intersection(members) } ?? members
        }
        filter = EventFilter(tenant: identity.tenant, kinds: kinds, devices: devices)
    }

    /// An integer query parameter in `range`; nil when absent; `bad_request` otherwise.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = request.uri.queryParameters[name[...]] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range)"
            throw APIError.badRequest("\(name) '\(text.prefix(32))': expected an integer, \(bound)")
        }
        return value
    }
}
