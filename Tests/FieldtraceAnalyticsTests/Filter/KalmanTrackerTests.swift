import FieldtraceAnalytics
import FieldtraceCore
import Foundation
import Testing

@Suite struct KalmanTrackerTests {
    typealias F = FilterFixtures
    /// Per-axis noise of the hand-made tracks: HDOP 1 with the default UERE (5 m / sqrt 2).
    static let sigma = 5 / 2.0.squareRoot()

    /// `count` fixes at 1 Hz moving at `velocity` (m/s east, north) from the origin, with noise.
    static func line(
        count: Int, velocity: (Double, Double) = (0, 0), seed: UInt64 = 1, reportVelocity: Bool = false,
        start: Double = 0
    ) -> (fixes: [Fix], truth: [(east: Double, north: Double)]) {
        var noise = GaussianNoise(seed: seed)
        var fixes: [Fix] = []
        var truth: [(east: Double, north: Double)] = []
        let speed = (velocity.0 * velocity.0 + velocity.1 * velocity.1).squareRoot()
        var course = atan2Degrees(velocity.0, velocity.1)
        if course < 0 { course += 360 }
        for i in 0..<count {
            let t = start + Double(i)
            let e = velocity.0 * t
            let n = velocity.1 * t
            truth.append((e, n))
            fixes.append(
                F.fix(
                    t, east: e + sigma * noise.next(), north: n + sigma * noise.next(), hdop: 1,
                    speedMps: reportVelocity ? speed : nil, courseDeg: reportVelocity && speed > 0 ? course : nil))
        }
        return (fixes, truth)
    }

    static func atan2Degrees(_ y: Double, _ x: Double) -> Double {
        // Only the axis directions are used in these tests.
        if y == 0 && x == 0 { return 0 }
        if y == 0 { return x > 0 ? 0 : 180 }
        if x == 0 { return y > 0 ? 90 : 270 }
        preconditionFailure("axis directions only")
    }

