/// One row of the audit log: who (token, tenant) did what (method, path), with which outcome
/// (HTTP status), when (ms UTC); and the chain hash.
public struct AuditRecord: Sendable, Hashable {
    /// Increasing; 0 before the row is appended.
    public var id: Int64
    public var timeMs: Int64
    public var token: String
    public var tenant: String
    public var method: String
    /// The request path (without the query string).
    public var path: String
    public var status: Int
    /// SHA-256 (hex) of the previous row's hash followed by this row's `canonicalText`; the
    /// first row's previous hash is `AuditRecord.genesisHash`.
    public var hash: String

    public init(
        id: Int64 = 0, timeMs: Int64, token: String, tenant: String, method: String, path: String, status: Int,
        hash: String = ""
    ) {
        self.id = id
        self.timeMs = timeMs
        self.token = token
        self.tenant = tenant
        self.method = method
        self.path = path
        self.status = status
        self.hash = hash
    }

    /// The "previous hash" of the first row: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The text hashed for this row: every field but the hash, tab-separated, in a fixed order,
    /// with tabs, newlines and backslashes in text fields escaped so no two rows share a text.
    /// Includes the id, so moving or dropping a row breaks the chain too.
    public var canonicalText: String {
        [
            String(id), String(timeMs), Self.escape(token), Self.escape(tenant), Self.escape(method),
            Self.escape(path), String(status),
        ].joined(separator: "\t")
    }

    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return text }
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out
    }
}
