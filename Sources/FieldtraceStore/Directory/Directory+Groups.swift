import GRDB

/// A group of devices (a crew, a depot, a shift team): its time zone and weekly shifts.
public struct DeviceGroup: Sendable, Hashable {
    public var id: String
    public var tenant: String
    public var name: String
    public var timeZone: GroupTimeZone
    public var schedule: WeeklySchedule
    /// ms UTC.
    public var createdMs: Int64
    public var updatedMs: Int64
}

/// A new group. `id` nil: the directory assigns one (`grp_` + 16 hex digits).
public struct NewGroup: Sendable, Hashable {
    public var id: String?
    public var name: String
    /// IANA name or UTC offset (`GroupTimeZone`); default UTC.
    public var timeZone: String
    /// `WeeklySchedule` JSON; default no shifts.
    public var shifts: String

    public init(id: String? = nil, name: String, timeZone: String = "UTC", shifts: String = "{}") {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.shifts = shifts
    }
}

/// Changes to a group; nil fields stay as they are.
public struct GroupPatch: Sendable, Hashable {
    public var name: String?
    public var timeZone: String?
    public var shifts: String?

    public init(name: String? = nil, timeZone: String? = nil, shifts: String? = nil) {
        self.name = name
        self.timeZone = timeZone
        self.shifts = shifts
    }
}

extension Directory {
    public func createGroup(tenant: String, _ new: NewGroup) throws -> DeviceGroup {
        try Self.checkTenant(tenant)
        let id = new.id ?? Self.generateID(prefix: "grp_")
        try Self.checkID(id, what: "group")
        try Self.checkName(new.name, what: "name")
        let zone = try GroupTimeZone(parsing: new.timeZone)
        let schedule = try WeeklySchedule(json: new.shifts)
        let now = nowMs()
        let group = DeviceGroup(
            id: id, tenant: tenant, name: new.name, timeZone: zone, schedule: schedule, createdMs: now, updatedMs: now)
        return try write(tenant: tenant) { db in
            if try Self.groupExists(db, tenant: tenant, id: id) {
                throw DirectoryError.conflict("group \"\(id)\" already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO device_groups (tenant, id, name, time_zone, shifts, created_ms, updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tenant, id, new.name, zone.description, schedule.json, now, now])
            return group
        }
    }

    public func group(tenant: String, id: String) throws -> DeviceGroup {
        try read { db in
            guard let group = try Self.fetchGroup(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("group \"\(id.prefix(Self.maxIDBytes))\"")
            }
            return group
        }
    }

    public func groups(tenant: String, page: PageRequest = PageRequest()) throws -> DirectoryPage<DeviceGroup> {
        try Self.page(page, key: \.id) { after, count in
            try read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM device_groups WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [tenant, after ?? "", count]
                ).map(Self.group(row:))
            }
        }
    }

    public func updateGroup(tenant: String, id: String, _ patch: GroupPatch) throws -> DeviceGroup {
        if let name = patch.name { try Self.checkName(name, what: "name") }
        let zone = try patch.timeZone.map { (text) throws(DirectoryError) in try GroupTimeZone(parsing: text) }
        let schedule = try patch.shifts.map { (text) throws(DirectoryError) in try WeeklySchedule(json: text) }
        let now = nowMs()
        return try write(tenant: tenant) { db in
            guard var group = try Self.fetchGroup(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("group \"\(id.prefix(Self.maxIDBytes))\"")
            }
            if let name = patch.name { group.name = name }
            if let zone { group.timeZone = zone }
            if let schedule { group.schedule = schedule }
            group.updatedMs = now
            try db.execute(
                sql: """
                    UPDATE device_groups SET name = ?, time_zone = ?, shifts = ?, updated_ms = ?
                    WHERE tenant = ? AND id = ?
                    """,
                arguments: [group.name, group.timeZone.description, group.schedule.json, now, tenant, id])
            return group
        }
    }

    /// Deletes a group no device, geofence or route assignment refers to (else a conflict
    /// naming what still refers to it: move or delete those first).
    public func deleteGroup(tenant: String, id: String) throws {
        try write(tenant: tenant) { db in
            guard try Self.groupExists(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("group \"\(id.prefix(Self.maxIDBytes))\"")
            }
            var users: [String] = []
            for (table, what) in [
                ("devices", "devices"), ("geofences", "geofences"), ("route_assignments", "route assignments"),
            ] {
                let n =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM \(table) WHERE tenant = ? AND group_id = ?",
                        arguments: [tenant, id]) ?? 0
                if n > 0 { users.append("\(n) \(what)") }
            }
            guard users.isEmpty else {
                throw DirectoryError.conflict("group \"\(id)\" is still used by " + users.joined(separator: ", "))
            }
            try db.execute(sql: "DELETE FROM device_groups WHERE tenant = ? AND id = ?", arguments: [tenant, id])
        }
    }

    static func groupExists(_ db: Database, tenant: String, id: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT 1 FROM device_groups WHERE tenant = ? AND id = ?", arguments: [tenant, id]) ?? false
    }

    static func fetchGroup(_ db: Database, tenant: String, id: String) throws -> DeviceGroup? {
        try Row.fetchOne(db, sql: "SELECT * FROM device_groups WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            .map(group(row:))
    }

    static func group(row: Row) throws -> DeviceGroup {
        let zoneText: String = row["time_zone"]
        let shiftsText: String = row["shifts"]
        let zone: GroupTimeZone
        let schedule: WeeklySchedule
        do {
            zone = try GroupTimeZone(parsing: zoneText)
            schedule = try WeeklySchedule(json: shiftsText)
        } catch {
            throw CatalogError.corrupt(
                "device_groups row \(row["tenant"] as String? ?? "")/\(row["id"] as String? ?? ""): \(error)")
        }
        return DeviceGroup(
            id: row["id"], tenant: row["tenant"], name: row["name"], timeZone: zone, schedule: schedule,
            createdMs: row["created_ms"], updatedMs: row["updated_ms"])
    }
}
