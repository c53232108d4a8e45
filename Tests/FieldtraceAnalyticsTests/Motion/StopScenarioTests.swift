import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

/// The stop bars of issue 4 on the simulator's days, fed the raw fixes (5 m noise, multipath
/// outliers of 50-300 m, signal gaps): precision and recall at least 0.95, one detection per true
/// stop, median start and end error at most 20 s, no stop at a traffic-light pause.
@Suite struct StopScenarioTests {
    static let cases: [(String, UInt64)] = ["workday-drive", "workday-walk", "sparse", "route-detour"].flatMap {
        name in [1, 2, 3, 4].map { (name, UInt64($0)) }
    }

    @Test(arguments: cases) func stopsMeetTheBars(name: String, seed: UInt64) {
        let scenario = ScenarioCatalog.make(name, seed: seed)!
        let (events, stops) = StopDetector.detect(scenario.fixes, device: scenario.device)
        let score = ScenarioScoring.scoreStops(
            stops.map { (startMs: $0.startMs, endMs: $0.endMs) }, truth: scenario.truth.stops,
            pauses: scenario.truth.trafficPauses)
        let context = "\(name) seed \(seed): \(score)"
        #expect(score.trueStops > 0, "\(context)")
        #expect(score.precision >= 0.95, "\(context)")
        #expect(score.recall >= 0.95, "\(context)")
        #expect(score.fragmentation == 1, "\(context)")
        #expect(score.pauseOverlaps == 0, "\(context)")
        #expect((score.medianStartErrorMs ?? .max) <= 20_000, "\(context)")
        #expect((score.medianEndErrorMs ?? .max) <= 20_000, "\(context)")
        // Every stop is announced once, at its arrival, after the minimum duration.
        let starts = events.filter { $0.kind == .stopStart }
        #expect(starts.map(\.timeMs) == stops.map(\.startMs), "\(context)")
        #expect(starts.allSatisfy { $0.confirmedAtMs - $0.timeMs >= 120_000 }, "\(context)")
    }

    @Test func tripsLinkTheStopsOfADay() {
        let scenario = ScenarioCatalog.make("workday-drive", seed: 5)!
        let (_, stops, trips) = TripBuilder.build(scenario.fixes, device: scenario.device)
        #expect(stops.count == scenario.truth.stops.count)
        // One trip before each stop and one after the last (back to the depot): the day's two
        // signal gaps (1-4 min, while driving) are shorter than the 5 min trip gap limit.
        #expect(trips.count == stops.count + 1, "\(trips.map(\.endReason))")
        #expect(trips.last?.endReason == .endOfInput)
        for (trip, next) in zip(trips, trips.dropFirst()) { #expect(trip.endMs <= next.startMs) }
        for stop in stops {
            #expect(trips.contains { $0.endMs == stop.startMs && $0.endReason == .stop })
            #expect(trips.contains { $0.startMs == stop.endMs })
        }
        #expect(trips.allSatisfy { $0.maxSpeedMps < 16 }, "the simulated driving tops out at 14 m/s")

        // With a limit below the gaps, each gap closes the trip it falls in.
        var configuration = TripBuilder.Configuration()
        configuration.maxGapSeconds = 50
        let split = TripBuilder.build(scenario.fixes, device: scenario.device, configuration: configuration).trips
        #expect(split.count == trips.count + scenario.truth.gaps.count)
        for gap in scenario.truth.gaps {
            #expect(
                split.contains {
                    $0.endReason == .signalGap && $0.endMs < gap.startMs && gap.startMs - $0.endMs <= 1000
                })
        }
    }
}
