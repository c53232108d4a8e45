import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceEngine
import FieldtraceReports
import FieldtraceStore
import FieldtraceTestSupport
import Foundation
import Testing

/// Reports over what the real engine concluded: a simulated workday goes through the engine
/// (fences from the directory), then attendance and the daily summary are read back from the
/// stores and compared with the scenario's ground truth.
@Suite struct FleetReportsTests {
    @Test func attendanceAndDailyFromTheEngineMatchTheTruth() async throws {
        let scenario = try #require(ScenarioCatalog.make("workday-drive", seed: 2))
        let path = NSTemporaryDirectory() + "fieldtrace-reports-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try TrackStore(directory: path)
        let log = try EventLog(catalog: store.catalog)
        let lastMs = scenario.fixes.last!.timeMs
        let directory = Directory(catalog: store.catalog, nowMs: { lastMs })
        // Shifts 08:00-16:00 UTC every day; the scenario's day starts at 07:00.
        let shifts = WeeklySchedule.dayKeys.map { #""\#($0)": [{"start": "08:00", "end": "16:00"}]"# }
        _ = try directory.createGroup(
            tenant: "acme",
            NewGroup(id: "crew", name: "Crew", timeZone: "UTC", shifts: "{" + shifts.joined(separator: ",") + "}"))
        _ = try directory.createDevice(tenant: "acme", NewDevice(id: scenario.device.rawValue, group: "crew"))
        let collection = try JSONParser().parse(Array(scenario.fencesGeoJSON.utf8))
        for feature in collection["features"]?.arrayValue ?? [] {
            _ = try directory.createGeofence(tenant: "acme", feature: Array(feature.jsonText.utf8))
        }
        let setups = DirectorySetups(directory: directory, defaultTenant: "acme", nowMs: { lastMs })
        let engine = AnalyticsEngine(
            store: store, eventLog: log, configuration: EngineConfiguration(shardCount: 1), nowMs: { lastMs + 60_000 },
            profile: { device in
                let p = setups.profile(for: device)
                return DeviceProfile(tenant: p.tenant, setup: p.setup)
            })
        engine.start()
        var index = 0
        while index < scenario.fixes.count {
            let batch = Array(scenario.fixes[index..<min(index + 500, scenario.fixes.count)])
            _ = try await engine.accept(batch)
            index += 500
        }
        try await engine.shutdown()

        let reports = FleetReports(store: store, log: log, directory: directory)
        let date = LocalDate(utcMs: scenario.fixes[0].timeMs)
        let rows = try reports.attendance(tenant: "acme", date: date, nowMs: lastMs + 3_600_000)
        #expect(rows.count == 1)
        let report = try #require(rows.first).report
        let truthSites = Dictionary(grouping: scenario.truth.visits, by: \.fenceID)
        #expect(!report.sites.isEmpty && Set(report.sites.map(\.site)) == Set(truthSites.keys))
        for site in report.sites {
            let truth = try #require(truthSites[site.site])
            #expect(abs(site.firstArrivalMs - truth.map(\.enterMs).min()!) <= 60_000, "\(site.site) arrival")
            #expect(site.visits == truth.count)
        }
        #expect(report.shiftMinutes == 480)
        // The worker starts at 07:00 and drives before the shift: activity outside hours.
        #expect(report.flags.contains { $0.kind == .outsideHours })

        let daily = try reports.daily(tenant: "acme", date: date, nowMs: lastMs + 3_600_000)
        let summary = try #require(daily.first)
        #expect(summary.fixes == scenario.fixes.count)
        #expect(summary.stops == scenario.truth.stops.count)
        #expect(summary.visits == scenario.truth.visits.count)
        #expect(summary.distanceM > 1000)
        // Another tenant sees nothing.
        #expect(try reports.attendance(tenant: "other", date: date, nowMs: lastMs).isEmpty)

        let heat = try reports.heatmap(
            tenant: "acme", range: scenario.fixes[0].timeMs..<(lastMs + 1), metric: .fixes, cellM: 500)
        #expect(heat.cells().reduce(0) { $0 + $1.value } == Double(scenario.fixes.count))
        let stopHeat = try reports.heatmap(
            tenant: "acme", range: scenario.fixes[0].timeMs..<(lastMs + 1), metric: .stopMinutes, cellM: 500)
        #expect(abs(stopHeat.cells().reduce(0) { $0 + $1.value } - summary.stopMinutes) < 1)
        try store.close()
    }
}
