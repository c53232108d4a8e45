import FieldtraceCore
import FieldtraceStore
import Foundation
import Testing

/// `fieldtrace report daily` with jobs in the directory: the offline report gives the same
/// response times as the API.
@Suite struct ReportJobsCommandTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ReportCommandTests.executable)))
    func dailyReportGivesJobResponseTimes() throws {
        // Worker w1 of tenant acme enters site-a at 08:20 and leaves at 12:00 (2025-11-28, UTC).
        let data = try ReportCommandTests.makeData()
        defer { try? FileManager.default.removeItem(atPath: data) }
        do {
            let store = try TrackStore(directory: data)
            defer { try? store.close() }
            let directory = Directory(catalog: store.catalog)
            _ = try directory.createJob(
                tenant: "acme", NewJob(id: "j1", device: "w1", site: "site-a", assignedMs: ReportCommandTests.at(8, 5)))
            _ = try directory.createJob(
                tenant: "acme", NewJob(id: "j2", device: "w1", site: "site-a", assignedMs: ReportCommandTests.at(13)))
            // Another tenant's job of the same id and device id is not acme's.
            _ = try directory.createDevice(tenant: "other", NewDevice(id: "o1"))
            _ = try directory.createGeofence(
                tenant: "other",
                feature: Array(
                    #"{"type":"Feature","id":"site-a","properties":{"radius_m":50},"geometry":{"type":"Point","coordinates":[2.35,48.85]}}"#
                        .utf8))
            _ = try directory.createJob(
                tenant: "other", NewJob(id: "j1", device: "o1", site: "site-a", assignedMs: ReportCommandTests.at(8)))
        }
        let common = ["report", "daily", "--data", data, "--tenant", "acme", "--date", "2025-11-28"]
        let json = try DecodeProcessTests.run(common)
        #expect(json.status == 0, "\(json.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let workers = try #require(root["workers"] as? [[String: Any]])
        let responses = try #require(workers.first?["responses"] as? [[String: Any]])
        #expect(responses.map { $0["job"] as? String } == ["j1", "j2"], "\(json.stdout)")
        #expect(
            responses[0]["minutes"] as? Double == 15 && responses[0]["arrived"] as? String == "2025-11-28T08:20:00.000Z"
        )
        #expect(responses[1]["arrived"] is NSNull)
        #expect((root["totals"] as? [String: Any])?["median_response_minutes"] as? Double == 15)

        let csv = try DecodeProcessTests.run(common + ["--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[1].hasPrefix("w1,") && lines[1].hasSuffix(",2,1,15"), "\(csv.stdout)")
    }
}
