import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Testing

@testable import FieldtraceEngine

/// The engine with profiles from the directory, wired as `serve` wires it: a device's tenant and
/// fences come from its registration, and a directory change reaches devices already loaded.
@Suite struct DirectoryProfileTests {
    /// A circle of 100 m in group "crew", `northE7` north of 52.5 N 13.4 E.
    static func fence(_ id: String, northE7: Int32 = 0) -> [UInt8] {
        let lat = Double(525_000_000 + northE7) / 1e7
        return Array(
            #"{"type":"Feature","id":"\#(id)","geometry":{"type":"Point","coordinates":[13.4,\#(lat)]},"properties":{"radius_m":100,"group":"crew"}}"#
                .utf8)
    }

    /// 300 m north of the first site.
    static let secondSiteE7: Int32 = 27_000

    /// `seconds` fixes at 1 Hz: walking north from the first site at 5 m/s for `walk` seconds,
    /// then standing.
    static func track(_ device: DeviceID, from startMs: Int64, seconds: Int, walk: Int = 0, fromE7: Int32 = 0) -> [Fix]
    {
        (0..<seconds).map { i in
            let north = fromE7 + Int32(min(i, walk)) * (walk > 0 ? (secondSiteE7 - fromE7) / Int32(walk) : 0)
            return Fix(
                device: device, timeMs: startMs + Int64(i) * 1000, latitudeE7: 525_000_000 + north,
                longitudeE7: 134_000_000, hdop: 1)
        }
    }

    @Test func registeredDevicesGetTheirTenantAndFencesAndChangesReachLoadedDevices() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let start: Int64 = 1_795_946_400_000
        let clock = FakeClock(start)
        let store = try TrackStore(directory: dir.path)
        let log = try EventLog(catalog: store.catalog)
        let directory = Directory(catalog: store.catalog, nowMs: { clock.nowMs })
        _ = try directory.createGroup(tenant: "acme", NewGroup(id: "crew", name: "Crew"))
        _ = try directory.createDevice(tenant: "acme", NewDevice(id: "w1", group: "crew"))
        _ = try directory.createGeofence(tenant: "acme", feature: Self.fence("site-1"))
        let setups = DirectorySetups(directory: directory, defaultTenant: "default", nowMs: { clock.nowMs })
        let engine = AnalyticsEngine(
            store: store, eventLog: log, configuration: EngineConfiguration(shardCount: 2), nowMs: { clock.nowMs },
            profile: { device in
                let p = setups.profile(for: device)
                return DeviceProfile(tenant: p.tenant, setup: p.setup)
            })
        directory.observeChanges { tenant in engine.refreshProfiles(tenant: tenant) }
        engine.start()

        let w1 = DeviceID("w1")!
        let w2 = DeviceID("w2")!
        func feed(from: Int64, seconds: Int, walk: Int = 0) async throws {
            let fixes =
                Self.track(w1, from: from, seconds: seconds, walk: walk)
                + Self.track(w2, from: from, seconds: seconds, walk: walk)
            for batch in stride(from: 0, to: fixes.count, by: 60).map({ Array(fixes[$0..<min(fixes.count, $0 + 60)]) })
            {
                clock.set(max(clock.nowMs, batch.last!.timeMs + 500))
                _ = try await engine.accept(batch)
            }
            clock.advance(ms: 5000)
            try await engine.tick()
            await engine.barrier()
        }
        try await feed(from: start, seconds: 300)
        // A fence added while w1 is loaded (the change refreshes acme's devices), then w1 walks there.
        _ = try directory.createGeofence(tenant: "acme", feature: Self.fence("site-2", northE7: Self.secondSiteE7))
        try await feed(from: start + 300_000, seconds: 300, walk: 60)

        var events: [LoggedEvent] = []
        while case let page = try log.read(after: events.last?.id ?? 0, limit: 1000), !page.isEmpty { events += page }
        let w1Events = events.filter { $0.device == w1 }
        #expect(w1Events.allSatisfy { $0.tenant == "acme" } && !w1Events.isEmpty)
        let entered = w1Events.filter { $0.kind == .geofenceEnter }.compactMap(\.subject)
        #expect(entered == ["site-1", "site-2"], "\(entered)")
        let w2Events = events.filter { $0.device == w2 }
        #expect(w2Events.allSatisfy { $0.tenant == "default" } && !w2Events.isEmpty)
        #expect(!w2Events.contains { $0.kind == .geofenceEnter }, "an unregistered device has no group fences")
        try await engine.shutdown()
        try store.close()
    }
}
