import FieldtraceAPI
import FieldtraceStore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AuditTests {
    @Test func changesAndLocationReadsAreAuditedOtherReadsAreNot() async throws {
        let fixture = try APIFixture()
        let rows = try await fixture.test { client in
            _ = try await client.call(.get, "/v1/whoami", as: .admin)  // not audited
            _ = try await client.call(.get, "/v1/tokens", as: .admin)  // not audited
            _ = try await client.call(.post, "/v1/tokens", as: .admin, body: #"{"role":"device"}"#)
            _ = try await client.call(.post, "/v1/tokens", as: .analyst, body: #"{"role":"device"}"#)  // 403
            _ = try await client.call(.delete, "/v1/tokens/tok_missing", as: .admin)  // 404
            _ = try await client.call(.post, "/v1/tokens", body: #"{"role":"device"}"#)  // no token: not audited
            _ = try await client.call(  // telemetry: not audited
                .post, "/v1/ingest/osmand?id=p1&lat=1&lon=2&timestamp=1767225600", as: .device)
            return try fixture.services.access.auditRecords(limit: 100)
        }
        let admin = fixture.tokenIDs[APIFixture.tenantA]![.admin]!
        let analyst = fixture.tokenIDs[APIFixture.tenantA]![.analyst]!
        #expect(rows.map(\.method) == ["POST", "POST", "DELETE"])
        #expect(rows.map(\.status) == [201, 403, 404])
        #expect(rows.map(\.token) == [admin, analyst, admin])
        #expect(rows.allSatisfy { $0.tenant == APIFixture.tenantA })
        #expect(rows[2].path == "/v1/tokens/tok_missing")
    }

    @Test func tamperingIsNamedByVerify() async throws {
        let fixture = try APIFixture()
        let access = fixture.services.access
        try await fixture.test { client in
            for _ in 0..<4 {
                _ = try await client.call(.post, "/v1/tokens", as: .admin, body: #"{"role":"device"}"#)
            }
            #expect(try AuditChain.verify(access) == .ok(rows: 4))
            #expect(try AuditChain.verify(access, pageSize: 3) == .ok(rows: 4))
            // An attacker with file access drops the trigger and edits row 3.
            try access.executeForTesting("DROP TRIGGER audit_no_update; UPDATE audit SET status = 200 WHERE id = 3")
            guard case .broken(let id, _, _) = try AuditChain.verify(access, pageSize: 2) else {
                Issue.record("tampering not detected")
                return
            }
            #expect(id == 3)
        }
    }

    @Test func removingARowBreaksTheChainAtTheNextOne() async throws {
        let fixture = try APIFixture()
        defer { fixture.close() }
        let access = fixture.services.access
        for i in 0..<3 {
            try access.appendAuditNow(
                [AuditRecord(timeMs: Int64(i), token: "t", tenant: "a", method: "POST", path: "/p", status: 200)],
                chain: AuditChain.link)
        }
        try access.executeForTesting("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2")
        guard case .broken(let id, _, _) = try AuditChain.verify(access) else {
            Issue.record("removal not detected")
            return
        }
        #expect(id == 3)
    }

    /// Concurrent appends share transactions and still form one chain with every row once.
    @Test func groupCommitKeepsOneChain() async throws {
        let fixture = try APIFixture()
        defer { fixture.close() }
        let writer = fixture.services.auditWriter
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<300 {
                group.addTask {
                    try await writer.append(
                        AuditRecord(
                            timeMs: Int64(i), token: "t", tenant: "a", method: "POST", path: "/\(i)", status: 200))
                }
            }
            try await group.waitForAll()
        }
        let rows = try fixture.services.access.auditRecords(limit: 1000)
        #expect(rows.count == 300)
        #expect(Set(rows.map(\.path)).count == 300)
        #expect(rows.map(\.id) == Array(1...300))
        #expect(try AuditChain.verify(fixture.services.access) == .ok(rows: 300))
    }
}
