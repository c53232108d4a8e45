import GRDB

extension Directory {
    /// Migration "v5: directory": groups, device metadata (columns added to `devices`, so an
    /// erasure, which deletes the device row, takes its metadata with it), geofences, routes and
    /// route assignments. Rows are keyed by (tenant, id), so two tenants may use the same group,
    /// fence or route id and never learn of each other; device ids stay global (one tracker is
    /// one device), so registering another tenant's device is a conflict.
    static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: directory") { db in
            try db.execute(
                sql: """
                    CREATE TABLE device_groups (
                        tenant TEXT NOT NULL,
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        time_zone TEXT NOT NULL,
                        shifts TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        PRIMARY KEY (tenant, id)
                    ) WITHOUT ROWID;
                    ALTER TABLE devices ADD COLUMN name TEXT;
                    ALTER TABLE devices ADD COLUMN group_id TEXT;
                    ALTER TABLE devices ADD COLUMN kind TEXT;
                    ALTER TABLE devices ADD COLUMN registered_ms INTEGER;
                    ALTER TABLE devices ADD COLUMN updated_ms INTEGER;
                    CREATE INDEX devices_by_tenant ON devices(tenant, id);
                    CREATE INDEX devices_by_group ON devices(tenant, group_id, id) WHERE group_id IS NOT NULL;
                    CREATE TABLE geofences (
                        tenant TEXT NOT NULL,
                        id TEXT NOT NULL,
                        name TEXT,
                        group_id TEXT,
                        feature TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        PRIMARY KEY (tenant, id)
                    ) WITHOUT ROWID;
                    CREATE TABLE routes (
                        tenant TEXT NOT NULL,
                        id TEXT NOT NULL,
                        name TEXT,
                        width_m REAL NOT NULL,
                        feature TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        PRIMARY KEY (tenant, id)
                    ) WITHOUT ROWID;
                    CREATE TABLE route_assignments (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tenant TEXT NOT NULL,
                        route_id TEXT NOT NULL,
                        device_id TEXT,
                        group_id TEXT,
                        from_date TEXT NOT NULL,
                        to_date TEXT NOT NULL,
                        created_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        CHECK ((device_id IS NULL) != (group_id IS NULL))
                    );
                    CREATE INDEX route_assignments_by_route ON route_assignments(tenant, route_id, id);
                    CREATE INDEX route_assignments_by_end ON route_assignments(tenant, to_date);
                    """)
        }
    }
}