    static func rms(_ values: [Double]) -> Double {
        (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
    }

    static let positionOnly = KalmanTracker.Configuration(useReportedVelocity: false)

    @Test func aStandingWorkerIsAveraged() {
        let (fixes, _) = Self.line(count: 600)
        let estimates = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        let raw = (100..<600).map {
            F.distance(latitudeE7: fixes[$0].latitudeE7, longitudeE7: fixes[$0].longitudeE7, east: 0, north: 0)
        }
        let filtered = (100..<600).map {
            F.distance(latitudeE7: estimates[$0].latitudeE7, longitudeE7: estimates[$0].longitudeE7, east: 0, north: 0)
        }
        #expect(Self.rms(filtered) < 0.75 * Self.rms(raw), "\(Self.rms(filtered)) vs raw \(Self.rms(raw))")
        #expect(estimates[599].speedMps < 3, "the velocity of a standing worker stays near zero")
        #expect(estimates[0].status == .started)
        #expect(estimates[1...].allSatisfy { $0.status == .updated })
    }

    @Test func aSteadyDriveIsTrackedWithItsVelocity() {
        let (fixes, truth) = Self.line(count: 300, velocity: (12, 0))
        let estimates = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        let errors = (50..<300).map {
            F.distance(
                latitudeE7: estimates[$0].latitudeE7, longitudeE7: estimates[$0].longitudeE7, east: truth[$0].east,
                north: truth[$0].north)
        }
        #expect(Self.rms(errors) < 0.8 * Self.sigma * 2.0.squareRoot())
        #expect(abs(estimates[299].eastVelocityMps - 12) < 1)
        #expect(abs(estimates[299].northVelocityMps) < 1)
    }

    @Test func reportedVelocityIsUsedWhenConfigured() {
        let (fixes, _) = Self.line(count: 8, velocity: (0, 10), reportVelocity: true)
        let with = KalmanTracker.filter(fixes)
        let without = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        #expect(abs(with[2].northVelocityMps - 10) < 0.5)
        #expect(abs(without[2].northVelocityMps - 10) > abs(with[2].northVelocityMps - 10))
        // A standing worker reporting speed 0 and no course is measured as standing.
        var still = F.fix(0, hdop: 1, speedMps: 0)
        var tracker = KalmanTracker()
        _ = tracker.process(still)
        still.timeMs += 1000
        still.speedMps = 0.1
        let estimate = tracker.process(still)
        #expect(estimate.speedMps < 0.2)
    }

    @Test(arguments: [0, 30, 90, 135, 180, 225, 270, 300, 359.9, -90, 450] as [Double])
    func aReportedCourseGivesTheVelocityDirection(course: Double) {
        var tracker = KalmanTracker()
        let start = tracker.process(F.fix(0, hdop: 1, speedMps: 10, courseDeg: course))
        let radians = course * Double.pi / 180
        #expect(abs(start.eastVelocityMps - 10 * sin(radians)) < 1e-9)
        #expect(abs(start.northVelocityMps - 10 * cos(radians)) < 1e-9)
    }

    @Test func aSingleOutlierIsGatedOutAndBarelyMovesTheEstimate() {
        var (fixes, _) = Self.line(count: 120, velocity: (10, 0))
        var flagged = fixes
        fixes[80] = F.fix(80, east: 800, north: 100, hdop: 1)
        flagged[80] = fixes[80]
        flagged[80].flags.insert(.outlier)
        let with = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        let without = KalmanTracker.filter(flagged, configuration: Self.positionOnly)
        #expect(with[80].status == .gatedOut && with[80].isRejected)
        #expect(without[80].status == .skipped)
        for i in 80..<120 {
            let a = F.metres(latitudeE7: with[i].latitudeE7, longitudeE7: with[i].longitudeE7)
            let b = F.metres(latitudeE7: without[i].latitudeE7, longitudeE7: without[i].longitudeE7)
            let moved = ((a.east - b.east) * (a.east - b.east) + (a.north - b.north) * (a.north - b.north)).squareRoot()
            #expect(moved < 2, "fix \(i) moved \(moved) m")
        }
    }

    @Test func aRunOfRejectionsResetsToTheMeasurement() {
        // Standing at the origin, then (no gap) standing 500 m north: the prediction is wrong.
        var (fixes, _) = Self.line(count: 100)
        let (later, _) = Self.line(count: 30, seed: 2, start: 100)
        fixes += later.map { fix in
            var moved = fix
            moved.latitudeE7 += CoordinateE7.fromDegrees(500 / F.plane.metersPerDegreeLatitude)
            return moved
        }
        let estimates = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        let resetAfter = KalmanTracker.Configuration().resetAfterRejections
        #expect(estimates[100..<(99 + resetAfter)].allSatisfy { $0.status == .gatedOut })
        #expect(estimates[99 + resetAfter].status == .reset)
        #expect(estimates[(100 + resetAfter)...].allSatisfy { $0.status == .updated })
        let last = estimates[129]
        #expect(F.distance(latitudeE7: last.latitudeE7, longitudeE7: last.longitudeE7, east: 0, north: 500) < 5)
    }

    @Test func aStopBetweenSparseFixesIsFollowedWithReportedVelocity() {
        // 0.1 Hz, east at 12 m/s; right after t = 100 s the car brakes (2.5 m/s^2, 28.8 m) and
        // stands: the fix at 110 s is 91 m behind the constant-velocity prediction.
        var noise = GaussianNoise(seed: 8)
        var fixes: [Fix] = []
        for t in stride(from: 0.0, through: 100, by: 10) {
            fixes.append(
                F.fix(
                    t, east: 12 * t + Self.sigma * noise.next(), north: Self.sigma * noise.next(), hdop: 1,
                    speedMps: 12, courseDeg: 90))
        }
        fixes.append(F.fix(110, east: 1_228.8, hdop: 1, speedMps: 0.05))
        let with = KalmanTracker.filter(fixes)
        #expect(with[11].status == .updated)
        #expect(
            F.distance(latitudeE7: with[11].latitudeE7, longitudeE7: with[11].longitudeE7, east: 1_228.8, north: 0) < 8)
    }

