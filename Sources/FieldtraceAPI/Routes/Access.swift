import FieldtraceStore
import Hummingbird

/// `/v1/whoami` and `/v1/tokens`: the caller's identity; token create, list, revoke (admin).
///
/// A group-scoped admin token manages only tokens of its own group: new tokens get its group,
/// and other tokens of the tenant answer 404 to it, as if absent, so a scoped token cannot
/// mint or revoke broader ones.
public func addAccessRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    group.get("whoami", permission: .selfRead) { _, _, identity in
        try APIJSON.response(
            WhoAmI(
                tokenId: identity.tokenID, tenant: identity.tenant, role: identity.role.rawValue,
                group: identity.groupScope,
                permissions: Permission.allCases.filter(identity.role.allows).map(\.rawValue)
            ))
    }

    group.post("tokens", permission: .tokensManage) { request, context, identity in
        let body = try await APIJSON.decode(NewTokenBody.self, from: request, context: context)
        guard let role = Role(rawValue: body.role) else {
            throw APIError.badRequest(
                "role '\(body.role.prefix(32))': one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let scope = identity.groupScope, let group = body.group, group != scope {
            throw APIError.forbidden("a token scoped to group \(scope) can only create tokens of that group")
        }
        let expiresMs = try body.expiresAt.map { text throws(APIError) in try APITime.parse(text, field: "expires_at") }
        let (record, secret) = try TokenIssuer.issue(
            access: services.access, tenant: identity.tenant, role: role, group: body.group ?? identity.groupScope,
            name: body.name ?? "",
            expiresMs: expiresMs, nowMs: services.nowMs())
        return try APIJSON.response(TokenView(record, secret: secret), status: .created)
    }

    group.get("tokens", permission: .tokensManage) { request, _, identity in
        let page = try PageRequest(request)
        let rows = try services.access.tokens(
            tenant: identity.tenant, group: identity.groupScope, afterID: page.after ?? "", limit: page.limit + 1)
        return try APIJSON.response(Page.make(rows, limit: page.limit, cursorOf: \.id) { TokenView($0, secret: nil) })
    }

    group.get("tokens/{id}", permission: .tokensManage) { _, context, identity in
        let id = try context.parameters.require("id")
        guard let token = try services.access.token(id: id, tenant: identity.tenant), identity.mayManage(token) else {
            throw APIError.notFound("no token \(id.prefix(64))")
        }
        return try APIJSON.response(TokenView(token, secret: nil))
    }

    group.delete("tokens/{id}", permission: .tokensManage) { _, context, identity in
        let id = try context.parameters.require("id")
        guard let existing = try services.access.token(id: id, tenant: identity.tenant), identity.mayManage(existing),
            let token = try services.access.revokeToken(id: id, tenant: identity.tenant, atMs: services.nowMs())
        else { throw APIError.notFound("no token \(id.prefix(64))") }
        return try APIJSON.response(TokenView(token, secret: nil))
    }
}

extension Identity {
    /// An unscoped token manages every token of its tenant; a scoped one only its group's.
    func mayManage(_ token: TokenRecord) -> Bool {
        groupScope == nil || token.group == groupScope
    }
}

struct WhoAmI: Encodable {
    var tokenId: String
    var tenant: String
    var role: String
    var group: String?
    var permissions: [String]
}

/// `POST /v1/tokens` body. The tenant is the caller's.
struct NewTokenBody: Decodable {
    var role: String
    var group: String?
    var name: String?
    /// ISO 8601 or Unix ms; absent = never expires.
    var expiresAt: String?
}

/// A token as the API shows it; `secret` only in the answer to its creation.
struct TokenView: Encodable {
    var id: String
    var tenant: String
    var role: String
    var group: String?
    var name: String
    var createdAt: String
    var expiresAt: String?
    var revokedAt: String?
    var secret: String?

    init(_ r: TokenRecord, secret: String?) {
        id = r.id
        tenant = r.tenant
        role = r.role
        group = r.group
        name = r.name
        createdAt = APITime.format(r.createdMs)
        expiresAt = r.expiresMs.map(APITime.format)
        revokedAt = r.revokedMs.map(APITime.format)
        self.secret = secret
    }

    enum CodingKeys: String, CodingKey {
        case id, tenant, role, group, name, secret
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(tenant, forKey: .tenant)
        try c.encode(role, forKey: .role)
        try c.encode(group, forKey: .group)
        try c.encode(name, forKey: .name)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(revokedAt, forKey: .revokedAt)
        try c.encodeIfPresent(secret, forKey: .secret)
    }
}
