import FieldtraceAnalytics
import FieldtraceCore
import GRDB

/// A planned route of a tenant: a GeoJSON LineString Feature with `width_m` (the corridor's
/// full width, metres), as `PlannedRoute` reads it, without the `device`, `from` and `to` of a
/// routes file: who drives it when is said by its assignments (`RouteAssignment`).
public struct RouteRecord: Sendable, Hashable {
    public var id: String
    public var tenant: String
    public var name: String?
    /// Full corridor width, metres.
    public var widthMeters: Double
    /// The GeoJSON Feature text (id member set, properties as given).
    public var feature: String
    /// ms UTC.
    public var createdMs: Int64
    public var updatedMs: Int64

    /// The route as the analytics take it: assigned to `device` for `[fromMs, toMs]` (ms UTC).
    public func planned(device: DeviceID, fromMs: Int64, toMs: Int64) throws -> PlannedRoute {
        do {
            guard let feature = try GeoJSON.readFeatures(Array(feature.utf8)).first,
                case .lineString(let positions)? = feature.geometry
            else { throw CatalogError.corrupt("not a LineString") }
            return PlannedRoute(
                id: id, device: device, fromMs: fromMs, toMs: toMs, widthMeters: widthMeters,
                points: positions.map { PlannedRoute.Point(latitude: $0.latitude, longitude: $0.longitude) })
        } catch {
            throw CatalogError.corrupt("route \(tenant)/\(id): \(error)")
        }
    }
}

extension Directory {
    /// Properties of a routes-file feature that assignments replace here.
    static let assignmentKeys = ["device", "from", "to"]

    /// Creates a route from a GeoJSON LineString Feature (id from the feature, else `route_...`).
    public func createRoute(tenant: String, feature bytes: [UInt8]) throws -> RouteRecord {
        try Self.checkTenant(tenant)
        let now = nowMs()
        let record = try Self.readRoute(bytes, tenant: tenant, pathID: nil, nowMs: now)
        return try write(tenant: tenant) { db in
            if try Self.fetchRoute(db, tenant: tenant, id: record.id) != nil {
                throw DirectoryError.conflict("route \"\(record.id)\" already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO routes (tenant, id, name, width_m, feature, created_ms, updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [tenant, record.id, record.name, record.widthMeters, record.feature, now, now])
            return record
        }
    }

    public func route(tenant: String, id: String) throws -> RouteRecord {
        try read { db in
            guard let record = try Self.fetchRoute(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("route \"\(id.prefix(Self.maxIDBytes))\"")
            }
            return record
        }
    }

    public func routes(tenant: String, page: PageRequest = PageRequest()) throws -> DirectoryPage<RouteRecord> {
        try Self.page(page, key: \.id) { after, count in
            try read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM routes WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?",
                    arguments: [tenant, after ?? "", count]
                ).map(Self.route(row:))
            }
        }
    }

    /// Replaces a route's feature (PUT and PATCH alike); its assignments stay.
    public func updateRoute(tenant: String, id: String, feature bytes: [UInt8]) throws -> RouteRecord {
        let now = nowMs()
        var record = try Self.readRoute(bytes, tenant: tenant, pathID: id, nowMs: now)
        return try write(tenant: tenant) { db in
            guard let old = try Self.fetchRoute(db, tenant: tenant, id: id) else {
                throw DirectoryError.notFound("route \"\(id.prefix(Self.maxIDBytes))\"")
            }
            record.createdMs = old.createdMs
            try db.execute(
                sql: "UPDATE routes SET name = ?, width_m = ?, feature = ?, updated_ms = ? WHERE tenant = ? AND id = ?",
                arguments: [record.name, record.widthMeters, record.feature, now, tenant, id])
            return record
        }
    }

    /// Deletes a route and its assignments.
    public func deleteRoute(tenant: String, id: String) throws {
        try write(tenant: tenant) { db in
            try db.execute(sql: "DELETE FROM routes WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            guard db.changesCount > 0 else { throw DirectoryError.notFound("route \"\(id.prefix(Self.maxIDBytes))\"") }
            try db.execute(
                sql: "DELETE FROM route_assignments WHERE tenant = ? AND route_id = ?", arguments: [tenant, id])
        }
    }

    /// Checks a route's GeoJSON with `PlannedRoute`'s reader (a LineString of at least two
    /// positions, `width_m` > 0) and makes its record.
    static func readRoute(_ bytes: [UInt8], tenant: String, pathID: String?, nowMs: Int64) throws(DirectoryError)
        -> RouteRecord
    {
        let (feature, id) = try readSingleFeature(bytes, what: "route", pathID: pathID, prefix: "route_")
        if let key = assignmentKeys.first(where: { feature.property($0) != nil }) {
            throw .invalid(
                "route: property \"\(key)\" is not stored with a route; assign it with POST /v1/routes/\(id)/assignments"
            )
        }
        let name = try stringProperty(feature, "name", what: "route")
        if let name { try checkName(name, what: "route name") }
        // The reader wants an assignment; a placeholder one checks everything else it checks.
        var probe = feature
        probe.properties += [
            JSONMember("device", .string("probe")), JSONMember("from", .string("1970-01-01T00:00:00Z")),
            JSONMember("to", .string("1970-01-01T00:00:01Z")),
        ]
        let planned: PlannedRoute
        do { planned = try PlannedRoute(feature: probe, index: 0) } catch { throw invalid("route", error) }
        return RouteRecord(
            id: id, tenant: tenant, name: name, widthMeters: planned.widthMeters, feature: text(of: feature),
            createdMs: nowMs, updatedMs: nowMs)
    }

    static func fetchRoute(_ db: Database, tenant: String, id: String) throws -> RouteRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM routes WHERE tenant = ? AND id = ?", arguments: [tenant, id])
            .map(route(row:))
    }

    static func route(row: Row) -> RouteRecord {
        RouteRecord(
            id: row["id"], tenant: row["tenant"], name: row["name"], widthMeters: row["width_m"],
            feature: row["feature"], createdMs: row["created_ms"], updatedMs: row["updated_ms"])
    }
}
