/// The state machine of one device against one fence (see `GeofenceMonitor` for the rules).
///
/// Every fix gives a signed distance `d` (metres, negative inside) and an accuracy radius `r`.
/// A fix votes only if its accuracy circle does not straddle the boundary (`|d| >= r`); it is
/// *beyond* on a side if it is at least `band = max(margin, r)` deep into it, else *between*.
/// Votes are kept in a small ring (the last `windowCapacity` voting fixes) for the dwell test.
struct GeofenceTrack {
    /// Voting fixes remembered for the dwell window and the crossing fit. 256 covers a 2-minute
    /// dwell plus the fit's window before the crossing at 1 Hz; at higher rates the tests use
    /// the most recent 256 fixes.
    static let windowCapacity = 256

    /// Vote classes.
    static let beyondInside: UInt8 = 0
    static let betweenInside: UInt8 = 1
    static let betweenOutside: UInt8 = 2
    static let beyondOutside: UInt8 = 3

    /// A confirmed event before it becomes an `AnalyticsEvent`.
    struct Confirmed {
        var kind: EventKind
        var timeMs: Int64
        var distanceM: Double
        var durationMs: Int64?
    }

    let fence: Int32
    /// The confirmed side.
    var inside = false
    /// A transition to the other side is pending since `crossingMs`.
    var pending = false
    var crossingMs: Int64 = 0
    var pendingVotes = 0
    var pendingContrary = 0
    /// Crossing time of the confirmed enter of the current visit.
    var visitStartMs: Int64?
    var dwellReported = false
    /// The last fix on the confirmed side (time, signed distance): one end of the interpolation.
    var lastStableTimeMs: Int64?
    var lastStableDistanceM = 0.0
    private var times: [Int64]
    private var classes: [UInt8]
    private var distances: [Float]
    private var head = 0
    private var filled = 0

    init(fence: Int32) {
        self.fence = fence
        times = Array(repeating: 0, count: Self.windowCapacity)
        classes = Array(repeating: 0, count: Self.windowCapacity)
        distances = Array(repeating: 0, count: Self.windowCapacity)
    }

    var state: GeofenceState {
        switch (inside, pending) {
        case (false, false): .outside
        case (false, true): .enteringPending
        case (true, false): .inside
        case (true, true): .exitingPending
        }
    }

    /// Whether the track can be dropped: confirmed outside, nothing pending, and far enough that
    /// a new approach must cross the boundary again (the monitor recreates it then).
    func isIdle(distanceM d: Double, marginM: Double) -> Bool {
        !inside && !pending && d > max(2 * marginM, 100)
    }

    /// Feeds one fix; appends confirmed transitions (and a dwell) to `out`.
    mutating func step(
        timeMs t: Int64, distanceM d: Double, accuracyM r: Double, rules: GeofenceMonitor.FenceRules,
        configuration c: GeofenceMonitor.Configuration, out: inout [Confirmed]
    ) {
        let rawInside = d <= 0
        let voting = abs(d) >= r
        let band = max(rules.marginM, r)
        let vote: UInt8 =
            d <= -band ? Self.beyondInside : d <= 0 ? Self.betweenInside : d < band ? Self.betweenOutside : Self.beyondOutside
        if voting { record(t, vote, d) }

        if !pending {
            if rawInside == inside {
                lastStableTimeMs = t
                lastStableDistanceM = d
                checkDwell(t, d, rules, &out)
                return
            }
            // A straddling fix is no evidence of a crossing: keep the state.
            guard voting else { return }
            pending = true
            crossingMs = interpolatedCrossing(t, d)
            pendingVotes = 1
            pendingContrary = 0
        } else if voting {
            pendingVotes += 1
            if rawInside == inside {
                pendingContrary += 1
                // Back on the old side for most of the pending time (not one wild fix): cancel.
                if pendingContrary >= 2 && pendingContrary * 2 > pendingVotes {
                    pending = false
                    lastStableTimeMs = t
                    lastStableDistanceM = d
                    checkDwell(t, d, rules, &out)
                    return
                }
            }
        }
        let target = !inside
        guard voting, vote == (target ? Self.beyondInside : Self.beyondOutside) else { return }
        let dwellMs = target ? rules.enterDwellMs : rules.exitDwellMs
        guard t - crossingMs >= dwellMs else { return }
        let minimumVotes = max(1, c.minimumVotes)
        let (n, beyond, contrary) = windowCounts(since: t - dwellMs, atLeast: minimumVotes, target: target)
        guard beyond >= minimumVotes, beyond * 2 >= n, Double(contrary) <= c.maxContraryShare * Double(n)
        else { return }

        pending = false
        lastStableTimeMs = t
        lastStableDistanceM = d
        crossingMs = fittedCrossing(halfWindowMs: Int64(c.crossingFitHalfWindowS * 1000), entering: target)
        if target {
            inside = true
            visitStartMs = crossingMs
            dwellReported = false
            out.append(Confirmed(kind: .geofenceEnter, timeMs: crossingMs, distanceM: abs(d), durationMs: nil))
            checkDwell(t, d, rules, &out)
        } else {
            inside = false
            let duration = visitStartMs.map { crossingMs - $0 }
            visitStartMs = nil
            out.append(Confirmed(kind: .geofenceExit, timeMs: crossingMs, distanceM: abs(d), durationMs: duration))
        }
    }

