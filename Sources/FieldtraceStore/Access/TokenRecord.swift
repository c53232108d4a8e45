/// One API token as stored: never its secret, only the secret's SHA-256 (hex).
public struct TokenRecord: Sendable, Hashable {
    /// Public identifier (`tok_` + 16 hex digits); shown in lists and audit rows.
    public var id: String
    public var tenant: String
    /// A role name (`Role` in FieldtraceAPI); the store does not interpret it.
    public var role: String
    /// Optional group the token is limited to (a device group id of the directory).
    public var group: String?
    /// A label for people ("dispatch tablet 3"); may be empty.
    public var name: String
    /// SHA-256 of the secret, lowercase hex (64 characters).
    public var secretHash: String
    /// ms UTC.
    public var createdMs: Int64
    /// ms UTC; nil = never expires.
    public var expiresMs: Int64?
    /// ms UTC; nil = not revoked.
    public var revokedMs: Int64?

    public init(
        id: String, tenant: String, role: String, group: String?, name: String, secretHash: String,
        createdMs: Int64, expiresMs: Int64?, revokedMs: Int64? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.role = role
        self.group = group
        self.name = name
        self.secretHash = secretHash
        self.createdMs = createdMs
        self.expiresMs = expiresMs
        self.revokedMs = revokedMs
    }

    /// Usable at `nowMs`: not revoked and not expired (expiry is exclusive).
    public func isActive(atMs nowMs: Int64) -> Bool {
        revokedMs == nil && (expiresMs.map { nowMs < $0 } ?? true)
    }
}
