import FieldtraceCore
import FieldtraceTestSupport
import Testing

/// The scoring helpers on small hand-made inputs whose answers are known.
@Suite struct ScenarioScoringTests {
    /// Metres per degree of latitude on Core's sphere.
    static let metersPerDegree = Geodesy.earthRadiusM * Double.pi / 180

    static func stop(_ start: Int64, _ end: Int64) -> TruthInterval {
        TruthInterval(startMs: start, endMs: end, latitude: 0, longitude: 0)
    }

    @Test func positionErrorInterpolatesTheTruthAndExcludesOutliers() {
        // Truth walks north 10 m per second along a meridian, then a gap from 2 s to 60 s.
        let step = 10 / Self.metersPerDegree
        let truth = [0, 1000, 2000, 60_000].enumerated().map {
            TruePosition(timeMs: Int64($0.element), latitude: Double($0.offset) * step, longitude: 0)
        }
        let estimates: [(timeMs: Int64, latitude: Double, longitude: Double)] = [
            (0, 3 / Self.metersPerDegree, 0),  // 3 m off
            (500, 0.5 * step + 4 / Self.metersPerDegree, 0),  // halfway, 4 m off
            (1000, 200 / Self.metersPerDegree, 0),  // an outlier fix time, excluded
            (30_000, 0, 0),  // inside the gap: not scored
            (-5, 0, 0),  // before the truth: not scored
        ]
        let score = ScenarioScoring.positionError(estimates, truth: truth, excluding: [1])
        #expect(score.count == 2 && score.skipped == 3)
        #expect(abs(score.rmsM - ((9.0 + 16.0) / 2).squareRoot()) < 1e-6)
        #expect(abs(score.maxM - 4) < 1e-6)
        let all = ScenarioScoring.positionError(estimates, truth: truth)
        #expect(all.count == 3 && abs(all.maxM - 190) < 1e-6)
    }

    @Test func positionErrorOfAScenarioIsItsNoiseFigure() {
        let s = ScenarioCache.scenario("workday-drive", 1)
        let raw = ScenarioScoring.positionError(
            of: s.fixes, truth: s.truth.positions, excluding: s.truth.outlierIndices)
        #expect(raw.count == s.fixes.count - s.truth.outlierIndices.count)
        #expect(abs(raw.rmsM - 5) < 0.5)
        let truthItself = ScenarioScoring.positionError(
            s.truth.positions.map { ($0.timeMs, $0.latitude, $0.longitude) }, truth: s.truth.positions)
        #expect(truthItself.maxM < 1e-6)
    }

    @Test func stopsScorePrecisionRecallFragmentationAndErrors() {
        let truth = [Self.stop(0, 600_000), Self.stop(1_000_000, 2_000_000), Self.stop(3_000_000, 3_300_000)]
        let pauses = [Self.stop(2_500_000, 2_540_000)]
        let detected: [(startMs: Int64, endMs: Int64)] = [
            (10_000, 590_000),  // stop 1: 10 s late, 10 s early
            (1_030_000, 1_400_000), (1_420_000, 1_990_000),  // stop 2 split in two
            (2_490_000, 2_560_000),  // a traffic pause taken for a stop
        ]
        let score = ScenarioScoring.scoreStops(detected, truth: truth, pauses: pauses)
        #expect(score.trueStops == 3 && score.detections == 4)
        #expect(score.matchedStops == 2 && score.matchedDetections == 3)
        #expect(score.precision == 0.75)
        #expect(abs(score.recall - 2.0 / 3) < 1e-12)
        #expect(score.fragmentation == 1.5)
        #expect(score.medianStartErrorMs == 20_000)  // 10 s and 30 s
        #expect(score.medianEndErrorMs == 10_000)  // 10 s and 10 s
        #expect(score.maxStartErrorMs == 30_000)
        #expect(score.pauseOverlaps == 1)
    }

    @Test func stopsPerfectAndEmpty() {
        let truth = [Self.stop(0, 600_000)]
        let perfect = ScenarioScoring.scoreStops([(0, 600_000)], truth: truth)
        #expect(perfect.precision == 1 && perfect.recall == 1 && perfect.fragmentation == 1)
        #expect(perfect.medianStartErrorMs == 0)
        let none = ScenarioScoring.scoreStops([], truth: truth)
        #expect(none.recall == 0 && none.precision == 1 && none.medianStartErrorMs == nil)
        // Touching is not overlapping.
        #expect(ScenarioScoring.scoreStops([(600_000, 700_000)], truth: truth).matchedStops == 0)
    }

    @Test func visitsScoreSpuriousMissedErrorAndDelay() {
        let truth = [
            TruthVisit(fenceID: "a", enterMs: 100_000, exitMs: 900_000),
            TruthVisit(fenceID: "b", enterMs: 200_000, exitMs: nil),
        ]
        let detected = [
            ScenarioScoring.Transition(fenceID: "a", isEnter: true, timeMs: 104_000, detectedAtMs: 130_000),
            ScenarioScoring.Transition(fenceID: "a", isEnter: false, timeMs: 300_000, detectedAtMs: 330_000),  // flap
            ScenarioScoring.Transition(fenceID: "a", isEnter: true, timeMs: 320_000, detectedAtMs: 350_000),  // flap
            ScenarioScoring.Transition(fenceID: "a", isEnter: false, timeMs: 898_000, detectedAtMs: 960_000),
            ScenarioScoring.Transition(fenceID: "c", isEnter: true, timeMs: 200_000),  // no such visit
        ]
        let score = ScenarioScoring.scoreVisits(detected, truth: truth)
        #expect(score.trueCrossings == 3 && score.detectedTransitions == 5)
        #expect(score.matched == 2 && score.spurious == 3 && score.missed == 1)
        #expect(score.medianCrossingErrorMs == 3000)  // 4 s and 2 s
        #expect(score.maxCrossingErrorMs == 4000)
        #expect(score.medianDelayMs == 45_000)  // 30 s and 60 s
        #expect(score.maxDelayMs == 60_000)
        // A transition in the wrong direction does not match.
        let wrong = ScenarioScoring.scoreVisits(
            [.init(fenceID: "b", isEnter: false, timeMs: 200_000)], truth: truth)
        #expect(wrong.matched == 0 && wrong.spurious == 1)
    }

    @Test func deviationsFoundMissedAndFalse() {
        let truth = [
            TruthDeviation(routeID: "r", startMs: 1_000_000, endMs: 1_300_000),
            TruthDeviation(routeID: "r", startMs: 5_000_000, endMs: 5_200_000),
        ]
        let detected: [(routeID: String, startMs: Int64, endMs: Int64?)] = [
            ("r", 1_045_000, 1_310_000),  // found, 45 s late
            ("r", 3_000_000, 3_100_000),  // false
            ("other", 5_010_000, nil),  // another route: false, and the second is missed
        ]
        let score = ScenarioScoring.scoreDeviations(detected, truth: truth)
        #expect(score.trueDeviations == 2 && score.detections == 3)
        #expect(score.found == 1 && score.missed == 1 && score.falseDeviations == 2)
        #expect(score.startErrorsMs == [45_000] && score.maxAbsStartErrorMs == 45_000)
        let open = ScenarioScoring.scoreDeviations([("r", 4_990_000, nil)], truth: truth)
        #expect(open.found == 1 && open.startErrorsMs == [-10_000])
    }
}