    private mutating func checkDwell(_ t: Int64, _ d: Double, _ rules: GeofenceMonitor.FenceRules, _ out: inout [Confirmed]) {
        guard inside, !pending, !dwellReported, let start = visitStartMs, let threshold = rules.dwellThresholdMs,
            t - start >= threshold
        else { return }
        dwellReported = true
        out.append(Confirmed(kind: .geofenceDwell, timeMs: start + threshold, distanceM: abs(d), durationMs: threshold))
    }

    /// Crossing time between the last fix on the confirmed side and this one, by linear
    /// interpolation of signed distance (the zero of the line through both). Without an
    /// earlier fix (the device's first), the fix time itself.
    private func interpolatedCrossing(_ t: Int64, _ d: Double) -> Int64 {
        guard let ta = lastStableTimeMs, ta < t else { return t }
        let da = lastStableDistanceM
        let denominator = da - d
        let f = denominator != 0 ? min(1, max(0, da / denominator)) : 1
        return ta + Int64((Double(t - ta) * f).rounded())
    }

    private mutating func record(_ t: Int64, _ vote: UInt8, _ d: Double) {
        times[head] = t
        classes[head] = vote
        distances[head] = Float(d)
        head = head + 1 == Self.windowCapacity ? 0 : head + 1
        filled = min(filled + 1, Self.windowCapacity)
    }

    /// Over the remembered votes at or after `startMs` (or the newest `atLeast` votes since the
    /// crossing, if the dwell window holds fewer): their number, those beyond the margin on the
    /// target side, and those on the old side.
    private func windowCounts(since startMs: Int64, atLeast: Int, target: Bool) -> (Int, Int, Int) {
        var n = 0
        var beyond = 0
        var contrary = 0
        var i = head
        for _ in 0..<filled {
            i = i == 0 ? Self.windowCapacity - 1 : i - 1
            guard times[i] >= crossingMs, times[i] >= startMs || n < atLeast else { break }
            let v = classes[i]
            n += 1
            if v == (target ? Self.beyondInside : Self.beyondOutside) { beyond += 1 }
            if target ? v >= Self.betweenOutside : v <= Self.betweenInside { contrary += 1 }
        }
        return (n, beyond, contrary)
    }

    /// The crossing time refined by a line fitted to the signed distances of the voting fixes
    /// within `halfWindowMs` of the two-point estimate (least squares, then again without fixes
    /// more than 2.5 RMS off the first line, which drops multipath jumps). With GPS noise the
    /// two fixes around the crossing can be off by the noise over the speed (8 m at a walking
    /// 1.4 m/s is 6 s); the fit averages the noise of every fix near the crossing. The fit is
    /// used only if it has at least 4 fixes, its slope has the direction of the transition, and
    /// its zero lies within the window; otherwise the two-point interpolation stands.
    private func fittedCrossing(halfWindowMs: Int64, entering: Bool) -> Int64 {
        guard halfWindowMs > 0 else { return crossingMs }
        var pass = 0
        var rmsLimit = Double.infinity
        var a = 0.0
        var b = 0.0
        while pass < 2 {
            var n = 0.0
            var st = 0.0
            var sd = 0.0
            var stt = 0.0
            var std = 0.0
            var i = head
            for _ in 0..<filled {
                i = i == 0 ? Self.windowCapacity - 1 : i - 1
                let dt = times[i] - crossingMs
                if dt > halfWindowMs { continue }
                if dt < -halfWindowMs { break }
                let x = Double(dt) / 1000
                let y = Double(distances[i])
                if pass == 1 && abs(y - (a + b * x)) > rmsLimit { continue }
                n += 1
                st += x
                sd += y
                stt += x * x
                std += x * y
            }
            let denominator = n * stt - st * st
            guard n >= 4, denominator > 0 else { return crossingMs }
            b = (n * std - st * sd) / denominator
            a = (sd - b * st) / n
            if pass == 0 {
                // Residual RMS of the first fit, for the outlier cut of the second.
                var sum = 0.0
                var j = head
                for _ in 0..<filled {
                    j = j == 0 ? Self.windowCapacity - 1 : j - 1
                    let dt = times[j] - crossingMs
                    if dt > halfWindowMs { continue }
                    if dt < -halfWindowMs { break }
                    let r = Double(distances[j]) - (a + b * Double(dt) / 1000)
                    sum += r * r
                }
                rmsLimit = max(2.5 * (sum / n).squareRoot(), 1)
            }
            pass += 1
        }
        guard entering ? b < 0 : b > 0 else { return crossingMs }
        let zeroS = -a / b
        guard abs(zeroS) * 1000 <= Double(halfWindowMs) else { return crossingMs }
        return crossingMs + Int64((zeroS * 1000).rounded())
    }
}
