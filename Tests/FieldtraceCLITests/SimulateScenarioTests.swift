import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

/// `fieldtrace simulate --scenario`, run as a user would run it.
@Suite struct SimulateScenarioTests {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: DecodeProcessTests.executable) }

    @Test(.enabled(if: available))
    func writesAScenarioWithItsTruth() throws {
        let directory = NSTemporaryDirectory() + "fieldtrace-scenario-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let r = try DecodeProcessTests.run([
            "simulate", "--scenario", "route-detour", "--seed", "3", "--out", directory,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = ScenarioCatalog.make("route-detour", seed: 3)!
        for name in ["fixes.csv", "fixes.jsonl", "fences.geojson", "routes.geojson", "truth.json", "positions.csv"] {
            #expect(r.stdout.contains("wrote \(directory)/\(name)"))
        }
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        let csv = try read("fixes.csv").split(separator: "\n")
        #expect(csv.count == expected.fixes.count + 1)
        #expect(csv.first?.hasPrefix("device,time,lat,lon,") == true)
        #expect(csv[1].hasPrefix("route-detour,2026-12-01T07:00:00.000Z,"))
        let jsonl = try read("fixes.jsonl").split(separator: "\n")
        #expect(jsonl.count == expected.fixes.count)
        #expect(jsonl.first.map(String.init) == expected.fixes[0].jsonLine)
        #expect(try read("routes.geojson") == expected.routesGeoJSON)
        #expect(try read("fences.geojson") == expected.fencesGeoJSON)
        #expect(try read("positions.csv").split(separator: "\n").count == expected.fixes.count + 1)

        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(read("truth.json").utf8)) as? [String: Any])
        #expect(truth["scenario"] as? String == "route-detour")
        #expect((truth["stops"] as? [[String: Any]])?.count == expected.truth.stops.count)
        #expect((truth["traffic_pauses"] as? [Any])?.count == expected.truth.trafficPauses.count)
        #expect((truth["gaps"] as? [Any])?.count == expected.truth.gaps.count)
        #expect((truth["outlier_indices"] as? [Int]) == expected.truth.outlierIndices)
        let deviations = try #require(truth["deviations"] as? [[String: Any]])
        #expect(deviations.count == expected.truth.deviations.count)
        #expect(
            deviations.first.flatMap { ($0["start"] as? String).flatMap { ISO8601.parse($0.utf8) } }
                == expected.truth.deviations.first.map { $0.startMs })
    }

    @Test(.enabled(if: available))
    func listsScenariosAndRejectsUnknownOnesAndMixedModes() throws {
        let list = try DecodeProcessTests.run(["simulate", "--list-scenarios"])
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").map(String.init) == ScenarioCatalog.names)
        let unknown = try DecodeProcessTests.run(["simulate", "--scenario", "nope", "--out", "/tmp/x"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown scenario 'nope'"))
        #expect(try DecodeProcessTests.run(["simulate", "--scenario", "sparse"]).status == 2)
        #expect(
            try DecodeProcessTests.run(["simulate", "--scenario", "sparse", "--out", "/tmp/x", "--devices", "2"]).status
                == 2)
        #expect(try DecodeProcessTests.run(["simulate", "--out", "/tmp/x"]).status == 2)
        // Fleet mode is unchanged.
        let fleet = try DecodeProcessTests.run([
            "simulate", "--devices", "1", "--hours", "1", "--interval", "60", "--format", "csv",
        ])
        #expect(fleet.status == 0)
        #expect(fleet.stdout.split(separator: "\n").count == 61)
    }
}
