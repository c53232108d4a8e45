import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Foundation
import Testing

/// `fieldtrace report` and `fieldtrace plot` on a data directory holding a worker, a site,
/// fixes and the events the engine would have written.
@Suite struct ReportCommandTests {
    static let executable = DecodeProcessTests.executable
    /// 2025-11-28 00:00 UTC, and minutes after it.
    static let midnight: Int64 = 1_764_288_000_000
    static func at(_ h: Int, _ m: Int = 0) -> Int64 { midnight + Int64(h * 60 + m) * 60_000 }

    static func makeData() throws -> String {
        let path = NSTemporaryDirectory() + "fieldtrace-report-\(UInt64.random(in: 0...UInt64.max))"
        let store = try TrackStore(directory: path)
        defer { try? store.close() }
        let directory = Directory(catalog: store.catalog)
        _ = try directory.createGroup(
            tenant: "acme",
            NewGroup(
                id: "crew", name: "Crew", timeZone: "UTC", shifts: #"{"fri": [{"start": "08:00", "end": "17:00"}]}"#))
        _ = try directory.createDevice(tenant: "acme", NewDevice(id: "w1", name: "Wang, Li", group: "crew"))
        _ = try directory.createGeofence(
            tenant: "acme",
            feature: Array(
                #"{"type":"Feature","id":"site-a","properties":{"radius_m":100},"geometry":{"type":"Point","coordinates":[121.47,31.23]}}"#
                    .utf8))
        let device = DeviceID("w1")!
        // A fix a minute from 08:00 to 12:00 at the site.
        let fixes = (0..<240).map { i in
            Fix(
                device: device, timeMs: at(8) + Int64(i) * 60_000, latitudeE7: 312_300_000 + Int32(i % 3),
                longitudeE7: 1_214_700_000, speedMps: 0, source: .osmand)
        }
        try store.append(fixes)
        try store.flush()
        let log = try EventLog(catalog: store.catalog)
        func event(_ kind: String, _ ms: Int64, _ attributes: [EventAttribute] = []) -> NewEvent {
            NewEvent(
                tenant: "acme",
                event: AnalyticsEvent(
                    kind: EventKind(kind), device: device, timeMs: ms, confirmedAtMs: ms, subject: "site-a",
                    attributes: attributes),
                detectedMs: ms, step: 2 * ms)
        }
        _ = try log.append([
            event("geofence.enter", at(8, 20)), event("geofence.exit", at(12)),
            NewEvent(
                tenant: "acme",
                event: AnalyticsEvent(
                    kind: EventKind("stop.end"), device: device, timeMs: at(12), confirmedAtMs: at(12),
                    attributes: [
                        EventAttribute("started_at", .time(at(8, 20))), EventAttribute("duration_s", .double(13_200)),
                        EventAttribute("position", .position(latitudeE7: 312_300_000, longitudeE7: 1_214_700_000)),
                    ]), detectedMs: at(12), step: 2 * at(12)),
        ])
        return path
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func attendanceDailyHeatmapAndPlot() throws {
        let data = try Self.makeData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let common = ["--data", data, "--tenant", "acme"]
        let csv = try DecodeProcessTests.run(
            ["report", "attendance"] + common + ["--date", "2025-11-28", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("device,name,group,site,first_arrival"))
        #expect(
            lines[1].hasPrefix(
                "w1,\"Wang, Li\",crew,site-a,2025-11-28T08:20:00.000Z,2025-11-28T12:00:00.000Z,220,1,540,220,"))
        #expect(lines[1].contains("late_arrival@2025-11-28T08:20:00.000Z") && lines[1].contains("early_departure"))

        let json = try DecodeProcessTests.run(["report", "attendance"] + common + ["--date", "2025-11-28"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let workers = try #require(root["workers"] as? [[String: Any]])
        #expect(workers.count == 1 && (workers[0]["flags"] as? [[String: Any]])?.count == 2)

        let daily = try DecodeProcessTests.run(
            ["report", "daily"] + common + ["--date", "2025-11-28", "--format", "csv"])
        #expect(daily.status == 0, "\(daily.stderr)")
        let row = daily.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row[0] == "w1" && row[1] == "240" && row[4] == "1" && row[5] == "220" && row[8] == "1")

        let heat = try DecodeProcessTests.run(
            ["report", "heatmap"] + common + ["--date", "2025-11-28", "--metric", "stop_minutes", "--format", "csv"])
        #expect(heat.stdout.split(separator: "\n").count == 2 && heat.stdout.contains(",220,1"))

        let svg = data + "/day.svg"
        let plot = try DecodeProcessTests.run(
            ["plot"] + common + ["--device", "w1", "--date", "2025-11-28", "--out", svg])
        #expect(plot.status == 0 && plot.stdout.contains("fixes=240 stops=1"), "\(plot.stdout) \(plot.stderr)")
        let drawing = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(
            drawing.contains("class=\"track\"") && drawing.contains("class=\"fence\"") && drawing.contains("220 min"))

        let bad = try DecodeProcessTests.run(["report", "daily"] + common + ["--date", "28/11/2025"])
        #expect(bad.status != 0 && bad.stderr.contains("is not a date"))
        let unknown = try DecodeProcessTests.run(
            ["plot"] + common + ["--device", "nobody", "--date", "2025-11-28", "--out", svg])
        #expect(unknown.status == 2 && unknown.stderr.contains("nobody"))
    }
}
