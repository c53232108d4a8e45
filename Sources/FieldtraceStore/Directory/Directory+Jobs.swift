import FieldtraceCore
import GRDB

/// A job given to a worker: go to a site (a geofence of the tenant), assigned at an instant.
/// The daily report measures its response time, from `assignedMs` to the worker's first arrival
/// at the site (issue 7).
///
/// Status: a job is stored open or cancelled (`cancelledMs`); "arrived" is not stored but
/// derived when read, from the engine's geofence visits in the event log (the API's
/// `status`/`arrived_at`, `FleetReports.arrivals`), so it can never disagree with the visits
/// the reports and webhooks see, and late data that moves a visit moves the arrival too.
///
/// A job keeps its device and site ids when the device or the fence is deleted later: it is
/// history (its site is then never reached).
public struct JobRecord: Sendable, Hashable {
    public var id: String
    public var tenant: String
    /// The worker's device, in the same tenant when the job was written.
    public var device: DeviceID
    /// The geofence id of the site, in the same tenant when the job was written.
    public var site: String
    /// When the job was given to the worker, ms UTC: the start of its response time.
    public var assignedMs: Int64
    /// When the worker should be there, ms UTC; nil: no deadline. Not after `assignedMs`.
    public var dueMs: Int64?
    public var note: String?
    /// When the job was cancelled, ms UTC; nil while it stands. A cancelled job has no
    /// response time in the reports.
    public var cancelledMs: Int64?
    /// ms UTC.
    public var createdMs: Int64
    public var updatedMs: Int64

    public var isCancelled: Bool { cancelledMs != nil }
}

/// A new job. `id` nil: the directory assigns one (`job_` + 16 hex digits).
public struct NewJob: Sendable, Hashable {
    public var id: String?
    public var device: String
    public var site: String
    /// ms UTC.
    public var assignedMs: Int64
    public var dueMs: Int64?
    public var note: String?

    public init(
        id: String? = nil, device: String, site: String, assignedMs: Int64, dueMs: Int64? = nil, note: String? = nil
    ) {
        self.id = id
        self.device = device
        self.site = site
        self.assignedMs = assignedMs
        self.dueMs = dueMs
        self.note = note
    }
}

/// Changes to a job: `nil` keeps a field, `.some(nil)` clears an optional one; `cancelled`
/// true cancels (at the directory's clock), false reopens.
public struct JobPatch: Sendable, Hashable {
    public var device: String?
    public var site: String?
    public var assignedMs: Int64?
    public var dueMs: Int64??
    public var note: String??
    public var cancelled: Bool?

    public init(
        device: String? = nil, site: String? = nil, assignedMs: Int64? = nil, dueMs: Int64?? = nil,
        note: String?? = nil, cancelled: Bool? = nil
    ) {
        self.device = device
        self.site = site
        self.assignedMs = assignedMs
        self.dueMs = dueMs
        self.note = note
        self.cancelled = cancelled
    }
}

/// Which jobs a list returns: of one device, assigned within `[assignedFromMs, assignedToMs)`
/// (either bound optional).
public struct JobFilter: Sendable, Hashable {
    public var device: String?
    public var assignedFromMs: Int64?
    public var assignedToMs: Int64?

    public init(device: String? = nil, assignedFromMs: Int64? = nil, assignedToMs: Int64? = nil) {
        self.device = device
        self.assignedFromMs = assignedFromMs
        self.assignedToMs = assignedToMs
    }
}

extension Directory {
    /// Longest job note, UTF-8 bytes: an address detail or a task in a few sentences; a document
    /// belongs elsewhere.
    public static let maxJobNoteBytes = 1000
    /// Instants a job may name, ms UTC: 1970-01-01 to 9999-12-31 (what ISO 8601 output can write).
    public static let jobTimeRangeMs: ClosedRange<Int64> = 0...253_402_300_799_999
    /// Most jobs `jobs(tenant:device:assignedIn:)` returns for one device and range: 10,000 is
    /// far beyond a worker's day (tens of jobs) and bounds one report's reads.
    public static let maxJobsPerDeviceRange = 10_000

