import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceReports
import FieldtraceStore
import Foundation
import Testing

/// Jobs in the reports: which jobs belong to a worker's local day, and when a job counts as
/// reached (`FleetReports.dailyJobs`, `FleetReports.arrivals`).
@Suite struct FleetJobsTests {
    static let t0: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    static let hour: Int64 = 3_600_000

    /// A store with worker `w1` in a +08:00 group, fence `site-a`, and a visit of it from
    /// `t0 + 2 h` to `t0 + 3 h`.
    static func make() throws -> (TrackStore, FleetReports, String) {
        let path = NSTemporaryDirectory() + "fieldtrace-jobs-\(UInt64.random(in: 0...UInt64.max))"
        let store = try TrackStore(directory: path)
        let log = try EventLog(catalog: store.catalog)
        let directory = Directory(catalog: store.catalog, nowMs: { t0 })
        _ = try directory.createGroup(tenant: "acme", NewGroup(id: "east", name: "East", timeZone: "+08:00"))
        _ = try directory.createDevice(tenant: "acme", NewDevice(id: "w1", group: "east"))
        _ = try directory.createGeofence(
            tenant: "acme",
            feature: Array(
                #"{"type":"Feature","id":"site-a","properties":{"radius_m":100},"geometry":{"type":"Point","coordinates":[121.47,31.23]}}"#
                    .utf8))
        func event(_ kind: EventKind, _ ms: Int64) -> NewEvent {
            NewEvent(
                tenant: "acme",
                event: AnalyticsEvent(
                    kind: kind, device: DeviceID("w1")!, timeMs: ms, confirmedAtMs: ms, subject: "site-a"),
                detectedMs: ms, step: 2 * ms)
        }
        _ = try log.append([event(.geofenceEnter, t0 + 2 * hour), event(.geofenceExit, t0 + 3 * hour)])
        return (store, FleetReports(store: store, log: log, directory: directory), path)
    }

    @Test func aWorkersJobsAreThoseOfItsLocalDay() throws {
        let (store, reports, path) = try Self.make()
        defer {
            try? store.close()
            try? FileManager.default.removeItem(atPath: path)
        }
        let d = reports.directory
        // The local day 2026-01-01 at +08:00 is 2025-12-31T16:00Z to 2026-01-01T16:00Z.
        for (id, ms) in [("early", Self.t0 - 7 * Self.hour), ("late", Self.t0 + 17 * Self.hour)] {
            _ = try d.createJob(tenant: "acme", NewJob(id: id, device: "w1", site: "site-a", assignedMs: ms))
        }
        let jobs = try reports.dailyJobs(tenant: "acme", date: LocalDate(parsing: "2026-01-01")!)
        #expect(jobs[DeviceID("w1")!]?.map(\.id) == ["early"])
        let next = try reports.dailyJobs(tenant: "acme", date: LocalDate(parsing: "2026-01-02")!)
        #expect(next[DeviceID("w1")!]?.map(\.id) == ["late"])
        #expect(try reports.dailyJobs(tenant: "acme", date: LocalDate(parsing: "2026-01-03")!).isEmpty)
        #expect(try reports.dailyJobs(tenant: "other", date: LocalDate(parsing: "2026-01-01")!).isEmpty)
    }

    @Test func arrivalIsTheFirstVisitAtOrAfterTheAssignmentWithinADay() throws {
        let (store, reports, path) = try Self.make()
        defer {
            try? store.close()
            try? FileManager.default.removeItem(atPath: path)
        }
        let d = reports.directory
        let cases: [(String, Int64)] = [
            ("before", Self.t0 + Self.hour),  // reached at the visit's start, 60 minutes
            ("during", Self.t0 + 2 * Self.hour + 600_000),  // already there: 0 minutes
            ("after", Self.t0 + 4 * Self.hour),  // the visit is over: not reached
            ("too-early", Self.t0 - 23 * Self.hour),  // the visit is 25 h later: beyond the horizon
        ]
        var records: [JobRecord] = []
        for (id, ms) in cases {
            records.append(
                try d.createJob(tenant: "acme", NewJob(id: id, device: "w1", site: "site-a", assignedMs: ms)))
        }
        records.append(
            try d.updateJob(
                tenant: "acme",
                id: try d.createJob(
                    tenant: "acme", NewJob(id: "cancelled", device: "w1", site: "site-a", assignedMs: Self.t0)
                ).id, JobPatch(cancelled: true)))
        let arrivals = try reports.arrivals(of: records)
        #expect(arrivals == ["before": Self.t0 + 2 * Self.hour, "during": Self.t0 + 2 * Self.hour + 600_000])
    }
}
