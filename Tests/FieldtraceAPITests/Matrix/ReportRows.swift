import FieldtraceAPI
import FieldtraceStore
import HTTPTypes

extension MatrixTables {
    // MARK: reports and dispatch (lead)
    static let readers: Set<Role> = [.admin, .dispatcher, .analyst, .attendance]
    static let reportRows: [MatrixRow] = [
        MatrixRow(.get, "/v1/reports/attendance", readers) { _ in ("/v1/reports/attendance?date=2026-01-01", nil) },
        MatrixRow(.get, "/v1/reports/daily", readers) { _ in ("/v1/reports/daily?date=2026-01-01", nil) },
        MatrixRow(.get, "/v1/reports/heatmap", readers) { _ in ("/v1/reports/heatmap?date=2026-01-01", nil) },
        MatrixRow(.get, "/v1/dispatch/nearest", [.admin, .dispatcher, .analyst]) { _ in
            ("/v1/dispatch/nearest?lat=31.2&lon=121.4", nil)
        },
        MatrixRow(.get, "/v1/positions/stream", [.admin, .dispatcher, .analyst]) { _ in
            ("/v1/positions/stream?duration_s=0.1&interval_s=0.2", nil)
        },
    ]
}

extension CrossTenantTables {
    // MARK: reports (lead): another tenant's device answers 404
    static let reportRows: [CrossTenantRow] = [
        CrossTenantRow(method: .get, route: "/v1/reports/daily") { f in
            ("/v1/reports/daily?date=2026-01-01&device=\(try f.tenantADevice())", nil)
        }
    ]
}

extension APIFixture {
    /// A device registered in tenant A's directory.
    func tenantADevice() throws -> String {
        let id = "ta-\(UInt32.random(in: 0...UInt32.max))"
        _ = try services.directory.createDevice(tenant: APIFixture.tenantA, NewDevice(id: id))
        return id
    }
}