    public func createJob(tenant: String, _ new: NewJob) throws -> JobRecord {
        try Self.checkTenant(tenant)
        let id = new.id ?? Self.generateID(prefix: "job_")
        try Self.checkID(id, what: "job")
        try Self.checkJobTimes(assignedMs: new.assignedMs, dueMs: new.dueMs)
        if let note = new.note { try Self.checkJobNote(note) }
        let now = nowMs()
        // Jobs do not change any analytics setup: written without notifying the observers
        // (which would rebuild the tenant's setups and refresh the engine for nothing).
        return try catalog.pool.write { db in
            let device = try Self.jobDevice(db, tenant: tenant, device: new.device)
            try Self.checkJobSite(db, tenant: tenant, site: new.site)
            if try Self.fetchJob(db, tenant: tenant, id: id) != nil {
                throw DirectoryError.conflict("job \"\(id)\" already exists")
            }
            let job = JobRecord(
                id: id, tenant: tenant, device: device, site: new.site, assignedMs: new.assignedMs, dueMs: new.dueMs,
                note: new.note, cancelledMs: nil, createdMs: now, updatedMs: now)
            try Self.insert(db, job)
            return job
        }
    }

    public func job(tenant: String, id: String) throws -> JobRecord {
        try read { db in
            guard let job = try Self.fetchJob(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("job \"\(id.prefix(Self.maxIDBytes))\"")
            }
            return job
        }
    }

    /// The tenant's jobs by id, narrowed by `filter`. A `filter.device` not in the tenant is not
    /// found (as naming it in any other request would be).
    public func jobs(tenant: String, filter: JobFilter = JobFilter(), page: PageRequest = PageRequest()) throws
        -> DirectoryPage<JobRecord>
    {
        if let from = filter.assignedFromMs, let to = filter.assignedToMs, to <= from {
            throw DirectoryError.invalid("to must be after from")
        }
        return try Self.page(page, key: \.id) { after, count in
            try read { db in
                var sql = "SELECT * FROM jobs WHERE tenant = ? AND id > ?"
                var arguments: StatementArguments = [tenant, after ?? ""]
                if let device = filter.device {
                    guard let row = try Self.fetchDevice(db, id: device), row.tenant == tenant else {
                        throw DirectoryError.notFound("device \"\(device.prefix(Self.maxIDBytes))\"")
                    }
                    sql += " AND device_id = ?"
                    arguments += [device]
                }
                if let from = filter.assignedFromMs {
                    sql += " AND assigned_ms >= ?"
                    arguments += [from]
                }
                if let to = filter.assignedToMs {
                    sql += " AND assigned_ms < ?"
                    arguments += [to]
                }
                arguments += [count]
                return try Row.fetchAll(db, sql: sql + " ORDER BY id LIMIT ?", arguments: arguments).map(Self.job(row:))
            }
        }
    }

