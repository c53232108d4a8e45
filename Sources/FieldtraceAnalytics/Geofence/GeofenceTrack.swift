/// The state machine of one device against one fence (see `GeofenceMonitor` for the rules).
///
/// Every fix gives a signed distance `d` (metres, negative inside) and an accuracy radius `r`.
/// A fix votes only if its accuracy circle does not straddle the boundary (`|d| >= r`); it is
/// *beyond* on a side if it is at least `max(margin, 2 r)` deep into it, else *between*. The last
/// `windowCapacity` fixes (time, class, distance) are kept in a ring for the dwell window, the
/// settle test and the crossing fit.
struct GeofenceTrack {
    /// Fixes remembered. 512 covers the 5-minute settle window (or a 2-minute dwell plus the
    /// crossing fit's window) at 1 Hz; at higher rates the tests use the most recent 512 fixes.
    static let windowCapacity = 512

    /// Classes of a remembered fix: voting (0-3) or not (4, 5).
    static let beyondInside: UInt8 = 0
    static let betweenInside: UInt8 = 1
    static let betweenOutside: UInt8 = 2
    static let beyondOutside: UInt8 = 3
    static let straddlingInside: UInt8 = 4
    static let straddlingOutside: UInt8 = 5

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
    /// When the pending transition's dwell clock started (see `step`).
    var clockStartMs: Int64 = 0
    var pendingVotes = 0
    var pendingContrary = 0
    var lastSettleCheckMs: Int64 = 0
    var lastChangePointMs: Int64 = 0
    /// Crossing time of the confirmed enter of the current visit.
    var visitStartMs: Int64?
    var dwellReported = false
    /// The last voting fix on the confirmed side (time, signed distance): one end of the
    /// crossing interpolation and the start of the dwell clock.
    var lastStableTimeMs: Int64?
    var lastStableDistanceM = 0.0
    /// The last fix on the confirmed side, voting or not: the other end of the interpolation.
    var lastOldSideTimeMs: Int64?
    var lastOldSideDistanceM = 0.0
    /// The previous fix (any side) and the first crossing since the last fix beyond the margin
    /// on the confirmed side.
    var previousTimeMs: Int64?
    var previousDistanceM = 0.0
    var crossingAfterClearMs: Int64?
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

    /// Feeds one fix; appends confirmed transitions (and a dwell) to `out`. `scratch` is a
    /// reusable buffer for the settle test's median.
    mutating func step(
        timeMs t: Int64, distanceM d: Double, accuracyM r: Double, rules: GeofenceMonitor.FenceRules,
        configuration c: GeofenceMonitor.Configuration, out: inout [Confirmed], scratch: inout [Double]
    ) {
        let rawInside = d <= 0
        let voting = abs(d) >= r
        let deep = c.beyondAccuracyFactor * r
        let vote: UInt8 =
            !voting
            ? (rawInside ? Self.straddlingInside : Self.straddlingOutside)
            : d <= -max(rules.insideMarginM, deep)
                ? Self.beyondInside
                : d <= 0 ? Self.betweenInside : d < max(rules.marginM, deep) ? Self.betweenOutside : Self.beyondOutside
        record(t, vote, d)
        // The first crossing after the device was last clearly (beyond the margin) on the
        // confirmed side: what a stay judged by the settle test is timed by.
        if vote == (inside ? Self.beyondInside : Self.beyondOutside) {
            crossingAfterClearMs = nil
        } else if crossingAfterClearMs == nil, rawInside != inside {
            if let tp = previousTimeMs, tp < t, (previousDistanceM <= 0) == inside {
                let denominator = previousDistanceM - d
                let f = denominator != 0 ? min(1, max(0, previousDistanceM / denominator)) : 1
                crossingAfterClearMs = tp + Int64((Double(t - tp) * f).rounded())
            } else {
                crossingAfterClearMs = t
            }
        }
        previousTimeMs = t
        previousDistanceM = d

        if !pending {
            if rawInside == inside {
                if voting {
                    lastStableTimeMs = t
                    lastStableDistanceM = d
                }
                lastOldSideTimeMs = t
                lastOldSideDistanceM = d
                checkDwell(t, d, rules, &out)
                return
            }
            // A straddling fix is no evidence of a crossing: keep the state.
            guard voting else { return }
            pending = true
            crossingMs = interpolatedCrossing(t, d)
            // The dwell counts from the last voting fix on the old side, the earliest the device
            // can have crossed, but from at most `maxClockLeadS` before the interpolated crossing.
            clockStartMs = clockStart(for: crossingMs, c)
            pendingVotes = 1
            pendingContrary = 0
            lastSettleCheckMs = 0
            lastChangePointMs = t
        } else if voting {
            pendingVotes += 1
            if rawInside == inside {
                pendingContrary += 1
                // Back on the old side for most of the pending time (not one wild fix): cancel.
                if pendingContrary >= 2 && pendingContrary * 2 > pendingVotes {
                    pending = false
                    lastStableTimeMs = t
                    lastStableDistanceM = d
                    lastOldSideTimeMs = t
                    lastOldSideDistanceM = d
                    checkDwell(t, d, rules, &out)
                    return
                }
            }
        }
        let target = !inside
        // Re-estimate the crossing every few seconds of a pending transition: a pending started by
        // a noise flip long before the real crossing must not keep that flip's time.
        if t - lastChangePointMs >= 5_000 {
            lastChangePointMs = t
            if let crossing = changePointCrossing(target: target) { crossingMs = crossing }
            let fitHalfWindowMs = Int64(c.crossingFitHalfWindowS * 1000)
            if t - crossingMs >= fitHalfWindowMs {
                crossingMs = fittedCrossing(halfWindowMs: fitHalfWindowMs, entering: target)
            }
            clockStartMs = clockStart(for: crossingMs, c)
        }
        let dwellMs = target ? rules.enterDwellMs : rules.exitDwellMs
        guard t - clockStartMs >= dwellMs else { return }
        var evidenceM = abs(d)
        var settled = false
        if !(voting && vote == (target ? Self.beyondInside : Self.beyondOutside)
            && marginEvidence(t, dwellMs: dwellMs, target: target, c))
        {
            guard let median = settleEvidence(t, accuracyM: r, target: target, c, &scratch) else { return }
            evidenceM = median
            settled = true
        }

        pending = false
        lastStableTimeMs = t
        lastStableDistanceM = d
        lastOldSideTimeMs = t
        lastOldSideDistanceM = d
        if settled {
            // A stay within the noise: no line to fit; the crossing is the first one after the
            // device was last clearly on the old side (or the pending one, if earlier).
            crossingMs = min(crossingMs, crossingAfterClearMs ?? crossingMs)
        } else {
            crossingMs = fittedCrossing(halfWindowMs: Int64(c.crossingFitHalfWindowS * 1000), entering: target)
        }
        crossingAfterClearMs = nil
        if target {
            inside = true
            visitStartMs = crossingMs
            dwellReported = false
            out.append(Confirmed(kind: .geofenceEnter, timeMs: crossingMs, distanceM: evidenceM, durationMs: nil))
            checkDwell(t, d, rules, &out)
        } else {
            inside = false
            let duration = visitStartMs.map { crossingMs - $0 }
            visitStartMs = nil
            out.append(Confirmed(kind: .geofenceExit, timeMs: crossingMs, distanceM: evidenceM, durationMs: duration))
        }
    }

