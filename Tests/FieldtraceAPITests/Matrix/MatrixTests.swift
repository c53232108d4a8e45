import FieldtraceAPI
import Hummingbird
import Testing

@Suite struct MatrixTests {
    /// Every route x every role: allowed roles never get 401/403, the others get 403.
    @Test func authorizationMatrix() async throws {
        let fixture = try APIFixture()
        let failures = try await fixture.test { client in
            var failures: [String] = []
            for row in MatrixTables.rows {
                for role in Role.allCases {
                    let (uri, body) = try await row.request(fixture)
                    let response = try await client.call(row.method, uri, as: role, body: body)
                    let code = response.status.code
                    if row.allowed.contains(role) {
                        if code == 401 || code == 403 { failures.append("\(row) as \(role): \(code) \(response.text)") }
                    } else if code != 403 || response.errorCode != "forbidden" {
                        failures.append("\(row) as \(role): expected 403, got \(code) \(response.text)")
                    }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Every route without a token answers 401 with the JSON error body.
    @Test func everyRouteNeedsAToken() async throws {
        let fixture = try APIFixture()
        let failures = try await fixture.test { client in
            var failures: [String] = []
            for row in MatrixTables.rows {
                let (uri, body) = try await row.request(fixture)
                let response = try await client.call(row.method, uri, body: body)
                if response.status.code != 401 || response.errorCode != "unauthorized" {
                    failures.append("\(row): \(response.status.code) \(response.text)")
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Tenant B's admin naming tenant A's ids gets 404, never the resource, never 403.
    @Test func crossTenantIdsAnswerNotFound() async throws {
        let fixture = try APIFixture()
        let failures = try await fixture.test { client in
            var failures: [String] = []
            for row in CrossTenantTables.rows {
                let (uri, body) = try await row.makeInTenantA(fixture)
                let response = try await client.call(
                    row.method, uri, as: .admin, tenant: APIFixture.tenantB, body: body)
                if response.status.code != 404 || response.errorCode != "not_found" {
                    failures.append("\(row): \(response.status.code) \(response.text)")
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Every `/v1` route of the router has a matrix row (so a new route cannot skip the matrix).
    @Test func matrixCoversEveryRoute() throws {
        let fixture = try APIFixture()
        defer { fixture.close() }
        let routes = Set(
            fixture.router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /v1/") })
        let rows = Set(MatrixTables.rows.map(\.description))
        #expect(routes.subtracting(rows).isEmpty, "routes without matrix rows: \(routes.subtracting(rows).sorted())")
        #expect(rows.subtracting(routes).isEmpty, "matrix rows without routes: \(rows.subtracting(routes).sorted())")
    }
}