    /// A device's jobs assigned within `range` (ms UTC), in assignment order, at most
    /// `maxJobsPerDeviceRange`; cancelled ones only with `includeCancelled` (for the reports).
    public func jobs(tenant: String, device: DeviceID, assignedIn range: Range<Int64>, includeCancelled: Bool = false)
        throws -> [JobRecord]
    {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM jobs WHERE tenant = ? AND device_id = ? AND assigned_ms >= ? AND assigned_ms < ?
                    \(includeCancelled ? "" : "AND cancelled_ms IS NULL ")ORDER BY assigned_ms, id LIMIT ?
                    """,
                arguments: [tenant, device.rawValue, range.lowerBound, range.upperBound, Self.maxJobsPerDeviceRange]
            ).map(Self.job(row:))
        }
    }

    public func updateJob(tenant: String, id: String, _ patch: JobPatch) throws -> JobRecord {
        if case .some(.some(let note)) = patch.note { try Self.checkJobNote(note) }
        let now = nowMs()
        return try catalog.pool.write { db in
            guard var job = try Self.fetchJob(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("job \"\(id.prefix(Self.maxIDBytes))\"")
            }
            if let device = patch.device { job.device = try Self.jobDevice(db, tenant: tenant, device: device) }
            if let site = patch.site {
                try Self.checkJobSite(db, tenant: tenant, site: site)
                job.site = site
            }
            if let assigned = patch.assignedMs { job.assignedMs = assigned }
            if let due = patch.dueMs { job.dueMs = due }
            if let note = patch.note { job.note = note }
            switch patch.cancelled {
            case true?: job.cancelledMs = job.cancelledMs ?? now
            case false?: job.cancelledMs = nil
            case nil: break
            }
            try Self.checkJobTimes(assignedMs: job.assignedMs, dueMs: job.dueMs)
            job.updatedMs = now
            try db.execute(
                sql: """
                    UPDATE jobs SET device_id = ?, site_id = ?, assigned_ms = ?, due_ms = ?, note = ?, cancelled_ms = ?,
                                    updated_ms = ?
                    WHERE tenant = ? AND id = ?
                    """,
                arguments: [
                    job.device.rawValue, job.site, job.assignedMs, job.dueMs, job.note, job.cancelledMs, now, tenant,
                    id,
                ])
            return job
        }
    }

    public func deleteJob(tenant: String, id: String) throws {
        try catalog.pool.write { db in
            try db.execute(sql: "DELETE FROM jobs WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            guard db.changesCount > 0 else { throw DirectoryError.notFound("job \"\(id.prefix(Self.maxIDBytes))\"") }
        }
    }

    // MARK: Checks and rows

    static func checkJobTimes(assignedMs: Int64, dueMs: Int64?) throws(DirectoryError) {
        guard jobTimeRangeMs.contains(assignedMs) else {
            throw .invalid("assigned_at must be between 1970-01-01 and 9999-12-31")
        }
        if let dueMs {
            guard jobTimeRangeMs.contains(dueMs) else {
                throw .invalid("due_at must be between 1970-01-01 and 9999-12-31")
            }
            guard dueMs >= assignedMs else { throw .invalid("due_at is before assigned_at") }
        }
    }

    /// 1...`maxJobNoteBytes` of text; newlines and tabs allowed, other control characters not.
    static func checkJobNote(_ note: String) throws(DirectoryError) {
        let bytes = note.utf8
        guard !bytes.isEmpty, bytes.count <= maxJobNoteBytes,
            !note.unicodeScalars.contains(where: {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F
            })
        else {
            throw .invalid("note must be 1...\(maxJobNoteBytes) bytes of text (newlines and tabs allowed)")
        }
    }

    /// A device named in a job body: in the tenant (else `.invalid`: the body is wrong).
    static func jobDevice(_ db: Database, tenant: String, device: String) throws -> DeviceID {
        let id = try deviceID(device)
        guard let row = try fetchDevice(db, id: id), row.tenant == tenant else {
            throw DirectoryError.invalid("device \"\(device)\" does not exist")
        }
        return id
    }

    /// A site named in a job body: a geofence of the tenant (else `.invalid`).
    static func checkJobSite(_ db: Database, tenant: String, site: String) throws {
        try checkID(site, what: "site")
        guard
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM geofences WHERE tenant = ? AND id = ?", arguments: [tenant, site]) ?? false
        else { throw DirectoryError.invalid("site \"\(site)\" is not a geofence of this tenant") }
    }

    static func insert(_ db: Database, _ job: JobRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO jobs (tenant, id, device_id, site_id, assigned_ms, due_ms, note, cancelled_ms, created_ms,
                                  updated_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                job.tenant, job.id, job.device.rawValue, job.site, job.assignedMs, job.dueMs, job.note, job.cancelledMs,
                job.createdMs, job.updatedMs,
            ])
    }

    static func fetchJob(_ db: Database, tenant: String, id: String) throws -> JobRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            .map(job(row:))
    }

    static func job(row: Row) throws -> JobRecord {
        guard let text = row["device_id"] as String?, let device = DeviceID(text) else {
            throw CatalogError.corrupt("jobs row \(row)")
        }
        return JobRecord(
            id: row["id"], tenant: row["tenant"], device: device, site: row["site_id"], assignedMs: row["assigned_ms"],
            dueMs: row["due_ms"], note: row["note"], cancelledMs: row["cancelled_ms"], createdMs: row["created_ms"],
            updatedMs: row["updated_ms"])
    }

    /// Migration "v8: jobs" (registered at the end of `Catalog.migrator`): one row per job, keyed
    /// by (tenant, id) like the other directory rows; reports read a device's jobs by time.
    static func registerJobMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8: jobs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        tenant TEXT NOT NULL,
                        id TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        site_id TEXT NOT NULL,
                        assigned_ms INTEGER NOT NULL,
                        due_ms INTEGER,
                        note TEXT,
                        cancelled_ms INTEGER,
                        created_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        PRIMARY KEY (tenant, id)
                    ) WITHOUT ROWID;
                    CREATE INDEX jobs_by_device_time ON jobs(tenant, device_id, assigned_ms);
                    """)
        }
    }
}
