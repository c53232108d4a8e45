import FieldtraceCore
import GRDB

/// Who drives a planned route: one device, or every device of a group.
public enum AssignmentTarget: Sendable, Hashable {
    case device(DeviceID)
    case group(String)
}

/// A route assigned to a device or group for the days `fromDate...toDate` (inclusive), local
/// dates in the time zone of the device's group (of the group, for a group), UTC without a group.
/// Each day is one deviation window, local midnight to midnight.
public struct RouteAssignment: Sendable, Hashable {
    public var id: Int64
    public var tenant: String
    public var route: String
    public var target: AssignmentTarget
    public var fromDate: LocalDate
    public var toDate: LocalDate
    /// ms UTC.
    public var createdMs: Int64
    public var updatedMs: Int64
}

/// A new assignment: exactly one of `device` and `group`; `toDate` nil means the single day `fromDate`.
public struct NewAssignment: Sendable, Hashable {
    public var device: String?
    public var group: String?
    /// `YYYY-MM-DD`.
    public var fromDate: String
    public var toDate: String?

    public init(device: String? = nil, group: String? = nil, fromDate: String, toDate: String? = nil) {
        self.device = device
        self.group = group
        self.fromDate = fromDate
        self.toDate = toDate
    }
}

/// Changes to an assignment: a `device` or a `group` replaces the target; dates replace dates.
public struct AssignmentPatch: Sendable, Hashable {
    public var device: String?
    public var group: String?
    public var fromDate: String?
    public var toDate: String?

    public init(device: String? = nil, group: String? = nil, fromDate: String? = nil, toDate: String? = nil) {
        self.device = device
        self.group = group
        self.fromDate = fromDate
        self.toDate = toDate
    }
}

extension Directory {
    /// Longest assignment, days: a year of daily windows is the most one row may plan (longer
    /// plans are renewed); it bounds the windows one row adds to a setup.
    public static let maxAssignmentDays = 366

    public func createAssignment(tenant: String, route: String, _ new: NewAssignment) throws -> RouteAssignment {
        let dates = try Self.dates(from: new.fromDate, to: new.toDate ?? new.fromDate)
        let now = nowMs()
        return try write(tenant: tenant) { db in
            guard try Self.fetchRoute(db, tenant: tenant, id: route) != nil else {
                throw DirectoryError.notFound("route \"\(route.prefix(Self.maxIDBytes))\"")
            }
            let target = try Self.target(db, tenant: tenant, device: new.device, group: new.group)
            let (device, group) = Self.columns(target)
            try db.execute(
                sql: """
                    INSERT INTO route_assignments (tenant, route_id, device_id, group_id, from_date, to_date, created_ms,
                                                   updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tenant, route, device, group, dates.from.description, dates.to.description, now, now])
            return RouteAssignment(
                id: db.lastInsertedRowID, tenant: tenant, route: route, target: target, fromDate: dates.from,
                toDate: dates.to, createdMs: now, updatedMs: now)
        }
    }

    public func assignment(tenant: String, route: String, id: Int64) throws -> RouteAssignment {
        try read { db in try Self.fetchAssignment(db, tenant: tenant, route: route, id: id) }
    }

    /// A route's assignments by id. A route of another tenant (or none) is not found.
    public func assignments(tenant: String, route: String, page: PageRequest = PageRequest()) throws
        -> DirectoryPage<RouteAssignment>
    {
        try Self.page(page, key: { String($0.id) }) { after, count in
            let afterID: Int64
            if let after {
                guard let id = Int64(after) else {
                    throw DirectoryError.invalid("cursor is not one this server issued")
                }
                afterID = id
            } else {
                afterID = 0
            }
            return try read { db in
                guard try Self.fetchRoute(db, tenant: tenant, id: route) != nil else {
                    throw DirectoryError.notFound("route \"\(route.prefix(Self.maxIDBytes))\"")
                }
                return try Row.fetchAll(
                    db,
                    sql:
                        "SELECT * FROM route_assignments WHERE tenant = ? AND route_id = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [tenant, route, afterID, count]
                ).map(Self.assignment(row:))
            }
        }
    }

    /// Every assignment of a tenant whose days meet `from...to` (for building setups).
    public func assignments(tenant: String, overlapping from: LocalDate, _ to: LocalDate) throws -> [RouteAssignment] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM route_assignments WHERE tenant = ? AND to_date >= ? AND from_date <= ? ORDER BY id
                    """,
                arguments: [tenant, from.description, to.description]
            ).map(Self.assignment(row:))
        }
    }

