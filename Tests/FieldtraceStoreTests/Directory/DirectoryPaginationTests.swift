import Testing

@testable import FieldtraceStore

@Suite struct DirectoryPaginationTests {
    /// Reads every page of a list with `limit`, checking each page's size.
    static func all<Item>(limit: Int, _ read: (PageRequest) throws -> DirectoryPage<Item>) throws -> [[Item]] {
        var pages: [[Item]] = []
        var cursor: String?
        repeat {
            let page = try read(PageRequest(limit: limit, cursor: cursor))
            pages.append(page.items)
            cursor = page.nextCursor
            #expect(page.items.count == limit || cursor == nil)
        } while cursor != nil && pages.count < 100
        return pages
    }

    @Test func everyListPagesInIdOrderWithoutGapsOrRepeats() throws {
        let f = try DirectoryFixture()
        let d = f.directory
        let ids = (0..<23).map { "id-\($0 < 10 ? "0" : "")\($0)" }
        for id in ids {
            _ = try d.createGroup(tenant: "a", NewGroup(id: id, name: id))
            _ = try d.createDevice(tenant: "a", NewDevice(id: id))
            _ = try d.createGeofence(tenant: "a", feature: DirectoryFixture.circle(id))
            _ = try d.createRoute(tenant: "a", feature: DirectoryFixture.line(id))
            _ = try d.createAssignment(tenant: "a", route: "id-00", NewAssignment(device: id, fromDate: "2026-11-29"))
        }
        _ = try d.createGroup(tenant: "b", NewGroup(id: "id-05", name: "other tenant"))

        let groups = try Self.all(limit: 5) { try d.groups(tenant: "a", page: $0) }
        #expect(groups.count == 5 && groups.flatMap { $0 }.map(\.id) == ids)
        #expect(
            try Self.all(limit: 10) { try d.devices(tenant: "a", page: $0) }.flatMap { $0 }.map(\.id.rawValue) == ids)
        #expect(try Self.all(limit: 7) { try d.geofences(tenant: "a", page: $0) }.flatMap { $0 }.map(\.id) == ids)
        #expect(try Self.all(limit: 22) { try d.routes(tenant: "a", page: $0) }.flatMap { $0 }.map(\.id) == ids)
        let assignments = try Self.all(limit: 4) { try d.assignments(tenant: "a", route: "id-00", page: $0) }
        #expect(assignments.count == 6 && assignments.flatMap { $0 }.map(\.target) == ids.map { .device(.init($0)!) })
        // A page that ends exactly at the last row has no next cursor.
        #expect(try d.groups(tenant: "a", page: PageRequest(limit: 23)).nextCursor == nil)
        #expect(try d.groups(tenant: "a").items.count == 23, "the default limit (100) holds them all")
    }

    @Test func callersWithTheirOwnCursorsPageByKey() throws {
        let f = try DirectoryFixture()
        for i in 0..<5 { _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "g\(i)", name: "G")) }
        let first = try f.directory.groups(tenant: "a", page: PageRequest(limit: 3, after: nil))
        #expect(first.items.map(\.id) == ["g0", "g1", "g2"] && first.nextAfter == "g2")
        let second = try f.directory.groups(tenant: "a", page: PageRequest(limit: 3, after: first.nextAfter))
        #expect(second.items.map(\.id) == ["g3", "g4"] && second.nextAfter == nil)
    }

    @Test func devicesFilterByGroup() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "g", name: "G"))
        for i in 0..<5 {
            _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "d\(i)", group: i % 2 == 0 ? "g" : nil))
        }
        let pages = try Self.all(limit: 2) { try f.directory.devices(tenant: "a", group: "g", page: $0) }
        #expect(pages.flatMap { $0 }.map(\.id.rawValue) == ["d0", "d2", "d4"])
    }

    @Test func refusesBadLimitsAndCursors() throws {
        let f = try DirectoryFixture()
        for limit in [0, -1, PageRequest.maxLimit + 1] {
            #expect(
                directoryError { try f.directory.groups(tenant: "a", page: PageRequest(limit: limit)) }?.isInvalid
                    == true)
        }
        #expect(try f.directory.groups(tenant: "a", page: PageRequest(limit: PageRequest.maxLimit)).items.isEmpty)
        for cursor in ["", "xyz", "abc", "zz", String(repeating: "61", count: 65)] {
            let error = directoryError { try f.directory.geofences(tenant: "a", page: PageRequest(cursor: cursor)) }
            #expect(error?.isInvalid == true && error?.message == "cursor is not one this server issued", "\(cursor)")
        }
        _ = try f.directory.createRoute(tenant: "a", feature: DirectoryFixture.line("r"))
        let text = DirectoryCursor.encode("not-a-number")
        #expect(
            directoryError { try f.directory.assignments(tenant: "a", route: "r", page: PageRequest(cursor: text)) }?
                .isInvalid == true)
    }
}
