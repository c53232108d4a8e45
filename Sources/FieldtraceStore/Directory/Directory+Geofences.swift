import FieldtraceAnalytics
import GRDB

/// A geofence of a tenant: a GeoJSON Feature as `Geofence` reads it (Point + `radius_m`,
/// Polygon/MultiPolygon, LineString + `width_m`, with dwell, margin, active hours and speed limit
/// properties), optionally scoped to one group (property `group`).
public struct GeofenceRecord: Sendable, Hashable {
    public var id: String
    public var tenant: String
    public var name: String?
    /// Only devices of this group are checked against the fence; nil: every device of the tenant.
    public var group: String?
    /// The canonical GeoJSON Feature text (id member set; known properties first, then the rest).
    public var feature: String
    /// ms UTC.
    public var createdMs: Int64
    public var updatedMs: Int64

    /// The fence for the analytics (the stored text was checked when written).
    public func geofence() throws -> Geofence {
        let bytes = Array(feature.utf8)
        do {
            guard let feature = try GeoJSON.readFeatures(bytes).first else { throw CatalogError.corrupt("no feature") }
            return try Geofence(feature: feature, index: 0)
        } catch {
            throw CatalogError.corrupt("geofence \(tenant)/\(id): \(error)")
        }
    }
}

extension Directory {
    /// Creates a geofence from a GeoJSON Feature (id from the feature, else generated `fence_...`).
    public func createGeofence(tenant: String, feature bytes: [UInt8]) throws -> GeofenceRecord {
        try Self.checkTenant(tenant)
        let now = nowMs()
        let record = try Self.readGeofence(bytes, tenant: tenant, pathID: nil, nowMs: now)
        return try write(tenant: tenant) { db in
            if let group = record.group { try Self.checkGroupReference(db, tenant: tenant, group: group) }
            if try Self.fetchGeofence(db, tenant: tenant, id: record.id) != nil {
                throw DirectoryError.conflict("geofence \"\(record.id)\" already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO geofences (tenant, id, name, group_id, feature, created_ms, updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [tenant, record.id, record.name, record.group, record.feature, now, now])
            return record
        }
    }

    public func geofence(tenant: String, id: String) throws -> GeofenceRecord {
        try read { db in
            guard let record = try Self.fetchGeofence(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("geofence \"\(id.prefix(Self.maxIDBytes))\"")
            }
            return record
        }
    }

    public func geofences(tenant: String, page: PageRequest = PageRequest()) throws -> DirectoryPage<GeofenceRecord> {
        try Self.page(page, key: \.id) { after, count in
            try read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM geofences WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [tenant, after ?? "", count]
                ).map(Self.geofence(row:))
            }
        }
    }

    /// Every geofence of a tenant (for building its analytics setup).
    public func allGeofences(tenant: String) throws -> [GeofenceRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM geofences WHERE tenant = ? ORDER BY id", arguments: [tenant])
                .map(Self.geofence(row:))
        }
    }

    /// Replaces a geofence's feature (PUT and PATCH alike: a fence is one GeoJSON document).
    public func updateGeofence(tenant: String, id: String, feature bytes: [UInt8]) throws -> GeofenceRecord {
        let now = nowMs()
        var record = try Self.readGeofence(bytes, tenant: tenant, pathID: id, nowMs: now)
        return try write(tenant: tenant) { db in
            guard let old = try Self.fetchGeofence(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("geofence \"\(id.prefix(Self.maxIDBytes))\"")
            }
            if let group = record.group { try Self.checkGroupReference(db, tenant: tenant, group: group) }
            record.createdMs = old.createdMs
            try db.execute(
                sql:
                    "UPDATE geofences SET name = ?, group_id = ?, feature = ?, updated_ms = ? WHERE tenant = ? AND id = ?",
                arguments: [record.name, record.group, record.feature, now, tenant, id])
            return record
        }
    }

    public func deleteGeofence(tenant: String, id: String) throws {
        try write(tenant: tenant) { db in
            try db.execute(sql: "DELETE FROM geofences WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            guard db.changesCount > 0 else {
                throw DirectoryError.notFound("geofence \"\(id.prefix(Self.maxIDBytes))\"")
            }
        }
    }

    /// Checks a fence's GeoJSON with `Geofence`'s reader and makes its record.
    static func readGeofence(_ bytes: [UInt8], tenant: String, pathID: String?, nowMs: Int64) throws(DirectoryError)
        -> GeofenceRecord
    {
        let (feature, id) = try readSingleFeature(bytes, what: "geofence", pathID: pathID, prefix: "fence_")
        let group = try stringProperty(feature, "group", what: "geofence")
        if let group { try checkID(group, what: "group") }
        let fence: Geofence
        do { fence = try Geofence(feature: feature, index: 0) } catch { throw invalid("geofence", error) }
        if let name = fence.name { try checkName(name, what: "geofence name") }
        return GeofenceRecord(
            id: id, tenant: tenant, name: fence.name, group: group, feature: text(of: fence.feature),
            createdMs: nowMs, updatedMs: nowMs)
    }

    static func fetchGeofence(_ db: Database, tenant: String, id: String) throws -> GeofenceRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM geofences WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            .map(geofence(row:))
    }

    static func geofence(row: Row) -> GeofenceRecord {
        GeofenceRecord(
            id: row["id"], tenant: row["tenant"], name: row["name"], group: row["group_id"], feature: row["feature"],
            createdMs: row["created_ms"], updatedMs: row["updated_ms"])
    }
}
