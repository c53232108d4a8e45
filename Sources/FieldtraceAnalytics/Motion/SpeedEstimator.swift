import FieldtraceCore

/// A speed per fix that one bad fix cannot inflate, for maximum speeds and overspeed.
///
/// With a reported speed (Doppler, from the receiver), the speed is the lesser of the fix's
/// and the previous fix's reported speed: a single spike is ignored. Without, it is measured
/// from positions: the displacement over a window of at least `windowSeconds` (the fix
/// and the latest fix at least that much older), and the result is the least of the last three
/// such windowed speeds. One bad fix is an endpoint of at most two windows, so it cannot
/// raise the result; a real speed must last about the window plus two fixes to count.
/// Displacement (chord) rather than path length keeps noise from adding up; it reads slightly
/// low in sharp turns (a 90 degree turn within the window reads about 10% low).
///
/// O(1) per fix amortised; keeps the fixes of one window; no allocation once warmed up.
struct SpeedEstimator: Sendable {
    private struct Point: Sendable {
        var timeMs: Int64
        var latitude: Double
        var longitude: Double
    }

    let windowMs: Int64
    let resetGapMs: Int64
    private var frame = PlaneFrame()
    private var recent = TimeRing<Point>()
    private var windowed: (Double, Double, Double) = (0, 0, 0)
    private var windowedCount = 0
    private var lastReportedMps: Double?

    /// - Parameters:
    ///   - windowSeconds: shortest window of a positional speed.
    ///   - resetGapSeconds: a gap longer than this starts afresh (speeds never span it).
    init(windowSeconds: Double, resetGapSeconds: Double) {
        windowMs = max(1, Int64(windowSeconds * 1000))
        resetGapMs = Int64(resetGapSeconds * 1000)
    }

    /// The robust speed at this fix, m/s (0 for the first fix without a reported speed).
    mutating func update(_ fix: Fix) -> Double {
        let t = fix.timeMs
        if let last = recent.last, t - last.timeMs > resetGapMs {
            recent.removeAll()
            windowedCount = 0
            lastReportedMps = nil
        }
        frame.rebaseIfFar(fix)
        recent.append(Point(timeMs: t, latitude: fix.latitude, longitude: fix.longitude))
        while recent.count > 2 && recent[recent.startIndex + 1].timeMs <= t - windowMs { recent.removeFirst() }
        var positional = 0.0
        if recent.count >= 2, let start = recent.first, t > start.timeMs {
            let a = frame.plane.project(latitude: start.latitude, longitude: start.longitude)
            let b = frame.plane.project(latitude: fix.latitude, longitude: fix.longitude)
            let de = b.eastM - a.eastM
            let dn = b.northM - a.northM
            windowed = ((de * de + dn * dn).squareRoot() * 1000 / Double(t - start.timeMs), windowed.0, windowed.1)
            windowedCount += 1
            positional =
                windowedCount >= 3
                ? min(windowed.0, windowed.1, windowed.2)
                : windowedCount == 2 ? min(windowed.0, windowed.1) : windowed.0
        }
        guard let reported = fix.speedMps, reported.isFinite, reported >= 0 else { return positional }
        defer { lastReportedMps = reported }
        return min(reported, lastReportedMps ?? reported)
    }
}
