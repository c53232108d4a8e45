import FieldtraceAPI
import HTTPTypes

/// One route of the authorization matrix: how to call it, and which roles may.
///
/// `request` builds the call for a fixture (creating whatever the call needs, e.g. a token to
/// revoke), so each row can run once per role. Allowed roles must not get 401 or 403; every
/// other role must get 403.
struct MatrixRow: Sendable, CustomStringConvertible {
    var method: HTTPRequest.Method
    /// The route as the router knows it (`/v1/tokens/{id}`), for messages and coverage.
    var route: String
    var allowed: Set<Role>
    var request: @Sendable (APIFixture) async throws -> (uri: String, body: String?)

    var description: String { "\(method) \(route)" }

    init(
        _ method: HTTPRequest.Method, _ route: String, _ allowed: Set<Role>,
        request: (@Sendable (APIFixture) async throws -> (uri: String, body: String?))? = nil
    ) {
        self.method = method
        self.route = route
        self.allowed = allowed
        self.request = request ?? { _ in (route, nil) }
    }
}

/// One route of the cross-tenant test: `makeInTenantA` creates a resource of tenant A and
/// returns the URI naming it; tenant B's admin calling that URI must get 404.
struct CrossTenantRow: Sendable, CustomStringConvertible {
    var method: HTTPRequest.Method
    var route: String
    var makeInTenantA: @Sendable (APIFixture) async throws -> (uri: String, body: String?)

    var description: String { "\(method) \(route)" }
}

/// The tables, one block per area. Other areas append their blocks to `MatrixTables.areas`
/// and `CrossTenantTables.areas` (one line each) from their own files.
enum MatrixTables {
    static let all: Set<Role> = Set(Role.allCases)

    static var rows: [MatrixRow] { areas.flatMap { $0 } }
    static let areas: [[MatrixRow]] = [
        accessRows,
        ingestRows,
        reportRows,
        eventRows,
        webhookRows,
        directoryRows,
        trackRows,
        jobRows,
        // directoryRows, queryRows, eventRows, webhookRows
    ]
}

enum CrossTenantTables {
    static var rows: [CrossTenantRow] { areas.flatMap { $0 } }
    static let areas: [[CrossTenantRow]] = [
        accessRows,
        reportRows,
        webhookRows,
        directoryRows,
        trackRows,
        jobRows,
        // directoryRows, queryRows, eventRows, webhookRows
    ]
}
