import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

/// `fieldtrace analyze`, `smooth` and `simplify`, run as a user would run them on a simulated day.
@Suite struct AnalyticsCommandsTests {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: DecodeProcessTests.executable) }

    /// A scenario written by `fieldtrace simulate --scenario` into a temporary folder.
    static func scenario(_ name: String, seed: UInt64) throws -> String {
        let directory = NSTemporaryDirectory() + "fieldtrace-analytics-\(getpid())-\(name)-\(seed)"
        if !FileManager.default.fileExists(atPath: directory + "/fixes.csv") {
            let r = try DecodeProcessTests.run([
                "simulate", "--scenario", name, "--seed", "\(seed)", "--out", directory,
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }
        return directory
    }

    static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(.enabled(if: available))
    func analyzePrintsEventsInTimeOrderFromCSVAndJSONLines() throws {
        let dir = try Self.scenario("route-detour", seed: 2)
        let csv = try DecodeProcessTests.run([
            "analyze", "--fences", dir + "/fences.geojson", "--routes", dir + "/routes.geojson", dir + "/fixes.csv",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        let events = Self.jsonLines(csv.stdout)
        #expect(events.count == csv.stdout.split(separator: "\n").count)
        let kinds = Set(events.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["stop.start", "stop.end", "trip", "deviation.start", "deviation.end"]))
        for event in events {
            #expect(event["device"] as? String == "route-detour")
            #expect(event["time"] is String && event["late"] is Bool)
        }
        let times = events.compactMap { ($0["time"] as? String).flatMap { ISO8601.parse($0.utf8) } }
        #expect(times.count == events.count && times == times.sorted())
        #expect(events.filter { $0["kind"] as? String == "deviation.start" }.allSatisfy { $0["route"] is String })
        // The JSON lines input gives the same events.
        let jsonl = try DecodeProcessTests.run([
            "analyze", "--fences", dir + "/fences.geojson", "--routes", dir + "/routes.geojson", dir + "/fixes.jsonl",
        ])
        #expect(jsonl.stdout == csv.stdout)
    }

    @Test(.enabled(if: available))
    func analyzeSettingsChangeTheResultAndBadInputIsAClearError() throws {
        let dir = try Self.scenario("workday-drive", seed: 1)
        let settings = dir + "/settings.json"
        try #"{"stops": {"min_duration_s": 3000, "excursion_tolerance_s": 90}, "kalman": {"enabled": true}}"#
            .write(toFile: settings, atomically: true, encoding: .utf8)
        let normal = Self.jsonLines(try DecodeProcessTests.run(["analyze", dir + "/fixes.csv"]).stdout)
        let long = Self.jsonLines(
            try DecodeProcessTests.run(["analyze", "--config", settings, dir + "/fixes.csv"]).stdout)
        func stops(_ e: [[String: Any]]) -> Int { e.filter { $0["kind"] as? String == "stop.start" }.count }
        #expect(stops(normal) > stops(long) && stops(long) > 0)

        try #"{"stops": {"radius": 50}}"#.write(toFile: settings, atomically: true, encoding: .utf8)
        let typo = try DecodeProcessTests.run(["analyze", "--config", settings, dir + "/fixes.csv"])
        #expect(typo.status == 1 && typo.stderr.contains("unknown setting stops.radius"))
        // 0 is a number and 1 is not a boolean (Foundation's parser on Linux confuses them).
        try #"{"geofences": {"enter_dwell_s": 0}}"#.write(toFile: settings, atomically: true, encoding: .utf8)
        let zero = try DecodeProcessTests.run(["analyze", "--config", settings, dir + "/fixes.csv"])
        #expect(zero.status == 0, "\(zero.stderr)")
        try #"{"kalman": {"enabled": 1}}"#.write(toFile: settings, atomically: true, encoding: .utf8)
        let one = try DecodeProcessTests.run(["analyze", "--config", settings, dir + "/fixes.csv"])
        #expect(one.status == 1 && one.stderr.contains("kalman.enabled: must be true or false"))
        try
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#
            .write(toFile: settings, atomically: true, encoding: .utf8)
        let badFence = try DecodeProcessTests.run(["analyze", "--fences", settings, dir + "/fixes.csv"])
        #expect(badFence.status == 1 && badFence.stderr.contains("radius"))
        let missing = try DecodeProcessTests.run(["analyze", dir + "/no-such-file.csv"])
        #expect(missing.status == 2 && missing.stderr.contains("no-such-file"))
        let badCSV = dir + "/bad.csv"
        try "device,when\na,b\n".write(toFile: badCSV, atomically: true, encoding: .utf8)
        let badTrack = try DecodeProcessTests.run(["analyze", badCSV])
        #expect(badTrack.status == 1 && badTrack.stderr.contains("time, lat and lon"))
    }

    @Test(.enabled(if: available))
    func smoothKeepsEveryFixAndCutsTheError() throws {
        let dir = try Self.scenario("workday-walk", seed: 1)
        let s = try #require(ScenarioCatalog.make("workday-walk", seed: 1))
        for mode in ["kalman", "rts"] {
            let r = try DecodeProcessTests.run(["smooth", "--mode", mode, dir + "/fixes.csv"])
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("device,time,lat,lon") == true)
            #expect(lines.count == s.fixes.count + 1)
            let estimates = lines.dropFirst().map { line -> (Int64, Double, Double) in
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                return (ISO8601.parse(cells[1].utf8)!, Double(cells[2])!, Double(cells[3])!)
            }
            let smoothed = ScenarioScoring.positionError(estimates, truth: s.truth.positions)
            let raw = ScenarioScoring.positionError(
                of: s.fixes, truth: s.truth.positions, excluding: s.truth.outlierIndices)
            #expect(smoothed.rmsM < (mode == "rts" ? 0.4 : 0.7) * raw.rmsM, "\(mode): \(smoothed) vs raw \(raw)")
        }
        let jsonl = try DecodeProcessTests.run(["smooth", "--drop-outliers", dir + "/fixes.jsonl"])
        let objects = Self.jsonLines(jsonl.stdout)
        #expect(objects.count < s.fixes.count && objects.count > s.fixes.count * 9 / 10)
    }

    @Test(.enabled(if: available))
    func simplifyKeepsASubsetWithinTheTolerance() throws {
        let dir = try Self.scenario("workday-drive", seed: 2)
        let s = try #require(ScenarioCatalog.make("workday-drive", seed: 2))
        for mode in ["dp", "tdtr"] {
            let r = try DecodeProcessTests.run(["simplify", "--tolerance-m", "10", "--mode", mode, dir + "/fixes.csv"])
            #expect(r.status == 0, "\(r.stderr)")
            let times = r.stdout.split(separator: "\n").dropFirst().map {
                ISO8601.parse($0.split(separator: ",")[1].utf8)!
            }
            #expect(times.count > 100 && times.count < s.fixes.count / 5)
            #expect(times.first == s.fixes.first?.timeMs && times.last == s.fixes.last?.timeMs)
            #expect(times == times.sorted() && Set(times).isSubset(of: Set(s.fixes.map(\.timeMs))))
        }
        let bad = try DecodeProcessTests.run(["simplify", "--tolerance-m", "-1", dir + "/fixes.csv"])
        #expect(bad.status == 2)
    }
}
