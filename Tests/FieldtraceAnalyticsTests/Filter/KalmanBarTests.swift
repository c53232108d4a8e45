import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

/// The Kalman bars on whole simulated days: 1 Hz, 5 m noise (horizontal RMS), outliers:
/// the `workday-drive` and `workday-walk` scenarios (seeds 1-3) and this folder's synthetic days
/// (harder turns: 90 degrees at up to 5 m/s^2, white noise only).
///
/// - Raw error: RMS distance of the raw fixes to the truth over the fixes that are NOT injected
///   outliers (the outliers would dominate it and flatter the filter).
/// - Filtered error: RMS over EVERY fix (the estimate at an outlier counts like any other).
/// - Bars: online <= 0.7 x raw, RTS <= 0.4 x raw; no outlier moves the estimate by more than
///   10 m, measured as the largest distance between the estimates with the outliers in the
///   input and with them flagged (skipped), over every fix.
@Suite struct KalmanBarTests {
    struct Day {
        var name: String
        var seed: UInt64
        var fixes: [Fix]
        var truth: [(latitude: Double, longitude: Double)]
        var outlierIndices: [Int]
    }

    static func syntheticDays() -> [Day] {
        var days: [Day] = []
        for seed in [1, 2, 3] as [UInt64] {
            for walking in [false, true] {
                var options = FilterSyntheticTrack.Options()
                options.walking = walking
                options.outlierProbability = 0.01
                let track = FilterSyntheticTrack.make(seed: seed, options)
                days.append(
                    Day(
                        name: walking ? "synthetic-walk" : "synthetic-drive", seed: seed, fixes: track.fixes,
                        truth: track.truth, outlierIndices: track.outlierIndices))
            }
        }
        return days
    }

    static func largestShift(_ a: [KalmanEstimate], _ b: [KalmanEstimate]) -> (meters: Double, index: Int) {
        var worst = (meters: 0.0, index: -1)
        for i in a.indices {
            let d = Geodesy.haversineMeters(
                lat1: Double(a[i].latitudeE7) / 1e7, lon1: Double(a[i].longitudeE7) / 1e7,
                lat2: Double(b[i].latitudeE7) / 1e7, lon2: Double(b[i].longitudeE7) / 1e7)
            if d > worst.meters { worst = (d, i) }
        }
        return worst
    }

    static func check(_ day: Day) {
        let outliers = Set(day.outlierIndices)
        #expect(outliers.count > 100, "\(day.name) seed \(day.seed): the day must have outliers")
        let raw = TrackError.rawRMS(day.fixes, truth: day.truth, outliers: outliers)
        let online = KalmanTracker.filter(day.fixes)
        let smoothed = RTSSmoother.smooth(day.fixes)
        let onlineRMS = TrackError.rms(online, truth: day.truth)
        let smoothedRMS = TrackError.rms(smoothed, truth: day.truth)
        let label = "\(day.name) seed \(day.seed): raw \(raw) m, online \(onlineRMS) m, rts \(smoothedRMS) m"
        #expect(onlineRMS <= 0.7 * raw, "\(label)")
        #expect(smoothedRMS <= 0.4 * raw, "\(label)")

        var flagged = day.fixes
        for i in day.outlierIndices { flagged[i].flags.insert(.outlier) }
        let onlineShift = largestShift(online, KalmanTracker.filter(flagged))
        let smoothedShift = largestShift(smoothed, RTSSmoother.smooth(flagged))
        #expect(onlineShift.meters <= 10, "\(label): online moved \(onlineShift.meters) m at fix \(onlineShift.index)")
        #expect(
            smoothedShift.meters <= 10, "\(label): rts moved \(smoothedShift.meters) m at fix \(smoothedShift.index)")
        let caught = day.outlierIndices.filter { online[$0].status == .gatedOut }.count
        #expect(Double(caught) >= 0.95 * Double(outliers.count), "\(label): \(caught) of \(outliers.count) gated")
    }

    static func scenarioDay(_ name: String, seed: UInt64) -> Day {
        let scenario = ScenarioCatalog.make(name, seed: seed)!
        return Day(
            name: name, seed: seed, fixes: scenario.fixes,
            truth: scenario.truth.positions.map { ($0.latitude, $0.longitude) },
            outlierIndices: scenario.truth.outlierIndices)
    }

    @Test(arguments: ["workday-drive", "workday-walk"], [1, 2, 3] as [UInt64])
    func scenarioDaysMeetTheBars(name: String, seed: UInt64) {
        Self.check(Self.scenarioDay(name, seed: seed))
    }

    /// Not a bar of the issue: on a 0.1 Hz day (turns and stops fall between fixes) the
    /// constant-velocity model has little to add, but it must not make the track worse.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func aSparseDayIsNotMadeWorse(seed: UInt64) {
        let day = Self.scenarioDay("sparse", seed: seed)
        let raw = TrackError.rawRMS(day.fixes, truth: day.truth, outliers: Set(day.outlierIndices))
        let online = TrackError.rms(KalmanTracker.filter(day.fixes), truth: day.truth)
        let smoothed = TrackError.rms(RTSSmoother.smooth(day.fixes), truth: day.truth)
        #expect(online <= 1.15 * raw, "sparse seed \(seed): raw \(raw) m, online \(online) m")
        #expect(smoothed <= 1.05 * raw, "sparse seed \(seed): raw \(raw) m, rts \(smoothed) m")
    }

    @Test func syntheticDaysMeetTheBars() {
        for day in Self.syntheticDays() { Self.check(day) }
    }

}
