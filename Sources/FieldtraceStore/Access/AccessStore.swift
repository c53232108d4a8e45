import FieldtraceCore
import GRDB

/// Tenants, API tokens and the audit log, in the catalog (`catalog.sqlite`, migration
/// "v6: access"). Pure storage: hashing (SHA-256 of secrets, the audit chain) is done by the
/// caller (FieldtraceAPI) and handed in as hex strings or a function, so this target keeps no
/// crypto dependency.
public final class AccessStore: Sendable {
    let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Why a token could not be stored.
    public enum AccessError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Another token has the same id or secret hash (a random collision: retry).
        case duplicateToken(String)
        public var description: String {
            switch self {
            case .duplicateToken(let id): "token \(id) or its secret hash exists already"
            }
        }
    }

    // MARK: Tenants and tokens

    /// Stores a new token; creates its tenant if this is the tenant's first token.
    public func createToken(_ token: TokenRecord) throws {
        try catalog.pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO tenants (id, created_ms) VALUES (?, ?)",
                arguments: [token.tenant, token.createdMs])
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM tokens WHERE id = ? OR secret_hash = ?)",
                arguments: [token.id, token.secretHash])
            if exists == true { throw AccessError.duplicateToken(token.id) }
            try db.execute(
                sql: """
                    INSERT INTO tokens (id, tenant, role, group_scope, name, secret_hash, created_ms, expires_ms,
                                        revoked_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.tenant, token.role, token.group, token.name, token.secretHash, token.createdMs,
                    token.expiresMs, token.revokedMs,
                ])
        }
    }

    /// The token whose secret hashes to `secretHash` (any tenant, active or not). One indexed
    /// lookup; runs on GRDB's reader pool, off the caller's thread.
    ///
    /// Through `asyncRead`, which holds its reader only while the block runs on GRDB's queue.
    /// GRDB's `async` read keeps the reader until the awaiting task resumes on the cooperative
    /// pool; with every cooperative thread blocked in a synchronous read waiting for a reader
    /// (routes read the catalog synchronously), that never happens: the server hung under 8
    /// concurrent `GET /v1/positions/latest` on 2 cores.
    public func token(secretHash: String) async throws -> TokenRecord? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TokenRecord?, any Error>) in
            catalog.pool.asyncRead { database in
                continuation.resume(
                    with: Result {
                        try Row.fetchOne(
                            try database.get(), sql: "SELECT * FROM tokens WHERE secret_hash = ?",
                            arguments: [secretHash]
                        ).map(Self.token)
                    })
            }
        }
    }

    /// A token of `tenant` by id; nil when it does not exist or belongs to another tenant.
    public func token(id: String, tenant: String) throws -> TokenRecord? {
        try catalog.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ? AND tenant = ?", arguments: [id, tenant])
                .map(Self.token)
        }
    }

    /// Tokens of `tenant` (only those scoped to `group`, when given) with id > `afterID`, by
    /// id, at most `limit`.
    public func tokens(tenant: String, group: String? = nil, afterID: String = "", limit: Int) throws -> [TokenRecord] {
        try catalog.pool.read { db in
            if let group {
                return try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM tokens WHERE tenant = ? AND group_scope = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [tenant, group, afterID, limit]
                ).map(Self.token)
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM tokens WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [tenant, afterID, limit]
            ).map(Self.token)
        }
    }

    /// Revokes a token of `tenant` at `atMs` (a second revocation keeps the first time).
    /// Returns the token as it now is; nil when `tenant` has no such token.
    public func revokeToken(id: String, tenant: String, atMs: Int64) throws -> TokenRecord? {
        try catalog.pool.write { db in
            try db.execute(
                sql: "UPDATE tokens SET revoked_ms = coalesce(revoked_ms, ?) WHERE id = ? AND tenant = ?",
                arguments: [atMs, id, tenant])
            return try Row.fetchOne(
                db, sql: "SELECT * FROM tokens WHERE id = ? AND tenant = ?", arguments: [id, tenant]
            ).map(Self.token)
        }
    }

    /// Every tenant id, sorted.
    public func tenants() throws -> [String] {
        try catalog.pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM tenants ORDER BY id") }
    }

    static func token(_ row: Row) -> TokenRecord {
        TokenRecord(
            id: row["id"], tenant: row["tenant"], role: row["role"], group: row["group_scope"], name: row["name"],
            secretHash: row["secret_hash"], createdMs: row["created_ms"], expiresMs: row["expires_ms"],
            revokedMs: row["revoked_ms"])
    }

    // MARK: Audit log

    /// Appends rows in one transaction, chaining each to the one before: the row gets its id,
    /// then `hash = chain(previousHash, canonicalText)`. Returns the rows as stored. The chain
    /// function is SHA-256 over the concatenation (FieldtraceAPI's `AuditChain.link`).
    @discardableResult
    public func appendAudit(
        _ records: [AuditRecord], chain: @escaping @Sendable (_ previousHash: String, _ text: String) -> String
    ) async throws -> [AuditRecord] {
        guard !records.isEmpty else { return [] }
        return try await catalog.pool.write { db in try Self.append(records, chain: chain, db) }
    }

    /// The blocking form of `appendAudit`, for command-line tools and tests.
    @discardableResult
    public func appendAuditNow(
        _ records: [AuditRecord], chain: @escaping @Sendable (_ previousHash: String, _ text: String) -> String
    ) throws -> [AuditRecord] {
        guard !records.isEmpty else { return [] }
        return try catalog.pool.write { db in try Self.append(records, chain: chain, db) }
    }

    static func append(_ records: [AuditRecord], chain: (String, String) -> String, _ db: Database) throws
        -> [AuditRecord]
    {
        var previous =
            try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1") ?? AuditRecord.genesisHash
        var nextID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") ?? 0) + 1
        // AUTOINCREMENT never reuses an id: start after the highest ever handed out.
        if let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") {
            nextID = max(nextID, sequence + 1)
        }
        let insert = try db.cachedStatement(
            sql:
                "INSERT INTO audit (id, time_ms, token, tenant, method, path, status, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
        var out: [AuditRecord] = []
        out.reserveCapacity(records.count)
        for var record in records {
            record.id = nextID
            record.hash = chain(previous, record.canonicalText)
            try insert.execute(arguments: [
                record.id, record.timeMs, record.token, record.tenant, record.method, record.path, record.status,
                record.hash,
            ])
            previous = record.hash
            nextID += 1
            out.append(record)
        }
        return out
    }

    /// Audit rows with id > `afterID`, by id, at most `limit` (verification reads in pages).
    public func auditRecords(afterID: Int64 = 0, limit: Int) throws -> [AuditRecord] {
        try catalog.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?", arguments: [afterID, limit]
            ).map { row in
                AuditRecord(
                    id: row["id"], timeMs: row["time_ms"], token: row["token"], tenant: row["tenant"],
                    method: row["method"], path: row["path"], status: row["status"], hash: row["hash"])
            }
        }
    }

    /// Runs raw SQL on the catalog (tests: tampering with the audit log as an attacker with
    /// file access could).
    package func executeForTesting(_ sql: String) throws {
        try catalog.pool.write { db in try db.execute(sql: sql) }
    }
}