    /// When the dwell clock of a transition crossing at `crossing` starts: at the last voting fix
    /// on the old side (the earliest the device can have crossed), at most `maxClockLeadS` and
    /// at least `crossingUncertaintyS` before the estimated crossing.
    private func clockStart(for crossing: Int64, _ c: GeofenceMonitor.Configuration) -> Int64 {
        let earliest = crossing - Int64(c.maxClockLeadS * 1000)
        let latest = crossing - Int64(c.crossingUncertaintyS * 1000)
        return min(latest, max(lastStableTimeMs ?? crossing, earliest))
    }

    /// The margin test: over the dwell window's fixes, at least half (and `minimumVotes`) beyond
    /// the margin on the target side and at most `maxContraryShare` voting on the old side. Fixes
    /// that do not vote count in the window, so a few deep fixes among many vague ones are no
    /// majority (the settle test judges such a stay instead).
    private func marginEvidence(_ t: Int64, dwellMs: Int64, target: Bool, _ c: GeofenceMonitor.Configuration) -> Bool {
        let minimumVotes = max(1, c.minimumVotes)
        let (n, beyond, contrary) = windowCounts(since: t - dwellMs, atLeast: minimumVotes, target: target)
        return beyond >= minimumVotes && beyond * 2 >= n && Double(contrary) <= c.maxContraryShare * Double(n)
    }