    public func updateAssignment(tenant: String, route: String, id: Int64, _ patch: AssignmentPatch) throws
        -> RouteAssignment
    {
        let now = nowMs()
        return try write(tenant: tenant) { db in
            var a = try Self.fetchAssignment(db, tenant: tenant, route: route, id: id)
            if patch.device != nil || patch.group != nil {
                a.target = try Self.target(db, tenant: tenant, device: patch.device, group: patch.group)
            }
            let dates = try Self.dates(
                from: patch.fromDate ?? a.fromDate.description, to: patch.toDate ?? a.toDate.description)
            a.fromDate = dates.from
            a.toDate = dates.to
            a.updatedMs = now
            let (device, group) = Self.columns(a.target)
            try db.execute(
                sql: """
                    UPDATE route_assignments SET device_id = ?, group_id = ?, from_date = ?, to_date = ?, updated_ms = ?
                    WHERE id = ?
                    """,
                arguments: [device, group, a.fromDate.description, a.toDate.description, now, id])
            return a
        }
    }

    public func deleteAssignment(tenant: String, route: String, id: Int64) throws {
        try write(tenant: tenant) { db in
            try db.execute(
                sql: "DELETE FROM route_assignments WHERE tenant = ? AND route_id = ? AND id = ?",
                arguments: [tenant, route, id])
            guard db.changesCount > 0 else {
                throw DirectoryError.notFound("assignment \(id) of route \"\(route.prefix(Self.maxIDBytes))\"")
            }
        }
    }

    static func dates(from: String, to: String) throws(DirectoryError) -> (from: LocalDate, to: LocalDate) {
        guard let f = LocalDate(parsing: from) else { throw .invalid("from_date must be a date YYYY-MM-DD") }
        guard let t = LocalDate(parsing: to) else { throw .invalid("to_date must be a date YYYY-MM-DD") }
        guard t >= f else { throw .invalid("to_date \(t) is before from_date \(f)") }
        guard t.daysSinceEpoch - f.daysSinceEpoch < Int64(maxAssignmentDays) else {
            throw .invalid("an assignment covers at most \(maxAssignmentDays) days")
        }
        return (f, t)
    }

    /// Exactly one target, existing in the tenant (else `.invalid`: the body names something
    /// this tenant does not have).
    static func target(_ db: Database, tenant: String, device: String?, group: String?) throws -> AssignmentTarget {
        switch (device, group) {
        case (let device?, nil):
            let id = try deviceID(device)
            guard let row = try fetchDevice(db, id: id), row.tenant == tenant else {
                throw DirectoryError.invalid("device \"\(device)\" does not exist")
            }
            return .device(id)
        case (nil, let group?):
            try checkGroupReference(db, tenant: tenant, group: group)
            return .group(group)
        default:
            throw DirectoryError.invalid("an assignment names exactly one of device and group")
        }
    }

    static func columns(_ target: AssignmentTarget) -> (device: String?, group: String?) {
        switch target {
        case .device(let id): (id.rawValue, nil)
        case .group(let group): (nil, group)
        }
    }

    static func fetchAssignment(_ db: Database, tenant: String, route: String, id: Int64) throws -> RouteAssignment {
        guard
            let a = try Row.fetchOne(
                db, sql: "SELECT * FROM route_assignments WHERE tenant = ? AND route_id = ? AND id = ?",
                arguments: [tenant, route, id]
            ).map(assignment(row:))
        else { throw DirectoryError.notFound("assignment \(id) of route \"\(route.prefix(maxIDBytes))\"") }
        return a
    }

    static func assignment(row: Row) throws -> RouteAssignment {
        let target: AssignmentTarget
        if let text = row["device_id"] as String?, let device = DeviceID(text) {
            target = .device(device)
        } else if let group = row["group_id"] as String? {
            target = .group(group)
        } else {
            throw CatalogError.corrupt("route_assignments row \(row)")
        }
        guard let from = LocalDate(parsing: row["from_date"]), let to = LocalDate(parsing: row["to_date"]) else {
            throw CatalogError.corrupt("route_assignments row \(row)")
        }
        return RouteAssignment(
            id: row["id"], tenant: row["tenant"], route: row["route_id"], target: target, fromDate: from, toDate: to,
            createdMs: row["created_ms"], updatedMs: row["updated_ms"])
    }
}
