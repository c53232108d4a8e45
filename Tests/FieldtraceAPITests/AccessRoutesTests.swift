import FieldtraceAPI
import FieldtraceStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AccessRoutesTests {
    @Test func whoamiDescribesTheToken() async throws {
        let fixture = try APIFixture()
        let id = fixture.tokenIDs[APIFixture.tenantA]![.dispatcher]!
        let json = try await fixture.test { client in try await client.call(.get, "/v1/whoami", as: .dispatcher).json }
        #expect(json["token_id"] as? String == id)
        #expect(json["tenant"] as? String == APIFixture.tenantA)
        #expect(json["role"] as? String == "dispatcher")
        #expect((json["permissions"] as? [String])?.contains("location.read") == true)
        #expect((json["permissions"] as? [String])?.contains("tokens.manage") == false)
    }

    @Test func createdSecretWorksOnceShownAndIsStoredAsHash() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let created = try await client.call(
                .post, "/v1/tokens", as: .admin,
                body: #"{"role":"analyst","name":"nightly report","group":"north","expires_at":"2026-02-01T00:00:00Z"}"#
            )
            #expect(created.status == .created)
            let secret = try #require(created.json["secret"] as? String)
            let id = try #require(created.json["id"] as? String)
            #expect(secret.hasPrefix("ft_") && secret.count == 67)
            #expect(created.json["tenant"] as? String == APIFixture.tenantA)
            #expect(created.json["expires_at"] as? String == "2026-02-01T00:00:00.000Z")
            let stored = try #require(try fixture.services.access.token(id: id, tenant: APIFixture.tenantA))
            #expect(stored.secretHash == Secrets.sha256Hex(secret))
            #expect(stored.secretHash != secret && stored.group == "north")

            let me = try await client.call(.get, "/v1/whoami", secret: secret)
            #expect(me.json["token_id"] as? String == id)
            #expect(me.json["group"] as? String == "north")

            let shown = try await client.call(.get, "/v1/tokens/\(id)", as: .admin)
            #expect(
                shown.status == .ok && shown.json["secret"] == nil && shown.json["name"] as? String == "nightly report")
        }
    }

    @Test func badTokenRequestsAreRefusedWithReasons() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let cases: [(String, String)] = [
                (#"{"role":"king"}"#, "role 'king'"),
                (#"{"name":"x"}"#, "role: required"),
                (#"{"role":"admin","group":"a b"}"#, "group 'a b'"),
                (#"{"role":"admin","expires_at":"yesterday"}"#, "expires_at 'yesterday'"),
                (#"{"role":"admin","expires_at":"2025-01-01T00:00:00Z"}"#, "not in the future"),
                (#"{"role":5}"#, "role: expected a string"),
                ("not json", "not valid JSON"),
                ("", "a JSON body is required"),
            ]
            for (body, reason) in cases {
                let response = try await client.call(.post, "/v1/tokens", as: .admin, body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorCode == "bad_request")
                let message = (response.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(reason), "\(body): \(message)")
            }
        }
    }

    @Test func listPagesWithCursorsAndShowsNoSecrets() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            var seen: [String] = []
            var uri = "/v1/tokens?limit=2"
            var pages = 0
            while true {
                let page = try await client.call(.get, uri, as: .admin)
                #expect(page.status == .ok)
                let items = try #require(page.json["items"] as? [[String: Any]])
                #expect(items.count <= 2)
                #expect(items.allSatisfy { $0["secret"] == nil && $0["tenant"] as? String == APIFixture.tenantA })
                seen += items.compactMap { $0["id"] as? String }
                pages += 1
                guard let next = page.json["next_cursor"] as? String else {
                    #expect(page.json.keys.contains("next_cursor"))
                    break
                }
                uri = "/v1/tokens?limit=2&cursor=\(next)"
            }
            let expected = fixture.tokenIDs[APIFixture.tenantA]!.values.sorted()
            #expect(seen == expected)
            #expect(pages == 3)
            #expect(try await client.call(.get, "/v1/tokens?limit=0", as: .admin).status == .badRequest)
            #expect(try await client.call(.get, "/v1/tokens?limit=1001", as: .admin).status == .badRequest)
            #expect(try await client.call(.get, "/v1/tokens?cursor=garbage!", as: .admin).errorCode == "bad_request")
        }
    }

    @Test func revokedAndExpiredTokensAnswer401() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let (revoked, revokedSecret) = try TokenIssuer.issue(
                access: fixture.services.access, tenant: APIFixture.tenantA, role: .analyst, nowMs: fixture.clock.now)
            #expect(try await client.call(.get, "/v1/whoami", secret: revokedSecret).status == .ok)
            let gone = try await client.call(.delete, "/v1/tokens/\(revoked.id)", as: .admin)
            #expect(gone.status == .ok && gone.json["revoked_at"] as? String != nil)
            let after = try await client.call(.get, "/v1/whoami", secret: revokedSecret)
            #expect(after.status == .unauthorized && after.errorCode == "unauthorized")
            #expect(after.headers[.wwwAuthenticate] == "Bearer")

            let (_, shortSecret) = try TokenIssuer.issue(
                access: fixture.services.access, tenant: APIFixture.tenantA, role: .analyst,
                expiresMs: fixture.clock.now + 60_000, nowMs: fixture.clock.now)
            #expect(try await client.call(.get, "/v1/whoami", secret: shortSecret).status == .ok)
            fixture.clock.advance(ms: 60_000)
            #expect(try await client.call(.get, "/v1/whoami", secret: shortSecret).status == .unauthorized)

            for header in ["Basic abc", "Bearer", "Bearer ft_nope", "Bearer a b"] {
                let response = try await client.client.execute(
                    uri: "/v1/whoami", method: .get, headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header)")
                #expect(response.errorCode == "unauthorized")
            }
        }
    }
}

