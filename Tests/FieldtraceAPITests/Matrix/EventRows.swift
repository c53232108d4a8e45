import FieldtraceAPI
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import HTTPTypes

extension MatrixTables {
    static let eventReaders: Set<Role> = [.admin, .dispatcher, .analyst, .attendance]
    static let webhookManagers: Set<Role> = [.admin, .attendance]

    // MARK: events (helper delivery)
    static let eventRows: [MatrixRow] = [
        MatrixRow(.get, "/v1/events", eventReaders) { _ in ("/v1/events?after=0&wait=0", nil) },
        MatrixRow(.get, "/v1/events/stream", eventReaders) { f in
            // One event of the tenant, and a stream that ends after it.
            let id = try f.appendEvent()
            return ("/v1/events/stream?after=\(id - 1)&limit=1", nil)
        },
    ]

    // MARK: webhooks (helper delivery)
    static let webhookRows: [MatrixRow] = [
        MatrixRow(.post, "/v1/webhooks", webhookManagers) { _ in ("/v1/webhooks", #"{"url":"http://127.0.0.1:9/h"}"#) },
        MatrixRow(.get, "/v1/webhooks", webhookManagers),
        MatrixRow(.get, "/v1/webhooks/{id}", webhookManagers) { f in ("/v1/webhooks/\(try f.webhook())", nil) },
        MatrixRow(.patch, "/v1/webhooks/{id}", webhookManagers) { f in
            ("/v1/webhooks/\(try f.webhook())", #"{"active":false}"#)
        },
        MatrixRow(.delete, "/v1/webhooks/{id}", webhookManagers) { f in ("/v1/webhooks/\(try f.webhook())", nil) },
        MatrixRow(.get, "/v1/webhooks/{id}/deliveries", webhookManagers) { f in
            ("/v1/webhooks/\(try f.webhook())/deliveries", nil)
        },
    ]
}

extension CrossTenantTables {
    // MARK: webhooks (helper delivery)
    static let webhookRows: [CrossTenantRow] = [
        CrossTenantRow(method: .get, route: "/v1/webhooks/{id}") { f in ("/v1/webhooks/\(try f.webhook())", nil) },
        CrossTenantRow(method: .patch, route: "/v1/webhooks/{id}") { f in
            ("/v1/webhooks/\(try f.webhook())", #"{"url":"http://evil.example/"}"#)
        },
        CrossTenantRow(method: .delete, route: "/v1/webhooks/{id}") { f in ("/v1/webhooks/\(try f.webhook())", nil) },
        CrossTenantRow(method: .get, route: "/v1/webhooks/{id}/deliveries") { f in
            ("/v1/webhooks/\(try f.webhook())/deliveries", nil)
        },
    ]
}

extension APIFixture {
    /// A webhook of `tenant`; returns its id.
    func webhook(tenant: String = APIFixture.tenantA) throws -> Int64 {
        try services.webhooks.create(
            tenant: tenant, url: "http://127.0.0.1:9/hook", secret: "s", cursor: 0, createdMs: clock.now
        ).id
    }

    /// Appends one event of `tenant` to the log; returns its id.
    @discardableResult
    func appendEvent(
        tenant: String = APIFixture.tenantA, kind: String = "geofence.enter", device: String = "w1"
    ) throws -> Int64 {
        let event = AnalyticsEvent(
            kind: EventKind(kind), device: DeviceID(device)!, timeMs: clock.now, confirmedAtMs: clock.now,
            subject: "site-1")
        return try services.eventLog.append([NewEvent(tenant: tenant, event: event, detectedMs: clock.now, step: nil)])[
            0]
    }
}
