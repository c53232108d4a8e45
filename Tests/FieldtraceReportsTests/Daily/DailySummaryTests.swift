import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceReports
import FieldtraceTestSupport
import Testing

@Suite struct DailySummaryTests {
    /// A simulated workday against its ground truth: distance within 1% of the true path (0.02-0.05% measured), the
    /// true stops, on-site time within a few minutes of the true visits.
    @Test(arguments: [1, 2] as [UInt64])
    func workdayMatchesTheTruth(seed: UInt64) throws {
        let s = try #require(ScenarioCatalog.make("workday-drive", seed: seed))
        let fences = try Geofence.readCollection(Array(s.fencesGeoJSON.utf8))
        var analytics = DeviceAnalytics(device: s.device, setup: AnalyticsSetup(fences: fences))
        var events: [AnalyticsEvent] = []
        for fix in s.fixes { analytics.process(fix, into: &events) }
        analytics.finish(into: &events)
        let day = Attendance.Window(startMs: s.fixes.first!.timeMs, endMs: s.fixes.last!.timeMs + 1)
        // Stops and trips as the event log has them: the closing event and its `started_at`.
        func windows(_ kind: String) -> [Attendance.Window] {
            events.filter { $0.kind.rawValue == kind }.compactMap { e in
                guard case .time(let start)? = e.attributes.first(where: { $0.key == "started_at" })?.value else {
                    return nil
                }
                return Attendance.Window(startMs: start, endMs: e.timeMs)
            }
        }
        let summary = DailySummary.summarize(
            device: s.device, day: day, fixes: s.fixes, stops: windows("stop.end"), trips: windows("trip"),
            visits: Attendance.visits(from: events, openedBeforeMs: day.startMs), deviations: [])

        var truePath = 0.0
        for (a, b) in zip(s.truth.positions, s.truth.positions.dropFirst()) {
            truePath += Geodesy.haversineMeters(
                lat1: a.latitude, lon1: a.longitude, lat2: b.latitude, lon2: b.longitude)
        }
        #expect(abs(summary.distanceM - truePath) / truePath < 0.01, "\(summary.distanceM) vs \(truePath)")
        #expect(summary.stops == s.truth.stops.count)
        let trueStopMinutes = s.truth.stops.reduce(0.0) { $0 + Double($1.endMs - $1.startMs) / 60_000 }
        #expect(abs(summary.stopMinutes - trueStopMinutes) < 2 * Double(s.truth.stops.count) + 1)
        let trueOnSite = s.truth.visits.reduce(0.0) { $0 + Double(($1.exitMs ?? day.endMs) - $1.enterMs) / 60_000 }
        #expect(abs(summary.onSiteMinutes - trueOnSite) < 5, "\(summary.onSiteMinutes) vs \(trueOnSite)")
        #expect(summary.visits == s.truth.visits.count)
        #expect(summary.maxSpeedKmh > 20 && summary.maxSpeedKmh < 130)
        #expect(summary.movingMinutes > 0 && summary.travellingMinutes <= summary.movingMinutes)
        #expect(summary.fixes == s.fixes.count)
    }

    @Test func responsesGapsAndFleetTotals() {
        let d = DeviceID("w")!
        let t0: Int64 = 1_764_288_000_000
        // Two fixes 20 minutes apart: a gap, not bridged.
        let fixes = [
            Fix(device: d, timeMs: t0 + 60_000, latitudeE7: 312_000_000, longitudeE7: 1_214_000_000, source: .osmand),
            Fix(
                device: d, timeMs: t0 + 1_260_000, latitudeE7: 312_100_000, longitudeE7: 1_214_000_000, source: .osmand),
        ]
        let day = Attendance.Window(startMs: t0, endMs: t0 + 86_400_000)
        let visits = [
            Attendance.Visit(site: "A", enterMs: t0 + 3_600_000, exitMs: t0 + 7_200_000),
            Attendance.Visit(site: "A", enterMs: t0 + 9_000_000, exitMs: nil),
        ]
        let jobs = [
            DailySummary.Job(id: "j1", site: "A", assignedMs: t0 + 3_000_000),  // arrives 10 min later
            DailySummary.Job(id: "j2", site: "A", assignedMs: t0 + 8_000_000),  // next arrival: 9,000,000
            DailySummary.Job(id: "j3", site: "A", assignedMs: t0 + 5_000_000),  // already there: 0
            DailySummary.Job(id: "j4", site: "B", assignedMs: t0),  // never
        ]
        let s = DailySummary.summarize(
            device: d, day: day, fixes: fixes, stops: [], trips: [], visits: visits, deviations: [], jobs: jobs)
        #expect(s.distanceM == 0 && s.gapMinutes == 20)
        #expect(s.responses.map(\.job) == ["j4", "j1", "j3", "j2"])
        #expect(s.responses.map(\.minutes) == [nil, 10, 0, 1_000_000 / 60_000.0])
        let totals = FleetTotals([s, s])
        #expect(totals.workers == 2 && totals.visits == 4)
        #expect(totals.medianResponseMinutes == 10)
    }
}
