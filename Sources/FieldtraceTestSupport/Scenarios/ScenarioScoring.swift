import FieldtraceCore

/// Scores of detector output against a scenario's truth. Generic on purpose: inputs are plain
/// times and positions, so these helpers do not depend on FieldtraceAnalytics and any detector
/// (ours or a peer's, read back from a file) can be scored the same way. Times are ms UTC.
public enum ScenarioScoring {
    // MARK: Positions

    /// Position error of estimates against the truth, metres (haversine).
    public struct PositionScore: Sendable, Hashable {
        /// Estimates scored.
        public var count: Int
        /// Estimates not scored: excluded (outlier times), outside the truth's time span, or in
        /// a stretch with no truth sample within `maxTruthSpacingMs` (a signal gap).
        public var skipped: Int
        public var rmsM: Double
        public var medianM: Double
        public var p95M: Double
        public var maxM: Double
    }

    /// RMS (and median, 95th percentile, max) distance from each estimate to the true position
    /// at its time, the truth interpolated linearly between the two samples around it.
    ///
    /// - Parameters:
    ///   - excluding: indices into `truth` (= into the scenario's fixes, e.g. `outlierIndices`)
    ///     whose times are not scored.
    ///   - maxTruthSpacingMs: estimates between truth samples further apart than this are not
    ///     scored: a straight line across a signal gap is not the truth. 10 s covers the sparse
    ///     scenario's interval.
    /// O((n + m) log m) for n estimates and m truth samples.
    public static func positionError(
        _ estimates: [(timeMs: Int64, latitude: Double, longitude: Double)], truth: [TruePosition],
        excluding: [Int] = [], maxTruthSpacingMs: Int64 = 10_000
    ) -> PositionScore {
        let excludedTimes = Set(excluding.map { truth[$0].timeMs })
        var errors: [Double] = []
        errors.reserveCapacity(estimates.count)
        var skipped = 0
        for e in estimates {
            guard !excludedTimes.contains(e.timeMs), let p = truePosition(at: e.timeMs, truth, maxTruthSpacingMs) else {
                skipped += 1
                continue
            }
            errors.append(
                Geodesy.haversineMeters(lat1: e.latitude, lon1: e.longitude, lat2: p.latitude, lon2: p.longitude))
        }
        errors.sort()
        let squares = errors.reduce(0) { $0 + $1 * $1 }
        return PositionScore(
            count: errors.count, skipped: skipped,
            rmsM: errors.isEmpty ? .nan : (squares / Double(errors.count)).squareRoot(),
            medianM: quantile(errors, 0.5) ?? .nan, p95M: quantile(errors, 0.95) ?? .nan, maxM: errors.last ?? .nan)
    }

    /// The raw fixes' own error (the baseline a filter must beat).
    public static func positionError(
        of fixes: [Fix], truth: [TruePosition], excluding: [Int] = [], maxTruthSpacingMs: Int64 = 10_000
    ) -> PositionScore {
        positionError(
            fixes.map { ($0.timeMs, $0.latitude, $0.longitude) }, truth: truth, excluding: excluding,
            maxTruthSpacingMs: maxTruthSpacingMs)
    }

