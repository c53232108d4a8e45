import GRDB

/// The schema of the access store (issue 6): tenants, API tokens and the audit log.
public enum Access {
    /// Registers migration "v6: access". Called once, at the end of `Catalog.migrator`.
    ///
    /// - `tenants`: created implicitly by the first token of a tenant.
    /// - `tokens`: only the SHA-256 of a secret is kept (`secret_hash`, lowercase hex); a secret
    ///   is shown once, when its token is created.
    /// - `audit`: append-only (triggers refuse UPDATE and DELETE); each row carries the hash of
    ///   the previous row's hash and its own canonical text (`AuditRecord.canonicalText`), so an
    ///   edit anywhere breaks the chain from that row on.
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: access") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tenants (
                        id TEXT PRIMARY KEY NOT NULL,
                        created_ms INTEGER NOT NULL
                    );
                    CREATE TABLE tokens (
                        id TEXT PRIMARY KEY NOT NULL,
                        tenant TEXT NOT NULL REFERENCES tenants(id),
                        role TEXT NOT NULL,
                        group_scope TEXT,
                        name TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        created_ms INTEGER NOT NULL,
                        expires_ms INTEGER,
                        revoked_ms INTEGER
                    );
                    CREATE INDEX tokens_by_tenant ON tokens(tenant, id);
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time_ms INTEGER NOT NULL,
                        token TEXT NOT NULL,
                        tenant TEXT NOT NULL,
                        method TEXT NOT NULL,
                        path TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """)
        }
    }
}
