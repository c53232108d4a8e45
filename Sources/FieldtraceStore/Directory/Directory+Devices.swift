import FieldtraceCore
import GRDB

/// A device as the directory knows it: the catalog's `devices` row (created by registration or,
/// with auto-registration, by the first stored segment) and its metadata.
public struct DeviceRecord: Sendable, Hashable {
    public var id: DeviceID
    public var tenant: String
    public var name: String?
    /// The group id, in the same tenant.
    public var group: String?
    /// A free label: `vehicle`, `phone`, `tracker`, ...
    public var kind: String?
    /// ms UTC: when the row was created (first registration or first stored segment).
    public var createdMs: Int64
    /// ms UTC: when it was registered through the directory; nil for a device only seen on the wire.
    public var registeredMs: Int64?
    /// ms UTC: last metadata change.
    public var updatedMs: Int64?
}

/// A device to register.
public struct NewDevice: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var group: String?
    public var kind: String?

    public init(id: String, name: String? = nil, group: String? = nil, kind: String? = nil) {
        self.id = id
        self.name = name
        self.group = group
        self.kind = kind
    }
}

/// Changes to a device's metadata: `nil` keeps a field, `.some(nil)` clears it.
public struct DevicePatch: Sendable, Hashable {
    public var name: String??
    public var group: String??
    public var kind: String??

    public init(name: String?? = nil, group: String?? = nil, kind: String?? = nil) {
        self.name = name
        self.group = group
        self.kind = kind
    }
}

extension Directory {
    /// Registers a device in `tenant`. A device already in the tenant's catalog rows but never
    /// registered (seen on the wire first, auto-registered) is registered in place; a registered
    /// one, or one of another tenant, is a conflict (device ids are global: one tracker, one
    /// owner).
    public func createDevice(tenant: String, _ new: NewDevice) throws -> DeviceRecord {
        try Self.checkTenant(tenant)
        let id = try Self.deviceID(new.id)
        try Self.checkDeviceFields(name: new.name, kind: new.kind)
        let now = nowMs()
        return try write(tenant: tenant) { db in
            if let group = new.group { try Self.checkGroupReference(db, tenant: tenant, group: group) }
            if let existing = try Self.fetchDevice(db, id: id) {
                guard existing.tenant == tenant else {
                    throw DirectoryError.conflict("device \"\(id)\" is registered to another tenant")
                }
                guard existing.registeredMs == nil else {
                    throw DirectoryError.conflict("device \"\(id)\" already exists")
                }
                try db.execute(
                    sql: """
                        UPDATE devices SET name = ?, group_id = ?, kind = ?, registered_ms = ?, updated_ms = ?
                        WHERE id = ?
                        """, arguments: [new.name, new.group, new.kind, now, now, id.rawValue])
                return DeviceRecord(
                    id: id, tenant: tenant, name: new.name, group: new.group, kind: new.kind,
                    createdMs: existing.createdMs, registeredMs: now, updatedMs: now)
            }
            try db.execute(
                sql: """
                    INSERT INTO devices (id, tenant, created_ms, name, group_id, kind, registered_ms, updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id.rawValue, tenant, now, new.name, new.group, new.kind, now, now])
            return DeviceRecord(
                id: id, tenant: tenant, name: new.name, group: new.group, kind: new.kind, createdMs: now,
                registeredMs: now, updatedMs: now)
        }
    }

    public func device(tenant: String, id: String) throws -> DeviceRecord {
        try read { db in
            guard let device = try Self.fetchDevice(db, id: id), device.tenant == tenant else {
                throw DirectoryError.notFound("device \"\(id.prefix(Self.maxIDBytes))\"")
            }
            return device
        }
    }

    /// The tenant's devices (registered or only seen on the wire) by id; `group` filters to one group.
    public func devices(tenant: String, group: String? = nil, page: PageRequest = PageRequest()) throws
        -> DirectoryPage<DeviceRecord>
    {
        try Self.page(page, key: \.id.rawValue) { after, count in
            try read { db in
                let filter = group == nil ? "" : " AND group_id = ?"
                var arguments: StatementArguments = [tenant, after ?? ""]
                if let group { arguments += [group] }
                arguments += [count]
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM devices WHERE tenant = ? AND id > ?\(filter) ORDER BY id LIMIT ?",
                    arguments: arguments
                ).map(Self.device(row:))
            }
        }
    }

    public func updateDevice(tenant: String, id: String, _ patch: DevicePatch) throws -> DeviceRecord {
        try Self.checkDeviceFields(name: patch.name ?? nil, kind: patch.kind ?? nil)
        let now = nowMs()
        return try write(tenant: tenant) { db in
            guard var device = try Self.fetchDevice(db, id: id), device.tenant == tenant else {
                throw DirectoryError.notFound("device \"\(id.prefix(Self.maxIDBytes))\"")
            }
            if case .some(.some(let group)) = patch.group {
                try Self.checkGroupReference(db, tenant: tenant, group: group)
            }
            if let name = patch.name { device.name = name }
            if let group = patch.group { device.group = group }
            if let kind = patch.kind { device.kind = kind }
            device.updatedMs = now
            try db.execute(
                sql: "UPDATE devices SET name = ?, group_id = ?, kind = ?, updated_ms = ? WHERE id = ?",
                arguments: [device.name, device.group, device.kind, now, device.id.rawValue])
            return device
        }
    }

    /// Deletes a device with no stored track (its route assignments go with it). A device with
    /// segments is a conflict: its data must be erased first (erasure removes the row too).
    public func deleteDevice(tenant: String, id: String) throws {
        try write(tenant: tenant) { db in
            guard let device = try Self.fetchDevice(db, id: id), device.tenant == tenant else {
                throw DirectoryError.notFound("device \"\(id.prefix(Self.maxIDBytes))\"")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM segments WHERE device = ? LIMIT 1", arguments: [id]) ?? false {
                throw DirectoryError.conflict(
                    "device \"\(id)\" has stored track data; erase its data to remove it, or keep it and clear its group"
                )
            }
            try db.execute(
                sql: "DELETE FROM route_assignments WHERE tenant = ? AND device_id = ?", arguments: [tenant, id])
            try db.execute(sql: "DELETE FROM devices WHERE id = ?", arguments: [id])
        }
    }

    static func checkDeviceFields(name: String?, kind: String?) throws(DirectoryError) {
        if let name { try checkName(name, what: "name") }
        if let kind { try checkName(kind, what: "kind") }
    }

    /// A group named in a body must exist in the tenant (else `.invalid`: the body is wrong, the
    /// addressed resource is fine).
    static func checkGroupReference(_ db: Database, tenant: String, group: String) throws {
        guard try groupExists(db, tenant: tenant, id: group) else {
            throw DirectoryError.invalid("group \"\(group.prefix(maxIDBytes))\" does not exist")
        }
    }

    static func fetchDevice(_ db: Database, id: some StringProtocol) throws -> DeviceRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE id = ?", arguments: [String(id)]).map(device(row:))
    }

    static func fetchDevice(_ db: Database, id: DeviceID) throws -> DeviceRecord? {
        try fetchDevice(db, id: id.rawValue)
    }

    static func device(row: Row) throws -> DeviceRecord {
        guard let text = row["id"] as String?, let id = DeviceID(text) else {
            throw CatalogError.corrupt("devices row \(row)")
        }
        return DeviceRecord(
            id: id, tenant: row["tenant"], name: row["name"], group: row["group_id"], kind: row["kind"],
            createdMs: row["created_ms"], registeredMs: row["registered_ms"], updatedMs: row["updated_ms"])
    }
}
