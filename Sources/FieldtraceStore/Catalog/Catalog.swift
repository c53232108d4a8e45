import FieldtraceCore
import GRDB

/// The catalog holds values no writer of ours produces.
public enum CatalogError: Error, Sendable, CustomStringConvertible {
    case corrupt(String)
    public var description: String {
        switch self {
        case .corrupt(let what): "catalog damaged: \(what)"
        }
    }
}

/// Where a segment lives and what it covers: one row of the catalog's `segments` table.
public struct SegmentEntry: Sendable, Hashable {
    public var id: Int64
    public var device: DeviceID
    public var t0: Int64
    public var t1: Int64
    public var minLatitudeE7: Int32
    public var maxLatitudeE7: Int32
    public var minLongitudeE7: Int32
    public var maxLongitudeE7: Int32
    /// Pack file name in `segments/`.
    public var file: String
    public var offset: Int
    public var length: Int
    public var count: Int
    /// 0 lossless, 1 simplified.
    public var level: Int

    public init(
        id: Int64, device: DeviceID, t0: Int64, t1: Int64, minLatitudeE7: Int32, maxLatitudeE7: Int32,
        minLongitudeE7: Int32, maxLongitudeE7: Int32, file: String, offset: Int, length: Int, count: Int, level: Int
    ) {
        self.id = id
        self.device = device
        self.t0 = t0
        self.t1 = t1
        self.minLatitudeE7 = minLatitudeE7
        self.maxLatitudeE7 = maxLatitudeE7
        self.minLongitudeE7 = minLongitudeE7
        self.maxLongitudeE7 = maxLongitudeE7
        self.file = file
        self.offset = offset
        self.length = length
        self.count = count
        self.level = level
    }

    /// The row for a segment just encoded, before it has an id and a place in a pack.
    init(header h: SegmentHeader) {
        self.init(
            id: 0, device: h.device, t0: h.t0, t1: h.t1, minLatitudeE7: h.minLatitudeE7,
            maxLatitudeE7: h.maxLatitudeE7, minLongitudeE7: h.minLongitudeE7, maxLongitudeE7: h.maxLongitudeE7,
            file: "", offset: 0, length: h.totalBytes, count: h.count, level: Int(h.level))
    }
}

