import FieldtraceAPI
import FieldtraceStore
import HTTPTypes

extension MatrixTables {
    // MARK: directory (helper directory)
    static let directoryReaders: Set<Role> = [.admin, .dispatcher, .analyst, .attendance]
    static let assigners: Set<Role> = [.admin, .dispatcher]

    static let directoryRows: [MatrixRow] = [
        MatrixRow(.get, "/v1/groups", directoryReaders),
        MatrixRow(.post, "/v1/groups", [.admin]) { _ in ("/v1/groups", #"{"name":"matrix"}"#) },
        MatrixRow(.get, "/v1/groups/{id}", directoryReaders) { f in ("/v1/groups/\(try f.matrixGroup())", nil) },
        MatrixRow(.put, "/v1/groups/{id}", [.admin]) { f in ("/v1/groups/\(try f.matrixGroup())", #"{"name":"m"}"#) },
        MatrixRow(.patch, "/v1/groups/{id}", [.admin]) { f in ("/v1/groups/\(try f.matrixGroup())", #"{"name":"m"}"#) },
        MatrixRow(.delete, "/v1/groups/{id}", [.admin]) { f in ("/v1/groups/\(try f.matrixGroup())", nil) },

        MatrixRow(.get, "/v1/devices", directoryReaders),
        MatrixRow(.post, "/v1/devices", [.admin]) { _ in ("/v1/devices", #"{"id":"\#(APIFixture.matrixID())"}"#) },
        MatrixRow(.get, "/v1/devices/{id}", directoryReaders) { f in ("/v1/devices/\(try f.matrixDevice())", nil) },
        MatrixRow(.put, "/v1/devices/{id}", [.admin]) { f in ("/v1/devices/\(try f.matrixDevice())", #"{"name":"m"}"#)
        },
        MatrixRow(.patch, "/v1/devices/{id}", [.admin]) { f in
            ("/v1/devices/\(try f.matrixDevice())", #"{"kind":"van"}"#)
        },
        MatrixRow(.delete, "/v1/devices/{id}", [.admin]) { f in ("/v1/devices/\(try f.matrixDevice())", nil) },

        MatrixRow(.get, "/v1/geofences", directoryReaders),
        MatrixRow(.post, "/v1/geofences", [.admin]) { _ in ("/v1/geofences", APIFixture.circle) },
        MatrixRow(.get, "/v1/geofences/{id}", directoryReaders) { f in ("/v1/geofences/\(try f.matrixFence())", nil) },
        MatrixRow(.put, "/v1/geofences/{id}", [.admin]) { f in
            ("/v1/geofences/\(try f.matrixFence())", APIFixture.circle)
        },
        MatrixRow(.patch, "/v1/geofences/{id}", [.admin]) { f in
            ("/v1/geofences/\(try f.matrixFence())", APIFixture.circle)
        },
        MatrixRow(.delete, "/v1/geofences/{id}", [.admin]) { f in ("/v1/geofences/\(try f.matrixFence())", nil) },

        MatrixRow(.get, "/v1/routes", directoryReaders),
        MatrixRow(.post, "/v1/routes", [.admin]) { _ in ("/v1/routes", APIFixture.line) },
        MatrixRow(.get, "/v1/routes/{id}", directoryReaders) { f in ("/v1/routes/\(try f.matrixRoute())", nil) },
        MatrixRow(.put, "/v1/routes/{id}", [.admin]) { f in ("/v1/routes/\(try f.matrixRoute())", APIFixture.line) },
        MatrixRow(.patch, "/v1/routes/{id}", [.admin]) { f in ("/v1/routes/\(try f.matrixRoute())", APIFixture.line) },
        MatrixRow(.delete, "/v1/routes/{id}", [.admin]) { f in ("/v1/routes/\(try f.matrixRoute())", nil) },

        MatrixRow(.get, "/v1/routes/{id}/assignments", directoryReaders) { f in
            ("/v1/routes/\(try f.matrixRoute())/assignments", nil)
        },
        MatrixRow(.post, "/v1/routes/{id}/assignments", assigners) { f in
            let (route, _) = try f.matrixAssignment()
            return (
                "/v1/routes/\(route)/assignments", #"{"device":"\#(try f.matrixDevice())","from_date":"2026-01-02"}"#
            )
        },
        MatrixRow(.get, "/v1/routes/{id}/assignments/{assignment}", directoryReaders) { f in
            ("/v1/routes/\(try f.matrixAssignmentPath())", nil)
        },
        MatrixRow(.put, "/v1/routes/{id}/assignments/{assignment}", assigners) { f in
            (
                "/v1/routes/\(try f.matrixAssignmentPath())",
                #"{"device":"\#(try f.matrixDevice())","from_date":"2026-01-03"}"#
            )
        },
        MatrixRow(.patch, "/v1/routes/{id}/assignments/{assignment}", assigners) { f in
            ("/v1/routes/\(try f.matrixAssignmentPath())", #"{"to_date":"2026-01-05"}"#)
        },
        MatrixRow(.delete, "/v1/routes/{id}/assignments/{assignment}", assigners) { f in
            ("/v1/routes/\(try f.matrixAssignmentPath())", nil)
        },
    ]
}

extension CrossTenantTables {
    // MARK: directory (helper directory): tenant B's admin naming tenant A's rows
    static let directoryRows: [CrossTenantRow] = {
        var rows: [CrossTenantRow] = []
        let items: [(String, @Sendable (APIFixture) throws -> String, String)] = [
            ("/v1/groups/{id}", { f in "/v1/groups/\(try f.matrixGroup())" }, #"{"name":"stolen"}"#),
            ("/v1/devices/{id}", { f in "/v1/devices/\(try f.matrixDevice())" }, #"{"name":"stolen"}"#),
            ("/v1/geofences/{id}", { f in "/v1/geofences/\(try f.matrixFence())" }, APIFixture.circle),
            ("/v1/routes/{id}", { f in "/v1/routes/\(try f.matrixRoute())" }, APIFixture.line),
            (
                "/v1/routes/{id}/assignments/{assignment}", { f in "/v1/routes/\(try f.matrixAssignmentPath())" },
                #"{"group":"x","from_date":"2026-01-04"}"#
            ),
        ]
        for (route, uri, body) in items {
            for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
                rows.append(
                    CrossTenantRow(method: method, route: route) { f in
                        (try uri(f), method == .get || method == .delete ? nil : body)
                    })
            }
        }
        rows.append(
            CrossTenantRow(method: .get, route: "/v1/routes/{id}/assignments") { f in
                ("/v1/routes/\(try f.matrixRoute())/assignments", nil)
            })
        rows.append(
            CrossTenantRow(method: .post, route: "/v1/routes/{id}/assignments") { f in
                ("/v1/routes/\(try f.matrixRoute())/assignments", #"{"group":"x","from_date":"2026-01-02"}"#)
            })
        return rows
    }()
}

extension APIFixture {
    static let circle =
        #"{"type":"Feature","geometry":{"type":"Point","coordinates":[13.4,52.5]},"properties":{"radius_m":100}}"#
    static let line =
        #"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[13.4,52.5],[13.5,52.5]]},"properties":{"width_m":40}}"#

    /// A fresh id, so that rows run once per role never collide.
    static func matrixID() -> String { "m" + String(UInt64.random(in: 0...UInt64.max), radix: 16) }

    func matrixGroup(tenant: String = APIFixture.tenantA) throws -> String {
        try services.directory.createGroup(tenant: tenant, NewGroup(id: Self.matrixID(), name: "matrix")).id
    }

    func matrixDevice(tenant: String = APIFixture.tenantA) throws -> String {
        try services.directory.createDevice(tenant: tenant, NewDevice(id: Self.matrixID())).id.rawValue
    }

    func matrixFence(tenant: String = APIFixture.tenantA) throws -> String {
        try services.directory.createGeofence(tenant: tenant, feature: Array(Self.circle.utf8)).id
    }

    func matrixRoute(tenant: String = APIFixture.tenantA) throws -> String {
        try services.directory.createRoute(tenant: tenant, feature: Array(Self.line.utf8)).id
    }

    /// A route with one assignment (to a new device): the route id and the assignment id.
    func matrixAssignment(tenant: String = APIFixture.tenantA) throws -> (route: String, id: Int64) {
        let route = try matrixRoute(tenant: tenant)
        let device = try matrixDevice(tenant: tenant)
        let a = try services.directory.createAssignment(
            tenant: tenant, route: route, NewAssignment(device: device, fromDate: "2026-01-01"))
        return (route, a.id)
    }

    /// `ROUTE/assignments/ID` of a new assignment.
    func matrixAssignmentPath(tenant: String = APIFixture.tenantA) throws -> String {
        let (route, id) = try matrixAssignment(tenant: tenant)
        return "\(route)/assignments/\(id)"
    }
}
