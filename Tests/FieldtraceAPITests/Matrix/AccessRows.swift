import FieldtraceAPI
import FieldtraceStore
import HTTPTypes

extension MatrixTables {
    // MARK: access (helper api)
    static let accessRows: [MatrixRow] = [
        MatrixRow(.get, "/v1/whoami", all),
        MatrixRow(.post, "/v1/tokens", [.admin]) { _ in ("/v1/tokens", #"{"role":"analyst","name":"matrix"}"#) },
        MatrixRow(.get, "/v1/tokens", [.admin]),
        MatrixRow(.get, "/v1/tokens/{id}", [.admin]) { f in ("/v1/tokens/\(try f.victimToken())", nil) },
        MatrixRow(.delete, "/v1/tokens/{id}", [.admin]) { f in ("/v1/tokens/\(try f.victimToken())", nil) },
    ]

    // MARK: ingest (helper api)
    static let ingestRows: [MatrixRow] = [
        MatrixRow(.get, "/v1/ingest/osmand", [.admin, .device]) { _ in
            ("/v1/ingest/osmand?id=matrix1&lat=52.5&lon=13.4&timestamp=1767225600", nil)
        },
        MatrixRow(.post, "/v1/ingest/osmand", [.admin, .device]) { _ in
            (
                "/v1/ingest/osmand",
                #"{"device_id":"matrix2","location":{"timestamp":"2026-01-01T00:00:00Z","coords":{"latitude":52.5,"longitude":13.4}}}"#
            )
        },
    ]
}

extension CrossTenantTables {
    // MARK: access (helper api)
    static let accessRows: [CrossTenantRow] = [
        CrossTenantRow(method: .get, route: "/v1/tokens/{id}") { f in ("/v1/tokens/\(try f.victimToken())", nil) },
        CrossTenantRow(method: .delete, route: "/v1/tokens/{id}") { f in ("/v1/tokens/\(try f.victimToken())", nil) },
    ]
}

extension APIFixture {
    /// A fresh analyst token of `tenant` (to read or revoke without touching the role tokens).
    func victimToken(tenant: String = APIFixture.tenantA) throws -> String {
        try TokenIssuer.issue(access: services.access, tenant: tenant, role: .analyst, name: "victim", nowMs: clock.now)
            .record.id
    }
}
