import FieldtraceCore
import GRDB
import Testing

@testable import FieldtraceStore

@Suite struct DirectoryMigrationTests {
    @Test func aVersion4CatalogGainsTheDirectoryAndKeepsItsDevices() throws {
        let dir = TemporaryDirectory("migration")
        defer { dir.remove() }
        do {
            // A catalog as the code before the directory left it: migrations up to v4, one device
            // auto-registered by a segment.
            let pool = try DatabasePool(path: dir.path + "/catalog.sqlite")
            try Catalog.migrator.migrate(pool, upTo: "v4: events")
            try pool.write { db in
                try db.execute(sql: "INSERT INTO devices (id, created_ms) VALUES ('old-tracker', 42)")
            }
            #expect(try pool.read { try Catalog.migrator.appliedIdentifiers($0) }.contains("v5: directory") == false)
        }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let applied = try store.catalog.pool.read { try Catalog.migrator.appliedIdentifiers($0) }
        #expect(applied.contains("v5: directory"))
        let directory = Directory(catalog: store.catalog, nowMs: { 1000 })
        let old = try directory.device(tenant: "default", id: "old-tracker")
        #expect(old.createdMs == 42 && old.registeredMs == nil && old.name == nil)
        let registered = try directory.createDevice(tenant: "default", NewDevice(id: "old-tracker", name: "Truck"))
        #expect(registered.createdMs == 42 && registered.registeredMs == 1000)
    }

    @Test func directoryRowsSurviveClosingAndReopeningTheStore() throws {
        let dir = TemporaryDirectory("reopen")
        defer { dir.remove() }
        do {
            let store = try TrackStore(directory: dir.path)
            let directory = Directory(catalog: store.catalog)
            _ = try directory.createGroup(tenant: "a", NewGroup(id: "g", name: "G", timeZone: "Asia/Tokyo"))
            _ = try directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle("f"))
            try store.close()
        }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let directory = Directory(catalog: store.catalog)
        #expect(try directory.group(tenant: "a", id: "g").timeZone == .named("Asia/Tokyo"))
        #expect(try directory.geofences(tenant: "a").items.map(\.id) == ["f"])
    }
}
