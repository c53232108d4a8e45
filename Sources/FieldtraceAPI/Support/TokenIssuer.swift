import FieldtraceCore
import FieldtraceStore

/// Creates tokens: validates the request, draws an id and a secret, stores the hash. Used by
/// `POST /v1/tokens` and `fieldtrace token create`.
public enum TokenIssuer {
    /// Tenant ids and group scopes: 1-64 of `A-Z a-z 0-9 . _ -`, so they are safe in paths,
    /// logs and file names.
    public static func isValidName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F
                || b == 0x2D
        }
    }

    /// Longest token name (a label for people), bytes.
    public static let maxLabelBytes = 200

    /// Issues a token. Returns the stored record and the secret (shown once, never stored).
    /// Throws `APIError.badRequest` for an invalid tenant, group, name or an expiry not after
    /// `nowMs`.
    public static func issue(
        access: AccessStore, tenant: String, role: Role, group: String? = nil, name: String = "",
        expiresMs: Int64? = nil, nowMs: Int64
    ) throws -> (record: TokenRecord, secret: String) {
        guard isValidName(tenant) else {
            throw APIError.badRequest("tenant '\(tenant)': 1-64 characters of A-Z a-z 0-9 . _ -")
        }
        if let group, !isValidName(group) {
            throw APIError.badRequest("group '\(group)': 1-64 characters of A-Z a-z 0-9 . _ -")
        }
        guard name.utf8.count <= maxLabelBytes else {
            throw APIError.badRequest("name: at most \(maxLabelBytes) bytes")
        }
        if let expiresMs, expiresMs <= nowMs {
            throw APIError.badRequest("expires_at \(ISO8601.format(ms: expiresMs)) is not in the future")
        }
        // Ids and secrets are random; a collision (2^-64 per pair) is retried, not reported.
        for _ in 0..<4 {
            let secret = Secrets.newSecret()
            let record = TokenRecord(
                id: Secrets.newTokenID(), tenant: tenant, role: role.rawValue, group: group, name: name,
                secretHash: Secrets.sha256Hex(secret), createdMs: nowMs, expiresMs: expiresMs)
            do {
                try access.createToken(record)
                return (record, secret)
            } catch AccessStore.AccessError.duplicateToken {
                continue
            }
        }
        throw APIError.internalError("could not draw a unique token id")
    }
}
