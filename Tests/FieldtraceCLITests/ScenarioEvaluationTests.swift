import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceCLI

/// Issue 4's accuracy bars, asserted on the whole pipeline (sanity, Kalman, detectors) as the
/// engine runs it, over every scenario and three seeds. `fieldtrace eval` prints the same figures.
@Suite struct ScenarioEvaluationTests {
    static let seeds: [UInt64] = [1, 2, 3]
    static let stopScenarios = ["workday-drive", "workday-walk", "route-detour", "route-on", "sparse"]

    @Test(arguments: ["workday-drive", "workday-walk"])
    func kalmanAndRTSBeatRawError(scenario: String) throws {
        for seed in Self.seeds {
            let e = try ScenarioEvaluation(scenario: scenario, seed: seed)
            #expect(e.onlineRatio <= 0.7, "\(scenario) seed \(seed): online \(e.onlineRatio) x raw")
            #expect(e.rtsRatio <= 0.4, "\(scenario) seed \(seed): RTS \(e.rtsRatio) x raw")
        }
    }

    @Test(arguments: stopScenarios)
    func stopsAreFoundWholeAndOnTime(scenario: String) throws {
        for seed in Self.seeds {
            let s = try ScenarioEvaluation(scenario: scenario, seed: seed).stops
            let label = "\(scenario) seed \(seed): \(s)"
            #expect(s.trueStops > 0, "\(label)")
            #expect(s.precision >= 0.95 && s.recall >= 0.95, "\(label)")
            #expect(s.fragmentation == 1, "\(label)")
            #expect((s.medianStartErrorMs ?? .max) <= 20_000 && (s.medianEndErrorMs ?? .max) <= 20_000, "\(label)")
            #expect(s.pauseOverlaps == 0, "\(label)")
        }
    }

    @Test(arguments: ["boundary-loiter", "workday-drive", "workday-walk", "sparse"])
    func fenceVisitsNeverFlapAndAreTimed(scenario: String) throws {
        for seed in Self.seeds {
            let e = try ScenarioEvaluation(scenario: scenario, seed: seed)
            let v = e.visits
            let label = "\(scenario) seed \(seed): \(v), exit beyond dwell \(e.exitDelayBeyondDwellMs ?? 0) ms"
            #expect(v.trueCrossings > 0, "\(label)")
            #expect(v.spurious == 0, "\(label)")
            #expect(v.matched == v.trueCrossings, "\(label)")
            #expect((v.medianCrossingErrorMs ?? .max) <= 10_000, "\(label)")
            #expect((e.exitDelayBeyondDwellMs ?? 0) <= 0, "\(label)")
        }
    }

    @Test func everyDetourIsFoundAndOnRouteDaysHaveNone() throws {
        for seed in Self.seeds {
            let detour = try ScenarioEvaluation(scenario: "route-detour", seed: seed).deviations
            #expect(detour.trueDeviations > 0 && detour.found == detour.trueDeviations, "seed \(seed): \(detour)")
            #expect(detour.falseDeviations == 0, "seed \(seed): \(detour)")
            #expect((detour.maxAbsStartErrorMs ?? .max) <= 60_000, "seed \(seed): \(detour)")
            let onRoute = try ScenarioEvaluation(scenario: "route-on", seed: seed).deviations
            #expect(onRoute.detections == 0, "seed \(seed): \(onRoute)")
        }
    }

    @Test func sameInputGivesByteIdenticalEvents() throws {
        let s = try #require(ScenarioCatalog.make("workday-drive", seed: 7))
        let setup = AnalyticsSetup(
            fences: try Geofence.readCollection(Array(s.fencesGeoJSON.utf8)),
            routes: try PlannedRoute.readCollection(Array(s.routesGeoJSON.utf8)))
        let first = DeviceAnalytics.run(s.fixes, device: s.device, setup: setup).map(\.jsonLine)
        let second = DeviceAnalytics.run(s.fixes, device: s.device, setup: setup).map(\.jsonLine)
        #expect(first.count > 10)
        #expect(first == second)
        // A snapshot (a copy of the value) continues exactly like the original.
        var analytics = DeviceAnalytics(device: s.device, setup: setup)
        var events: [AnalyticsEvent] = []
        let half = s.fixes.count / 2
        for fix in s.fixes[..<half] { analytics.process(fix, into: &events) }
        var snapshot = analytics
        var rest: [AnalyticsEvent] = []
        var snapshotRest: [AnalyticsEvent] = []
        for fix in s.fixes[half...] {
            analytics.process(fix, into: &rest)
            snapshot.process(fix, into: &snapshotRest)
        }
        analytics.finish(into: &rest)
        snapshot.finish(into: &snapshotRest)
        #expect(rest.map(\.jsonLine) == snapshotRest.map(\.jsonLine))
        #expect((events + rest).map(\.jsonLine) == first)
    }
}