    /// The true position at `timeMs`, interpolated; `nil` outside the truth or across a gap.
    public static func truePosition(
        at timeMs: Int64, _ truth: [TruePosition], _ maxTruthSpacingMs: Int64 = 10_000
    ) -> (latitude: Double, longitude: Double)? {
        guard let first = truth.first, let last = truth.last, timeMs >= first.timeMs, timeMs <= last.timeMs else {
            return nil
        }
        var low = 0
        var high = truth.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if truth[mid].timeMs <= timeMs { low = mid } else { high = mid }
        }
        let a = truth[low]
        if a.timeMs == timeMs { return (a.latitude, a.longitude) }
        let b = truth[high]
        if b.timeMs == timeMs { return (b.latitude, b.longitude) }
        guard b.timeMs - a.timeMs <= maxTruthSpacingMs else { return nil }
        let f = Double(timeMs - a.timeMs) / Double(b.timeMs - a.timeMs)
        return (a.latitude + (b.latitude - a.latitude) * f, a.longitude + (b.longitude - a.longitude) * f)
    }

    // MARK: Stops

    public struct StopScore: Sendable, Hashable {
        public var trueStops: Int
        public var detections: Int
        /// True stops with at least one overlapping detection.
        public var matchedStops: Int
        /// Detections assigned to a true stop.
        public var matchedDetections: Int
        /// Matched detections / detections (1 when nothing was detected).
        public var precision: Double
        /// Matched true stops / true stops (1 when there are none).
        public var recall: Double
        /// Matched detections per matched true stop: 1 means no true stop was split.
        public var fragmentation: Double
        /// Median |start error| and |end error| over matched stops, ms: the earliest matched
        /// detection's start against the arrival, the latest one's end against the departure.
        public var medianStartErrorMs: Int64?
        public var medianEndErrorMs: Int64?
        public var maxStartErrorMs: Int64?
        public var maxEndErrorMs: Int64?
        /// Detections that overlap a traffic pause (whether or not they also match a stop).
        public var pauseOverlaps: Int
    }

    /// Matches detected stops to true stops: a detection belongs to the true stop it overlaps
    /// most (in time, by more than 0 ms); a detection overlapping none is a false stop.
    /// O(d × (s + p)).
    public static func scoreStops(
        _ detected: [(startMs: Int64, endMs: Int64)], truth stops: [TruthInterval], pauses: [TruthInterval] = []
    ) -> StopScore {
        var assigned = [[Int]](repeating: [], count: stops.count)
        var matchedDetections = 0
        var pauseOverlaps = 0
        for (d, detection) in detected.enumerated() {
            var best = -1
            var bestOverlap: Int64 = 0
            for (s, stop) in stops.enumerated() {
                let overlap = min(detection.endMs, stop.endMs) - max(detection.startMs, stop.startMs)
                if overlap > bestOverlap {
                    best = s
                    bestOverlap = overlap
                }
            }
            if best >= 0 {
                assigned[best].append(d)
                matchedDetections += 1
            }
            if pauses.contains(where: { detection.startMs <= $0.endMs && $0.startMs <= detection.endMs }) {
                pauseOverlaps += 1
            }
        }
        var startErrors: [Int64] = []
        var endErrors: [Int64] = []
        for (s, stop) in stops.enumerated() where !assigned[s].isEmpty {
            startErrors.append(abs(assigned[s].map { detected[$0].startMs }.min()! - stop.startMs))
            endErrors.append(abs(assigned[s].map { detected[$0].endMs }.max()! - stop.endMs))
        }
        startErrors.sort()
        endErrors.sort()
        let matchedStops = startErrors.count
        return StopScore(
            trueStops: stops.count, detections: detected.count, matchedStops: matchedStops,
            matchedDetections: matchedDetections,
            precision: detected.isEmpty ? 1 : Double(matchedDetections) / Double(detected.count),
            recall: stops.isEmpty ? 1 : Double(matchedStops) / Double(stops.count),
            fragmentation: matchedStops == 0 ? 0 : Double(matchedDetections) / Double(matchedStops),
            medianStartErrorMs: median(startErrors), medianEndErrorMs: median(endErrors),
            maxStartErrorMs: startErrors.last, maxEndErrorMs: endErrors.last, pauseOverlaps: pauseOverlaps)
    }

    // MARK: Fence visits

    /// A detected fence transition: the crossing time the detector reports (`timeMs`) and when
    /// it could say so (`detectedAtMs`: the confirming fix's time), if known.
    public struct Transition: Sendable, Hashable {
        public var fenceID: String
        public var isEnter: Bool
        public var timeMs: Int64
        public var detectedAtMs: Int64?

        public init(fenceID: String, isEnter: Bool, timeMs: Int64, detectedAtMs: Int64? = nil) {
            self.fenceID = fenceID
            self.isEnter = isEnter
            self.timeMs = timeMs
            self.detectedAtMs = detectedAtMs
        }
    }

    public struct VisitScore: Sendable, Hashable {
        /// True enters and exits.
        public var trueCrossings: Int
        public var detectedTransitions: Int
        public var matched: Int
        /// Detected transitions matching no true crossing: flapping, or a visit that never was.
        public var spurious: Int
        /// True crossings no detection matched.
        public var missed: Int
        /// |reported crossing time - true crossing time| over matches, ms.
        public var medianCrossingErrorMs: Int64?
        public var maxCrossingErrorMs: Int64?
        /// detectedAtMs - true crossing time over matches that carry `detectedAtMs`, ms.
        public var medianDelayMs: Int64?
        public var maxDelayMs: Int64?
    }

    /// Matches detected transitions to the true visits' crossings of the same fence and
    /// direction, closest pairs first, within `toleranceMs` (5 minutes: beyond any sensible
    /// dwell). O(t × c) per fence.
    public static func scoreVisits(
        _ detected: [Transition], truth visits: [TruthVisit], toleranceMs: Int64 = 300_000
    ) -> VisitScore {
        var crossings: [(fenceID: String, isEnter: Bool, timeMs: Int64)] = []
        for v in visits {
            crossings.append((v.fenceID, true, v.enterMs))
            if let exit = v.exitMs { crossings.append((v.fenceID, false, exit)) }
        }
        var pairs: [(error: Int64, detection: Int, crossing: Int)] = []
        for (d, t) in detected.enumerated() {
            for (c, x) in crossings.enumerated() where x.fenceID == t.fenceID && x.isEnter == t.isEnter {
                let error = abs(t.timeMs - x.timeMs)
                if error <= toleranceMs { pairs.append((error, d, c)) }
            }
        }
        pairs.sort { ($0.error, $0.detection, $0.crossing) < ($1.error, $1.detection, $1.crossing) }
        var detectionUsed = [Bool](repeating: false, count: detected.count)
        var crossingUsed = [Bool](repeating: false, count: crossings.count)
        var errors: [Int64] = []
        var delays: [Int64] = []
        for pair in pairs where !detectionUsed[pair.detection] && !crossingUsed[pair.crossing] {
            detectionUsed[pair.detection] = true
            crossingUsed[pair.crossing] = true
            errors.append(pair.error)
            if let at = detected[pair.detection].detectedAtMs { delays.append(at - crossings[pair.crossing].timeMs) }
        }
        errors.sort()
        delays.sort()
        return VisitScore(
            trueCrossings: crossings.count, detectedTransitions: detected.count, matched: errors.count,
            spurious: detected.count - errors.count, missed: crossings.count - errors.count,
            medianCrossingErrorMs: median(errors), maxCrossingErrorMs: errors.last, medianDelayMs: median(delays),
            maxDelayMs: delays.last)
    }

    // MARK: Route deviations

    public struct DeviationScore: Sendable, Hashable {
        public var trueDeviations: Int
        public var detections: Int
        /// True deviations overlapped by a detection of the same route.
        public var found: Int
        public var missed: Int
        /// Detections overlapping no true deviation of their route.
        public var falseDeviations: Int
        /// Per found true deviation, in order: detected start - true start, ms (the earliest
        /// overlapping detection).
        public var startErrorsMs: [Int64]
        public var maxAbsStartErrorMs: Int64?
    }

    /// A detection (`endMs` nil while still open at the end of input) finds a true deviation of
    /// the same route when their intervals overlap. O(d × t).
    public static func scoreDeviations(
        _ detected: [(routeID: String, startMs: Int64, endMs: Int64?)], truth deviations: [TruthDeviation]
    ) -> DeviationScore {
        func overlaps(_ d: (routeID: String, startMs: Int64, endMs: Int64?), _ t: TruthDeviation) -> Bool {
            d.routeID == t.routeID && d.startMs <= t.endMs && t.startMs <= (d.endMs ?? Int64.max)
        }
        var startErrors: [Int64] = []
        for t in deviations {
            if let first = detected.filter({ overlaps($0, t) }).map(\.startMs).min() {
                startErrors.append(first - t.startMs)
            }
        }
        let falseCount = detected.filter { d in !deviations.contains { overlaps(d, $0) } }.count
        return DeviationScore(
            trueDeviations: deviations.count, detections: detected.count, found: startErrors.count,
            missed: deviations.count - startErrors.count, falseDeviations: falseCount, startErrorsMs: startErrors,
            maxAbsStartErrorMs: startErrors.map { abs($0) }.max())
    }

    // MARK: Helpers

    /// The median of sorted values (the mean of the middle two, rounded down, for an even count).
    static func median(_ sorted: [Int64]) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The q-quantile of sorted values, nearest rank.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[max(0, min(sorted.count - 1, rank))]
    }
}
