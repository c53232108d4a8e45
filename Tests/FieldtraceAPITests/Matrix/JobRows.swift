import FieldtraceAPI
import FieldtraceStore
import HTTPTypes

extension MatrixTables {
    // MARK: jobs (helper jobs)
    static let jobReaders: Set<Role> = [.admin, .dispatcher, .analyst]
    static let jobWriters: Set<Role> = [.admin, .dispatcher]

    static let jobRows: [MatrixRow] = [
        MatrixRow(.get, "/v1/jobs", jobReaders),
        MatrixRow(.post, "/v1/jobs", jobWriters) { f in ("/v1/jobs", try f.matrixJobBody()) },
        MatrixRow(.get, "/v1/jobs/{id}", jobReaders) { f in ("/v1/jobs/\(try f.matrixJob())", nil) },
        MatrixRow(.patch, "/v1/jobs/{id}", jobWriters) { f in
            ("/v1/jobs/\(try f.matrixJob())", #"{"note":"call first"}"#)
        },
        MatrixRow(.delete, "/v1/jobs/{id}", jobWriters) { f in ("/v1/jobs/\(try f.matrixJob())", nil) },
    ]
}

extension CrossTenantTables {
    // MARK: jobs (helper jobs): tenant B's admin naming tenant A's job, or its device in a filter
    static let jobRows: [CrossTenantRow] = [
        CrossTenantRow(method: .get, route: "/v1/jobs/{id}") { f in ("/v1/jobs/\(try f.matrixJob())", nil) },
        CrossTenantRow(method: .patch, route: "/v1/jobs/{id}") { f in
            ("/v1/jobs/\(try f.matrixJob())", #"{"status":"cancelled"}"#)
        },
        CrossTenantRow(method: .delete, route: "/v1/jobs/{id}") { f in ("/v1/jobs/\(try f.matrixJob())", nil) },
        CrossTenantRow(method: .get, route: "/v1/jobs") { f in
            ("/v1/jobs?device=\(try f.matrixDevice())", nil)
        },
    ]
}

extension APIFixture {
    /// A body creating a job in tenant A: a new device sent to a new fence.
    func matrixJobBody() throws -> String {
        #"{"device":"\#(try matrixDevice())","site":"\#(try matrixFence())","assigned_at":"2026-01-01T08:00:00Z"}"#
    }

    /// A job of `tenant` (a new device sent to a new fence); returns its id.
    func matrixJob(tenant: String = APIFixture.tenantA) throws -> String {
        try services.directory.createJob(
            tenant: tenant,
            NewJob(
                device: try matrixDevice(tenant: tenant), site: try matrixFence(tenant: tenant),
                assignedMs: 1_767_254_400_000)
        ).id
    }
}