    @Test func aGapRestartsTheState() {
        let (first, _) = Self.line(count: 60, velocity: (10, 0))
        let (second, _) = Self.line(count: 10, velocity: (10, 0), start: 60 + 121)
        let estimates = KalmanTracker.filter(first + second, configuration: Self.positionOnly)
        #expect(estimates[60].status == .started)
        #expect(estimates[60].speedMps == 0)
        let (close, _) = Self.line(count: 10, velocity: (10, 0), start: 60 + 119)
        #expect(KalmanTracker.filter(first + close, configuration: Self.positionOnly)[60].status == .updated)
    }

    @Test func flaggedFixesAreSkippedAndPredicted() {
        let (fixes, _) = Self.line(count: 60, velocity: (10, 0))
        var flagged = fixes
        flagged[40].flags.insert(.outlier)
        flagged[41].flags.remove(.valid)
        let estimates = KalmanTracker.filter(flagged, configuration: Self.positionOnly)
        #expect(estimates[40].status == .skipped && estimates[41].status == .skipped)
        // The prediction moves on at the estimated velocity.
        let a = F.metres(latitudeE7: estimates[39].latitudeE7, longitudeE7: estimates[39].longitudeE7)
        let b = F.metres(latitudeE7: estimates[41].latitudeE7, longitudeE7: estimates[41].longitudeE7)
        #expect(abs(b.east - a.east - 20) < 1)
        // Skipping is the same as not seeing the fixes (up to E7 rounding).
        let dropped = KalmanTracker.filter(
            Array(fixes[..<40]) + Array(fixes[42...]), configuration: Self.positionOnly)
        #expect(abs(Int(dropped[50].latitudeE7) - Int(estimates[52].latitudeE7)) <= 1)
        #expect(abs(Int(dropped[50].longitudeE7) - Int(estimates[52].longitudeE7)) <= 1)
    }

    @Test func aSkippedFixLongAfterTheLastUpdateIsNotExtrapolated() {
        let (fixes, _) = Self.line(count: 30, velocity: (10, 0))
        var late = F.fix(3_600, east: 5, hdop: 1)
        late.flags.insert(.outlier)
        let estimates = KalmanTracker.filter(fixes + [late], configuration: Self.positionOnly)
        #expect(estimates[30].status == .skipped)
        #expect(estimates[30].latitudeE7 == estimates[29].latitudeE7)
        #expect(estimates[30].longitudeE7 == estimates[29].longitudeE7)
    }

    @Test func beforeAnyStateASkippedFixIsPassedThrough() {
        let bad = F.fix(0, east: 30, valid: false)
        var tracker = KalmanTracker()
        let estimate = tracker.process(bad)
        #expect(estimate.status == .skipped)
        #expect(estimate.latitudeE7 == bad.latitudeE7 && estimate.longitudeE7 == bad.longitudeE7)
        #expect(estimate.positionSigmaM == .infinity)
        #expect(tracker.process(F.fix(1, hdop: 1)).status == .started)
    }

    @Test func anEarlierFixIsSkipped() {
        var tracker = KalmanTracker()
        _ = tracker.process(F.fix(10, hdop: 1))
        let early = tracker.process(F.fix(5, east: 40, hdop: 1))
        #expect(early.status == .skipped)
        #expect(F.distance(latitudeE7: early.latitudeE7, longitudeE7: early.longitudeE7, east: 0, north: 0) < 0.1)
    }

