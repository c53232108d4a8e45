import FieldtraceStore
import Foundation
import Testing

@Suite struct AccessStoreTests {
    static func open() throws -> (AccessStore, String) {
        let directory = NSTemporaryDirectory() + "fieldtrace-access-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (AccessStore(catalog: try Catalog(path: directory + "/catalog.sqlite")), directory)
    }

    static func token(_ id: String, tenant: String, hash: String) -> TokenRecord {
        TokenRecord(
            id: id, tenant: tenant, role: "admin", group: nil, name: "", secretHash: hash, createdMs: 1000,
            expiresMs: 5000)
    }

    @Test func tokensAreScopedToTheirTenantAndTenantsAreImplicit() async throws {
        let (access, directory) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try access.createToken(Self.token("tok_a", tenant: "a", hash: "h1"))
        try access.createToken(Self.token("tok_b", tenant: "b", hash: "h2"))
        #expect(try access.tenants() == ["a", "b"])
        #expect(try access.token(id: "tok_a", tenant: "a")?.secretHash == "h1")
        #expect(try access.token(id: "tok_a", tenant: "b") == nil)
        #expect(try await access.token(secretHash: "h2")?.id == "tok_b")
        #expect(try access.revokeToken(id: "tok_a", tenant: "b", atMs: 2000) == nil)
        #expect(try access.revokeToken(id: "tok_a", tenant: "a", atMs: 2000)?.revokedMs == 2000)
        #expect(try access.revokeToken(id: "tok_a", tenant: "a", atMs: 3000)?.revokedMs == 2000)
        #expect(throws: AccessStore.AccessError.self) {
            try access.createToken(Self.token("tok_c", tenant: "a", hash: "h1"))
        }
    }

    @Test func activityFollowsExpiryAndRevocation() {
        var t = Self.token("tok", tenant: "a", hash: "h")
        #expect(t.isActive(atMs: 4999))
        #expect(!t.isActive(atMs: 5000))
        t.expiresMs = nil
        t.revokedMs = 10
        #expect(!t.isActive(atMs: 11))
    }

    @Test func tokensPageById() throws {
        let (access, directory) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for i in 0..<5 { try access.createToken(Self.token("tok_\(i)", tenant: "a", hash: "h\(i)")) }
        let first = try access.tokens(tenant: "a", limit: 2)
        let second = try access.tokens(tenant: "a", afterID: first.last!.id, limit: 10)
        #expect(first.map(\.id) == ["tok_0", "tok_1"])
        #expect(second.map(\.id) == ["tok_2", "tok_3", "tok_4"])
    }

    @Test func auditRowsChainAndRefuseEdits() async throws {
        let (access, directory) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chain: @Sendable (String, String) -> String = { previous, text in "\(previous.count + text.count)" }
        let rows = try await access.appendAudit(
            [
                AuditRecord(timeMs: 1, token: "t", tenant: "a", method: "GET", path: "/x", status: 200),
                AuditRecord(timeMs: 2, token: "t", tenant: "a", method: "POST", path: "/y\tz", status: 201),
            ], chain: chain)
        #expect(rows.map(\.id) == [1, 2])
        #expect(rows[0].hash == chain(AuditRecord.genesisHash, rows[0].canonicalText))
        #expect(rows[1].hash == chain(rows[0].hash, rows[1].canonicalText))
        #expect(rows[1].canonicalText == "2\t2\tt\ta\tPOST\t/y\\tz\t201")
        #expect(try access.auditRecords(limit: 10) == rows)
        #expect(throws: (any Error).self) { try access.executeForTesting("UPDATE audit SET status = 500 WHERE id = 1") }
        #expect(throws: (any Error).self) { try access.executeForTesting("DELETE FROM audit WHERE id = 1") }
    }
}
