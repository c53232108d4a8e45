import FieldtraceAnalytics
import FieldtraceCore
import Synchronization
import Testing

@testable import FieldtraceStore

@Suite struct DirectorySetupsTests {
    /// Tenant "a": group g (UTC+02:00) with d1, d2 without a group; fence all (everyone), fence
    /// gfence (group g); route r assigned to group g for 2026-11-29...2026-12-10.
    static func populate(_ d: Directory) throws {
        _ = try d.createGroup(tenant: "a", NewGroup(id: "g", name: "G", timeZone: "+02:00"))
        _ = try d.createDevice(tenant: "a", NewDevice(id: "d1", group: "g"))
        _ = try d.createDevice(tenant: "a", NewDevice(id: "d2"))
        _ = try d.createGeofence(tenant: "a", feature: DirectoryFixture.circle("all"))
        _ = try d.createGeofence(tenant: "a", feature: DirectoryFixture.circle("gfence", extra: #","group":"g""#))
        _ = try d.createRoute(tenant: "a", feature: DirectoryFixture.line("r"))
        _ = try d.createAssignment(
            tenant: "a", route: "r", NewAssignment(group: "g", fromDate: "2026-11-29", toDate: "2026-12-10"))
    }

    @Test func aDeviceGetsItsTenantsFencesForItsGroupAndItsRouteWindows() throws {
        let f = try DirectoryFixture()
        try Self.populate(f.directory)
        let setups = DirectorySetups(directory: f.directory, nowMs: f.nowMs)
        let p1 = setups.profile(for: DeviceID("d1")!)
        #expect(p1.tenant == "a" && p1.setup.fences.map(\.id) == ["all", "gfence"])
        // Today 2026-11-29 with 2 days ahead (+1 day of margin): 29, 30, 1, 2, local midnight at UTC+02:00.
        let day = LocalDate(year: 2026, month: 11, day: 29)!.daysSinceEpoch * 86_400_000 - 2 * 3_600_000
        #expect(p1.setup.routes.map(\.fromMs) == (0..<4).map { day + Int64($0) * 86_400_000 })
        #expect(p1.setup.routes.allSatisfy { $0.toMs == $0.fromMs + 86_400_000 - 1 && $0.device.rawValue == "d1" })
        let p2 = setups.profile(for: DeviceID("d2")!)
        #expect(p2.tenant == "a" && p2.setup.fences.map(\.id) == ["all"] && p2.setup.routes.isEmpty)
        // Unknown or unregistered devices belong to the default tenant.
        let stranger = setups.profile(for: DeviceID("x")!)
        #expect(stranger.tenant == "default" && stranger.setup.fences.isEmpty)
        #expect(setups.failures.count == 0)
    }

    @Test func setupsAreCachedAndRebuiltAfterEveryChangeOfTheirTenant() throws {
        let f = try DirectoryFixture()
        try Self.populate(f.directory)
        let setups = DirectorySetups(directory: f.directory, nowMs: f.nowMs)
        let heard = Mutex<[String]>([])
        f.directory.observeChanges { tenant in heard.withLock { $0.append(tenant) } }
        _ = setups.profile(for: DeviceID("d1")!)
        _ = setups.profile(for: DeviceID("d1")!)
        #expect(setups.builds == 1)
        _ = try f.directory.createGroup(tenant: "b", NewGroup(id: "x", name: "X"))
        _ = setups.profile(for: DeviceID("d1")!)
        #expect(setups.builds == 1, "another tenant's change keeps a's setups")
        _ = try f.directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle("new"))
        #expect(setups.profile(for: DeviceID("d1")!).setup.fences.map(\.id) == ["all", "gfence", "new"])
        try f.directory.deleteAssignment(tenant: "a", route: "r", id: 1)
        #expect(setups.profile(for: DeviceID("d1")!).setup.routes.isEmpty)
        _ = try f.directory.updateDevice(tenant: "a", id: "d1", DevicePatch(group: .some(nil)))
        #expect(setups.profile(for: DeviceID("d1")!).setup.fences.map(\.id) == ["all", "new"])
        #expect(setups.builds == 4)
        #expect(heard.withLock { $0 } == ["b", "a", "a", "a"])
    }

    @Test func aNewDayMovesTheRouteWindowsAndNotifiesTenantsWithAssignments() throws {
        let f = try DirectoryFixture()
        try Self.populate(f.directory)
        _ = try f.directory.createDevice(tenant: "c", NewDevice(id: "c1"))
        let setups = DirectorySetups(directory: f.directory, nowMs: f.nowMs)
        let heard = Mutex<[String]>([])
        f.directory.observeChanges { tenant in heard.withLock { $0.append(tenant) } }
        let before = setups.profile(for: DeviceID("d1")!).setup.routes.map(\.fromMs)
        _ = setups.profile(for: DeviceID("c1")!)
        #expect(setups.rollOver().isEmpty, "same day: nothing to do")
        f.clock.set(DirectoryFixture.now + 86_400_000)
        #expect(setups.rollOver() == ["a"], "c has no route assignments")
        #expect(heard.withLock { $0 } == ["a"])
        let after = setups.profile(for: DeviceID("d1")!).setup.routes.map(\.fromMs)
        #expect(before.count == 4 && after.count == 5 && after.first == before.first, "one more day ahead")
        #expect(after.last == before.last! + 86_400_000)
    }

    @Test func seedFilesJoinTheDefaultTenantAndDirectoryRowsReplaceThem() throws {
        let f = try DirectoryFixture()
        let seedFence = try Geofence(
            feature: GeoJSON.readFeatures(DirectoryFixture.circle("seed")).first!, index: 0)
        let dupFence = try Geofence(
            feature: GeoJSON.readFeatures(DirectoryFixture.circle("dup", radius: 5)).first!, index: 0)
        let seedRoute = PlannedRoute(
            id: "file-route", device: DeviceID("x")!, fromMs: 0, toMs: 10, widthMeters: 20,
            points: [.init(latitude: 52.5, longitude: 13.4), .init(latitude: 52.5, longitude: 13.5)])
        let setups = DirectorySetups(
            directory: f.directory, defaultTenant: "default", seedFences: [seedFence, dupFence],
            seedRoutes: [seedRoute],
            nowMs: f.nowMs)
        var p = setups.profile(for: DeviceID("x")!)
        #expect(p.tenant == "default" && p.setup.fences.map(\.id) == ["seed", "dup"] && p.setup.routes == [seedRoute])
        _ = try f.directory.createGeofence(tenant: "default", feature: DirectoryFixture.circle("dup", radius: 900))
        p = setups.profile(for: DeviceID("x")!)
        #expect(p.setup.fences.map(\.id) == ["dup", "seed"])
        #expect(
            p.setup.fences.first?.shape == .circle(center: GeoPosition(longitude: 13.4, latitude: 52.5), radiusM: 900))
        _ = try f.directory.createDevice(tenant: "other", NewDevice(id: "o"))
        #expect(setups.profile(for: DeviceID("o")!).setup.fences.isEmpty, "seeds are the default tenant's only")
    }

    @Test func theAnalyticsUseTheDirectorysFencesAndRoutes() throws {
        let f = try DirectoryFixture()
        try Self.populate(f.directory)
        let setups = DirectorySetups(directory: f.directory, nowMs: f.nowMs)
        let device = DeviceID("d1")!
        // 20 minutes at 1 Hz: 10 far (2 km north), then 10 at the fence centre on the route.
        let start = DirectoryFixture.now
        let fixes = (0..<1200).map { i in
            Fix(
                device: device, timeMs: start + Int64(i) * 1000, latitudeE7: i < 600 ? 525_180_000 : 525_000_000,
                longitudeE7: 134_000_000, hdop: 1)
        }
        let events = DeviceAnalytics.run(fixes, device: device, setup: setups.profile(for: device).setup)
        #expect(events.contains { $0.kind == .geofenceEnter && $0.subject == "gfence" })
        #expect(events.contains { $0.kind == .geofenceEnter && $0.subject == "all" })
        #expect(events.contains { $0.kind.rawValue.hasPrefix("route.") && $0.subject == "r" })
    }
}