/// The SQLite catalog (`catalog.sqlite`, WAL mode): devices, segments, store state, retention,
/// the event log (`EventLog`).
/// Migrations are append-only: a released migration is never edited, only followed.
public final class Catalog: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: devices, segments, state, retention") { db in
            try db.execute(
                sql: """
                    CREATE TABLE devices (
                        id TEXT PRIMARY KEY NOT NULL,
                        tenant TEXT NOT NULL DEFAULT 'default',
                        created_ms INTEGER NOT NULL
                    );
                    CREATE TABLE segments (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        device TEXT NOT NULL REFERENCES devices(id),
                        t0 INTEGER NOT NULL, t1 INTEGER NOT NULL,
                        min_lat INTEGER NOT NULL, max_lat INTEGER NOT NULL,
                        min_lon INTEGER NOT NULL, max_lon INTEGER NOT NULL,
                        file TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
                        count INTEGER NOT NULL, level INTEGER NOT NULL
                    );
                    CREATE INDEX segments_by_device_time ON segments(device, level, t0);
                    CREATE INDEX segments_by_time ON segments(level, t1, t0);
                    CREATE TABLE store_state (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                    CREATE TABLE retention (
                        scope TEXT NOT NULL CHECK (scope IN ('tenant', 'device')),
                        id TEXT NOT NULL,
                        raw_days INTEGER,
                        all_days INTEGER,
                        PRIMARY KEY (scope, id)
                    );
                    """)
        }
        migrator.registerMigration("v2: erasures") { db in
            try db.execute(
                sql: """
                    CREATE TABLE erasures (
                        device TEXT PRIMARY KEY NOT NULL,
                        through_sequence INTEGER NOT NULL,
                        erased_ms INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3: pending scrubs") { db in
            // Packs that held an erased device's bytes and must be rewritten without them. Written
            // in the erasure's transaction, so a crash before the rewrite does not forget them.
            try db.execute(sql: "CREATE TABLE pending_scrubs (file TEXT PRIMARY KEY NOT NULL);")
        }
        migrator.registerMigration("v4: events") { db in
            // The event log (see `EventLog`). `step` orders a device's analysis events (2 x the fix
            // time whose processing emitted it, + 1 when emitted at the end of a session); NULL for
            // connectivity events. `retracts` is set on a correction: the id of the event it
            // withdraws. `engine_progress` is the analysis step each device's events are complete to.
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tenant TEXT NOT NULL,
                        device TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        time_ms INTEGER NOT NULL,
                        confirmed_ms INTEGER NOT NULL,
                        detected_ms INTEGER NOT NULL,
                        subject TEXT,
                        late INTEGER NOT NULL,
                        payload TEXT NOT NULL,
                        step INTEGER,
                        retracts INTEGER
                    );
                    CREATE INDEX events_by_device_step ON events(device, step);
                    CREATE INDEX events_by_tenant ON events(tenant, id);
                    CREATE INDEX events_by_retracted ON events(retracts) WHERE retracts IS NOT NULL;
                    CREATE TABLE engine_progress (device TEXT PRIMARY KEY NOT NULL, step INTEGER NOT NULL);
                    """)
        }
        Directory.registerMigrations(&migrator)
        Access.registerMigrations(&migrator)
        Webhooks.registerMigrations(&migrator)
        Directory.registerJobMigrations(&migrator)
        return migrator
    }

    /// Packs still to be rewritten without erased data.
    public func pendingScrubs() throws -> Set<String> {
        try pool.read { db in Set(try String.fetchAll(db, sql: "SELECT file FROM pending_scrubs")) }
    }

    /// A pack is gone: nothing left to scrub in it.
    public func clearScrub(_ file: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM pending_scrubs WHERE file = ?", arguments: [file]) }
    }

    // MARK: State

    public func walCheckpoint() throws -> UInt64 {
        try pool.read { db in
            let value = try Int64.fetchOne(db, sql: "SELECT value FROM store_state WHERE key = 'wal_checkpoint'") ?? 0
            guard let checkpoint = UInt64(exactly: value) else { throw CatalogError.corrupt("wal_checkpoint \(value)") }
            return checkpoint
        }
    }

    // MARK: Segments

    /// Records new segments (already durable in their pack file), and optionally removes
    /// replaced ones and advances the WAL checkpoint, in one transaction.
    public func commit(
        adding entries: [SegmentEntry], removing removed: [Int64] = [], walCheckpoint: UInt64? = nil,
        createdMs: Int64 = 0
    ) throws -> [Int64] {
        try pool.write { db in
            var ids: [Int64] = []
            let device = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO devices (id, created_ms) VALUES (?, ?)")
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO segments (device, t0, t1, min_lat, max_lat, min_lon, max_lon, file, offset, length,
                                          count, level)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for e in entries {
                try device.execute(arguments: [e.device.rawValue, createdMs])
                try insert.execute(arguments: [
                    e.device.rawValue, e.t0, e.t1, e.minLatitudeE7, e.maxLatitudeE7, e.minLongitudeE7,
                    e.maxLongitudeE7, e.file, e.offset, e.length, e.count, e.level,
                ])
                ids.append(db.lastInsertedRowID)
            }
            for id in removed {
                try db.execute(sql: "DELETE FROM segments WHERE id = ?", arguments: [id])
            }
            if let walCheckpoint {
                try db.execute(
                    sql: """
                        INSERT INTO store_state (key, value) VALUES ('wal_checkpoint', ?)
                        ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)
                        """, arguments: [Int64(walCheckpoint)])
            }
            return ids
        }
    }

    /// Points existing segment rows at new places (garbage collection moved their bytes), in
    /// one transaction; ids stay, so the order of arrival they encode is kept.
    public func relocate(_ entries: [SegmentEntry]) throws {
        try pool.write { db in
            let update = try db.cachedStatement(
                sql: "UPDATE segments SET file = ?, offset = ?, length = ? WHERE id = ?")
            for e in entries { try update.execute(arguments: [e.file, e.offset, e.length, e.id]) }
        }
    }

    /// A segment row; a device id that is not valid is damage, reported, never papered over.
    /// (Every column is NOT NULL in the schema.)
    static func entry(_ row: Row) throws -> SegmentEntry {
        guard let text = row["device"] as String?, let device = DeviceID(text) else {
            throw CatalogError.corrupt("segment row \(row)")
        }
        return SegmentEntry(
            id: row["id"], device: device, t0: row["t0"],
            t1: row["t1"], minLatitudeE7: row["min_lat"], maxLatitudeE7: row["max_lat"],
            minLongitudeE7: row["min_lon"], maxLongitudeE7: row["max_lon"], file: row["file"], offset: row["offset"],
            length: row["length"], count: row["count"], level: row["level"])
    }

    /// Segments of a device at a level overlapping `[from, to]`, by start time.
    public func segments(device: DeviceID, level: Int = 0, from: Int64 = .min, to: Int64 = .max) throws
        -> [SegmentEntry]
    {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM segments WHERE device = ? AND level = ? AND t0 <= ? AND t1 >= ?
                    ORDER BY t0, id
                    """, arguments: [device.rawValue, level, to, from]
            ).map { try Self.entry($0) }
        }
    }

    /// Every segment, by file and offset (for verify, stats and compaction).
    public func allSegments() throws -> [SegmentEntry] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM segments ORDER BY file, offset").map { try Self.entry($0) }
        }
    }

    /// Devices with a segment whose bounding box meets the box during `[from, to]`.
    public func candidateDevices(
        minLatitudeE7: Int32, maxLatitudeE7: Int32, minLongitudeE7: Int32, maxLongitudeE7: Int32, from: Int64,
        to: Int64
    ) throws -> [SegmentEntry] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM segments
                    WHERE level = 0 AND t0 <= ? AND t1 >= ? AND min_lat <= ? AND max_lat >= ? AND min_lon <= ?
                      AND max_lon >= ?
                    ORDER BY device, t0
                    """,
                arguments: [to, from, maxLatitudeE7, minLatitudeE7, maxLongitudeE7, minLongitudeE7]
            ).map { try Self.entry($0) }
        }
    }

    public func devices() throws -> [(id: DeviceID, tenant: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, tenant FROM devices ORDER BY id").compactMap { row in
                DeviceID(row["id"] as String).map { ($0, row["tenant"] as String) }
            }
        }
    }

    public func setTenant(_ tenant: String, device: DeviceID, createdMs: Int64) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO devices (id, tenant, created_ms) VALUES (?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET tenant = excluded.tenant
                    """, arguments: [device.rawValue, tenant, createdMs])
        }
    }

    /// Removes a device and all its segment rows, and records the erasure (WAL sequences up to
    /// `throughSequence` hold no fix of it that may come back).
    public func eraseDevice(_ device: DeviceID, throughSequence: UInt64, erasedMs: Int64) throws -> [SegmentEntry] {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO erasures (device, through_sequence, erased_ms) VALUES (?, ?, ?)
                    ON CONFLICT(device) DO UPDATE SET through_sequence = excluded.through_sequence,
                        erased_ms = excluded.erased_ms
                    """, arguments: [device.rawValue, Int64(throughSequence), erasedMs])
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM segments WHERE device = ?", arguments: [device.rawValue]
            )
            .map { try Self.entry($0) }
            for file in Set(rows.map(\.file)) {
                try db.execute(sql: "INSERT OR IGNORE INTO pending_scrubs (file) VALUES (?)", arguments: [file])
            }
            try db.execute(sql: "DELETE FROM segments WHERE device = ?", arguments: [device.rawValue])
            try db.execute(sql: "DELETE FROM retention WHERE scope = 'device' AND id = ?", arguments: [device.rawValue])
            try db.execute(sql: "DELETE FROM devices WHERE id = ?", arguments: [device.rawValue])
            return rows
        }
    }

    /// Erased devices and the WAL sequence each erasure covers.
    public func erasures() throws -> [DeviceID: UInt64] {
        try pool.read { db in
            var out: [DeviceID: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT device, through_sequence FROM erasures") {
                guard let text = row["device"] as String?, let id = DeviceID(text),
                    let through = (row["through_sequence"] as Int64?).flatMap({ UInt64(exactly: $0) })
                else { throw CatalogError.corrupt("erasures row \(row)") }
                out[id] = through
            }
            return out
        }
    }

    // MARK: Retention

    public struct RetentionPolicy: Sendable, Hashable {
        /// Days level 0 (lossless) is kept; then only the level-1 copy remains. nil: forever.
        public var rawDays: Int?
        /// Days anything is kept. nil: forever.
        public var allDays: Int?
        public init(rawDays: Int?, allDays: Int?) {
            self.rawDays = rawDays
            self.allDays = allDays
        }
    }

    public func setRetention(_ policy: RetentionPolicy, tenant: String? = nil, device: DeviceID? = nil) throws {
        precondition((tenant == nil) != (device == nil), "a policy is for a tenant or a device")
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO retention (scope, id, raw_days, all_days) VALUES (?, ?, ?, ?)
                    ON CONFLICT(scope, id) DO UPDATE SET raw_days = excluded.raw_days, all_days = excluded.all_days
                    """,
                arguments: [
                    tenant != nil ? "tenant" : "device", tenant ?? device!.rawValue, policy.rawDays, policy.allDays,
                ])
        }
    }

    /// The policy in force for a device: its own, else its tenant's, else keep everything.
    public func retention(for device: DeviceID) throws -> RetentionPolicy {
        try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT raw_days, all_days FROM retention
                    WHERE (scope = 'device' AND id = ?)
                       OR (scope = 'tenant' AND id = (SELECT tenant FROM devices WHERE id = ?))
                    ORDER BY scope = 'device' DESC LIMIT 1
                    """, arguments: [device.rawValue, device.rawValue])
            return RetentionPolicy(rawDays: row?["raw_days"], allDays: row?["all_days"])
        }
    }
}