    /// The settle test, for a device that stays close to the boundary: the median signed
    /// distance of all fixes since the crossing (within the settle window) lies on the target
    /// side by at least `settleMarginM` plus `settleStandardErrors` standard errors of that
    /// median (1.25 sigma / sqrt(n), sigma from the fix's accuracy, plus the error floor).
    /// Returns the median's distance from the boundary if the test passes. Evaluated at most
    /// every `settleCheckIntervalS`, after `settleMinimumS` (O(n log n), n <= 512).
    private mutating func settleEvidence(
        _ t: Int64, accuracyM r: Double, target: Bool, _ c: GeofenceMonitor.Configuration, _ scratch: inout [Double]
    ) -> Double? {
        guard c.settleWindowS > 0, t - clockStartMs >= Int64(c.settleMinimumS * 1000),
            lastSettleCheckMs == 0 || t - lastSettleCheckMs >= Int64(c.settleCheckIntervalS * 1000)
        else { return nil }
        lastSettleCheckMs = t
        let since = max(crossingMs, t - Int64(c.settleWindowS * 1000))
        scratch.removeAll(keepingCapacity: true)
        var i = head
        for _ in 0..<filled {
            i = i == 0 ? Self.windowCapacity - 1 : i - 1
            guard times[i] >= since else { break }
            scratch.append(Double(distances[i]))
        }
        guard scratch.count >= c.settleMinimumFixes else { return nil }
        scratch.sort()
        let n = scratch.count
        let median = n % 2 == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2
        let sigma = max(r, 1)
        let standardError = (1.5625 * sigma * sigma / Double(n) + c.settleErrorFloorM * c.settleErrorFloorM)
            .squareRoot()
        let needed = c.settleMarginM + c.settleStandardErrors * standardError
        let onTarget = target ? -median : median
        return onTarget >= needed ? onTarget : nil
    }

    private mutating func checkDwell(
        _ t: Int64, _ d: Double, _ rules: GeofenceMonitor.FenceRules, _ out: inout [Confirmed]
    ) {
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
        guard let ta = lastOldSideTimeMs, ta < t else { return t }
        let da = lastOldSideDistanceM
        let denominator = da - d
        let f = denominator != 0 ? min(1, max(0, da / denominator)) : 1
        return ta + Int64((Double(t - ta) * f).rounded())
    }

    /// The most likely crossing among the remembered fixes: the step from the old to the new side
    /// that best splits the fixes' raw sides (the earliest position maximising new-side minus
    /// old-side fixes after it), interpolated by signed distance between the two fixes around
    /// it. A stale noise flip before a real walk across is outweighed by the walk.
    /// O(remembered fixes).
    private func changePointCrossing(target: Bool) -> Int64? {
        // Only when the remembered fixes reach a minute before the current estimate: otherwise
        // (a long pending stay) the estimate's own fixes are gone and it stands.
        let since = crossingMs - 60_000
        let oldest = (head - filled + Self.windowCapacity) % Self.windowCapacity
        guard filled > 0, times[oldest] <= since else { return nil }
        var sum = 0
        var best = Int.min
        var bestIndex = -1
        var i = head
        for _ in 0..<filled {
            i = i == 0 ? Self.windowCapacity - 1 : i - 1
            guard times[i] >= since else { break }
            let v = classes[i]
            let rawInside = v == Self.beyondInside || v == Self.betweenInside || v == Self.straddlingInside
            sum += rawInside == target ? 1 : -1
            if sum >= best {
                best = sum
                bestIndex = i
            }
        }
        guard bestIndex >= 0, best > 0, bestIndex != oldest else { return nil }
        let previous = bestIndex == 0 ? Self.windowCapacity - 1 : bestIndex - 1
        let ta = times[previous]
        let tb = times[bestIndex]
        let da = Double(distances[previous])
        let db = Double(distances[bestIndex])
        let denominator = da - db
        let f = denominator != 0 ? min(1, max(0, da / denominator)) : 1
        return ta + Int64((Double(tb - ta) * f).rounded())
    }

    private mutating func record(_ t: Int64, _ vote: UInt8, _ d: Double) {
        times[head] = t
        classes[head] = vote
        distances[head] = Float(d)
        head = head + 1 == Self.windowCapacity ? 0 : head + 1
        filled = min(filled + 1, Self.windowCapacity)
    }

    /// Over the remembered fixes at or after `startMs` (or the newest `atLeast` fixes since the
    /// crossing, if the dwell window holds fewer): their number, those beyond the margin on the
    /// target side, and the voting ones on the old side.
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
            guard v <= Self.beyondOutside else { continue }
            if v == (target ? Self.beyondInside : Self.beyondOutside) { beyond += 1 }
            if target ? v >= Self.betweenOutside : v <= Self.betweenInside { contrary += 1 }
        }
        return (n, beyond, contrary)
    }

    /// The crossing time refined by a line fitted to the signed distances of the fixes from
    /// `halfWindowMs / 6` before to `halfWindowMs` after the estimate (mostly after it: a device
    /// that stood still before moving across would bend a symmetric window) (least squares, then again without fixes
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
                if dt < -halfWindowMs / 6 { break }
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
                    if dt < -halfWindowMs / 6 { break }
                    let r = Double(distances[j]) - (a + b * Double(dt) / 1000)
                    sum += r * r
                }
                rmsLimit = max(2.5 * (sum / n).squareRoot(), 1)
            }
            pass += 1
        }
        guard entering ? b < 0 : b > 0 else { return crossingMs }
        let zeroS = -a / b
        guard zeroS * 1000 <= Double(halfWindowMs), -zeroS * 1000 <= Double(halfWindowMs / 2) else { return crossingMs }
        return crossingMs + Int64((zeroS * 1000).rounded())
    }
}