@Suite struct ScopedTokenTests {
    /// A group-scoped admin sees, makes and revokes only tokens of its group.
    @Test func scopedAdminStaysInItsGroup() async throws {
        let fixture = try APIFixture()
        let access = fixture.services.access
        let now = fixture.clock.now
        let (_, scopedSecret) = try TokenIssuer.issue(
            access: access, tenant: APIFixture.tenantA, role: .admin, group: "north", nowMs: now)
        let (sibling, _) = try TokenIssuer.issue(
            access: access, tenant: APIFixture.tenantA, role: .device, group: "north", nowMs: now)
        let unscopedAdmin = fixture.tokenIDs[APIFixture.tenantA]![.admin]!
        try await fixture.test { client in
            let made = try await client.call(.post, "/v1/tokens", secret: scopedSecret, body: #"{"role":"device"}"#)
            #expect(made.status == .created && made.json["group"] as? String == "north")
            let wider = try await client.call(
                .post, "/v1/tokens", secret: scopedSecret, body: #"{"role":"admin","group":"south"}"#)
            #expect(wider.status == .forbidden)
            let list = try await client.call(.get, "/v1/tokens", secret: scopedSecret)
            let groups = (list.json["items"] as? [[String: Any]] ?? []).map { $0["group"] as? String }
            #expect(groups.count == 3 && groups.allSatisfy { $0 == "north" })
            #expect(
                try await client.call(.get, "/v1/tokens/\(unscopedAdmin)", secret: scopedSecret).status == .notFound)
            #expect(
                try await client.call(.delete, "/v1/tokens/\(unscopedAdmin)", secret: scopedSecret).status == .notFound)
            #expect(try await client.call(.delete, "/v1/tokens/\(sibling.id)", secret: scopedSecret).status == .ok)
        }
        #expect(try access.token(id: unscopedAdmin, tenant: APIFixture.tenantA)?.revokedMs == nil)
    }
}
