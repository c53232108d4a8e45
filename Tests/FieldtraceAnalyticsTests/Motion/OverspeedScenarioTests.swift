import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

/// Overspeed on the simulator's driving days against the true speed (from the true positions),
/// with the reported speed and, with it removed, from positions alone.
@Suite struct OverspeedScenarioTests {
    /// Stretches where the true speed stays above `limit` for at least `minimum` seconds, dips
    /// shorter than `dwell` seconds bridged: (first second above, first second back at or below).
    func trueStretches(_ scenario: Scenario, limit: Double, minimum: Int64, dwell: Int64) -> [(Int64, Int64)] {
        let p = scenario.truth.positions
        var stretches: [(Int64, Int64)] = []
        var open: (start: Int64, lastAbove: Int64)?
        for i in 1..<p.count {
            let dt = Double(p[i].timeMs - p[i - 1].timeMs) / 1000
            let v =
                Geodesy.haversineMeters(
                    lat1: p[i - 1].latitude, lon1: p[i - 1].longitude, lat2: p[i].latitude, lon2: p[i].longitude) / dt
            let t = p[i].timeMs
            if v > limit {
                if let o = open, t - o.lastAbove <= dwell * 1000 {
                    open = (o.start, t)
                } else {
                    if let o = open, o.lastAbove - o.start >= minimum * 1000 {
                        stretches.append((o.start, o.lastAbove))
                    }
                    open = (t, t)
                }
            }
        }
        if let o = open, o.lastAbove - o.start >= minimum * 1000 { stretches.append((o.start, o.lastAbove)) }
        return stretches
    }

    @Test(arguments: [UInt64(1), 2, 3]) func stretchesMatchTheTrueSpeed(seed: UInt64) {
        let scenario = ScenarioCatalog.make("workday-drive", seed: seed)!
        let limit = 45 / 3.6
        // Clear cases only: true runs well above the limit must be found; detections must overlap
        // a run above the limit less a margin (speed noise).
        let clear = trueStretches(scenario, limit: limit + 0.5, minimum: 20, dwell: 5)
        let loose = trueStretches(scenario, limit: limit - 1, minimum: 5, dwell: 5)
        #expect(!clear.isEmpty, "seed \(seed): the day should have some fast legs")
        let positional = scenario.fixes.map {
            var fix = $0
            fix.speedMps = nil
            return fix
        }
        for (label, fixes) in [("reported", scenario.fixes), ("positions", positional)] {
            let events = OverspeedDetector.detect(
                fixes, device: scenario.device, limit: .constant(metersPerSecond: limit))
            let starts = events.filter { $0.kind == .overspeedStart }
            let ends = events.filter { $0.kind == .overspeedEnd }
            #expect(starts.count == ends.count)
            let detected = zip(starts, ends).map { ($0.timeMs, $1.timeMs) }
            for s in clear {
                #expect(
                    detected.contains { $0.0 <= s.1 && s.0 <= $0.1 }, "seed \(seed) \(label): missed \(s)")
            }
            for d in detected {
                #expect(loose.contains { d.0 <= $0.1 && $0.0 <= d.1 }, "seed \(seed) \(label): false \(d)")
            }
        }
    }
}