    @Test func aCoarseFixIsWeightedByItsAccuracy() {
        let (fixes, _) = Self.line(count: 100)
        var tracker = KalmanTracker(configuration: Self.positionOnly)
        var before = tracker.process(fixes[0])
        for fix in fixes.dropFirst() { before = tracker.process(fix) }
        var coarseTracker = tracker
        let coarse = coarseTracker.process(F.fix(100, east: 40, accuracyM: 500, hdop: 1))
        let sharp = tracker.process(F.fix(100, east: 40, hdop: 1))
        #expect(coarse.status == .updated)
        let a = F.metres(latitudeE7: before.latitudeE7, longitudeE7: before.longitudeE7)
        let b = F.metres(latitudeE7: coarse.latitudeE7, longitudeE7: coarse.longitudeE7)
        #expect(abs(b.east - a.east) < 0.5)
        #expect(sharp.status == .gatedOut)
    }

    @Test func aLongDriveKeepsItsAccuracyAcrossPlaneMoves() {
        // 2,400 s at 30 m/s north: 72 km, several re-anchorings of the plane.
        let (fixes, truth) = Self.line(count: 2_400, velocity: (0, 30), reportVelocity: true)
        let estimates = KalmanTracker.filter(fixes)
        let errors = (20..<2_400).map {
            F.distance(
                latitudeE7: estimates[$0].latitudeE7, longitudeE7: estimates[$0].longitudeE7, east: truth[$0].east,
                north: truth[$0].north)
        }
        #expect(errors.max()! < 12, "max \(errors.max()!)")
        #expect(Self.rms(errors) < 0.6 * Self.sigma * 2.0.squareRoot())
        #expect(!estimates.contains { $0.status == .reset || $0.status == .started && $0.timeMs > F.t0 })
        #expect(estimates.filter { $0.status == .gatedOut }.count < 10)
    }

    @Test func theAntimeridianIsCrossedSmoothly() {
        let plane = LocalTangentPlane(originLatitude: -16.5, originLongitude: 179.995)
        var noise = GaussianNoise(seed: 5)
        var fixes: [Fix] = []
        for i in 0..<200 {
            let p = plane.unproject(
                eastM: Double(i) * 10 + Self.sigma * noise.next(), northM: Self.sigma * noise.next())
            fixes.append(
                Fix(
                    device: F.device, timeMs: F.t0 + Int64(i) * 1000,
                    latitudeE7: CoordinateE7.fromDegrees(p.latitude),
                    longitudeE7: CoordinateE7.fromDegrees(p.longitude),
                    hdop: 1))
        }
        let estimates = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        #expect(estimates.allSatisfy { $0.status == .started || $0.status == .updated })
        for i in 20..<200 {
            let p = plane.project(
                latitude: Double(estimates[i].latitudeE7) / 1e7, longitude: Double(estimates[i].longitudeE7) / 1e7)
            #expect(abs(p.eastM - Double(i) * 10) < 8 && abs(p.northM) < 8, "fix \(i): \(p)")
            #expect(abs(estimates[i].longitudeE7) <= 1_800_000_000)
        }
    }

    @Test func anEstimateAppliedToAFixReplacesOnlyTheCoordinates() {
        let fix = F.fix(0, east: 3, hdop: 1.2, speedMps: 4, courseDeg: 90)
        let estimate = KalmanEstimate(
            timeMs: fix.timeMs, latitudeE7: 481_000_000, longitudeE7: 115_000_000, eastVelocityMps: 0,
            northVelocityMps: 0, positionSigmaM: 1, status: .gatedOut)
        let applied = estimate.applied(to: fix)
        #expect(applied.latitudeE7 == 481_000_000 && applied.longitudeE7 == 115_000_000)
        #expect(applied.flags.contains(.outlier) && applied.flags.contains(.valid))
        #expect(applied.hdop == 1.2 && applied.speedMps == 4 && applied.timeMs == fix.timeMs)
        var accepted = estimate
        accepted.status = .updated
        #expect(!accepted.applied(to: fix).flags.contains(.outlier))
    }

    @Test func onlineAndBatchAgree() {
        let track = FilterSyntheticTrack.make(seed: 4, .init(seconds: 5_000))
        var tracker = KalmanTracker()
        let online = track.fixes.map { tracker.process($0) }
        #expect(online == KalmanTracker.filter(track.fixes))
    }
}
