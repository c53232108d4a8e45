import FieldtraceCore

/// Finds stops in one device's fixes, streaming: a stop is a stay within `radiusMeters` that
/// lasts at least `minDurationSeconds`.
///
/// How it works. The detector tracks a *current* stay (a candidate until confirmed) and at
/// most one *suspended* one. A fix within the radius of the current stay's centre (the mean of
/// its fixes, so a mean trimmed by distance) joins it; a fix outside suspends the current stay
/// and starts a new candidate (a candidate of one or two fixes, an outlier's, never displaces
/// a bigger suspended stay). Two fixes in a row back within the radius of the suspended stay,
/// nearer to it than to the current one, before `excursionToleranceSeconds` have passed resume
/// it: an outlier, a burst of multipath or a short walk to the car does not split a stop
/// (consecutive stays at the same place separated by a shorter excursion are one stop). A lone
/// fix there is dropped as an outlier. A suspended stop whose excursion lasts longer has ended:
/// the device left.
///
/// Arrival and departure. The first and last fix inside the radius are up to a radius away
/// from where the worker stood (at walking pace that is 40 s). So when a candidate has lasted
/// the minimum duration, the detector takes the coordinate-wise median of its fixes as a
/// robust centre and an *edge radius* from the fixes' own spread (`edgeSigmaFactor` times
/// their jitter sigma, clamped to `edgeRadiusMinMeters ... radius/3`). The arrival is the
/// first of the first two consecutive fixes within the edge radius, and the stop is confirmed
/// only if such fixes span `minDurationSeconds`, so a walker waiting 60 s at a crossing is
/// never a stop and a lone outlier never stretches one. The departure is found the same way
/// around the median of the stay's last `departureWindowSeconds` (the GPS error drifts over a
/// long stay). The arrival error is about the edge radius (10 m for good fixes) over the
/// approach speed: 1-2 s driving, 8-10 s walking.
///
/// Gaps. A signal gap during a stay (indoors) does not split it when the device reappears
/// within the radius; a gap longer than `maxGapSeconds` ends the stay at the last fix before it.
///
/// Cost: O(1) per fix, plus an O(n log n) median over the candidate's fixes when it is old
/// enough to confirm (at most every `recheckSeconds`) and at each departure. No allocation per
/// fix once the buffers have grown. Fixes must come in time order; a fix not newer than the
/// previous one, a fix of another device, an invalid fix and a fix flagged `.outlier` are ignored.
public struct StopDetector: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Radius of a stay around its centre, metres. 60 m holds a house, a shop and its car
        /// park, and raw GPS error (5-15 m, drifting) with room to spare; a multipath jump of
        /// 50-300 m mostly falls outside and is handled as an excursion.
        public var radiusMeters = 60.0
        /// Minimum duration of a stop, seconds, measured between the first and last fix within
        /// the edge radius. 120 s is twice the longest red light (20-60 s), so a traffic-light
        /// pause is never a stop, and below the shortest field visit (about 3 minutes).
        public var minDurationSeconds = 120.0
        /// How long fixes may stay outside a stay's radius and come back without splitting it,
        /// seconds; also how long after leaving a stop its end is confirmed. 90 s outlasts
        /// multipath bursts and a quick walk to the vehicle. Must be below `minDurationSeconds`
        /// (so at most one stop is ever open).
        public var excursionToleranceSeconds = 90.0
        /// A signal gap longer than this ends a stay, seconds. 4 hours: half a working day
        /// indoors without a fix is still one visit; an overnight power-off is not.
        public var maxGapSeconds = 4 * 3600.0
        /// `stop.long_stay` is emitted when a stop has lasted this long, seconds (2 hours: a
        /// field visit rarely lasts longer; dispatch wants to know).
        public var longStaySeconds = 2 * 3600.0
        /// Smallest edge radius, metres: about three sigma of a good receiver's jitter.
        public var edgeRadiusMinMeters = 10.0
        /// Edge radius as a multiple of the stay's jitter sigma (estimated from the lower
        /// quartile of its distances to the centre). 2.5 sigma holds 96% of a stationary
        /// device's fixes, enough since only the first and the last fix inside matter, and keeps
        /// the edge small: the arrival error is about the edge radius over the approach speed.
        public var edgeSigmaFactor = 2.5
        /// Window before the last fix of a stay over which its departure centre is taken, seconds.
        public var departureWindowSeconds = 180.0
        /// A candidate that is old enough but not yet confirmed is re-examined at most this
        /// often, seconds (bounds the median work; delays `confirmedAtMs`, never `timeMs`).
        public var recheckSeconds = 5.0

        public init() {}
    }

    public let device: DeviceID
    public let configuration: Configuration
    /// Stops that have ended, oldest first. Grows by one per stop; drain with `drainStops()`.
    public internal(set) var stops: [Stop] = []
    /// The open (confirmed, not yet ended) stop's arrival time, if any.
    public var openStopArrivalMs: Int64? {
        if current.isConfirmed { return current.arrivalMs }
        if suspended.isConfirmed { return suspended.arrivalMs }
        return nil
    }

    var frame = PlaneFrame()
    var current = Stay()
    var suspended = Stay()
    /// A fix that came back near the suspended stay, waiting for a second one.
    var heldReturn: StaySample?
    var lastFixMs: Int64 = .min
    var lastFixLate = false
    var scratch: [Double] = []
    let radiusM: Double
    let minDurationMs: Int64
    let toleranceMs: Int64
    let maxGapMs: Int64
    let longStayMs: Int64
    let departureWindowMs: Int64
    let recheckMs: Int64

    public init(device: DeviceID, configuration: Configuration = .init()) {
        precondition(configuration.radiusMeters > 0, "radiusMeters must be positive")
        precondition(
            configuration.excursionToleranceSeconds < configuration.minDurationSeconds,
            "excursionToleranceSeconds must be below minDurationSeconds")
        self.device = device
        self.configuration = configuration
        radiusM = configuration.radiusMeters
        minDurationMs = Int64(configuration.minDurationSeconds * 1000)
        toleranceMs = Int64(configuration.excursionToleranceSeconds * 1000)
        maxGapMs = Int64(configuration.maxGapSeconds * 1000)
        longStayMs = Int64(configuration.longStaySeconds * 1000)
        departureWindowMs = Int64(configuration.departureWindowSeconds * 1000)
        recheckMs = max(1, Int64(configuration.recheckSeconds * 1000))
    }

    /// Feeds one fix; appends the events it concludes to `events`.
    public mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        guard fix.device == device, fix.isValid, !fix.flags.contains(.outlier), fix.timeMs > lastFixMs else { return }
        let t = fix.timeMs
        if lastFixMs != .min && t - lastFixMs > maxGapMs {
            heldReturn = nil
            end(suspended: true, reason: .departure, confirmedAtMs: t, into: &events)
            end(suspended: false, reason: .signalGap, confirmedAtMs: t, into: &events)
        }
        lastFixMs = t
        lastFixLate = fix.isLate
        if !current.isActive && !suspended.isActive { frame.rebaseIfFar(fix) }
        var p = frame.project(fix)
        // Within both stays' radius, the fix belongs to the nearer centre.
        let toCurrent = current.isActive ? current.squaredDistance(east: p.east, north: p.north) : .infinity
        let toSuspended = suspended.isActive ? suspended.squaredDistance(east: p.east, north: p.north) : .infinity
        let radiusSquared = radiusM * radiusM
        let returning = !current.isConfirmed && toSuspended <= radiusSquared && toSuspended < toCurrent
        if returning {
            // Back near the suspended stay. One fix may be an outlier that happens to land there
            // (a walker's last candidate is only a radius behind): hold it; a second one in a
            // row ends the excursion, whose fixes were noise or a short errand.
            guard let held = heldReturn else {
                heldReturn = StaySample(timeMs: t, east: p.east, north: p.north, sequence: 0)
                return
            }
            heldReturn = nil
            swap(&current, &suspended)
            suspended.deactivate()
            current.admit(timeMs: held.timeMs, east: held.east, north: held.north)
            current.admit(timeMs: t, east: p.east, north: p.north)
        } else {
            heldReturn = nil  // a lone fix near the suspended stay: dropped as an outlier
            if suspended.isActive && t - suspended.excursionStartMs >= toleranceMs {
                end(suspended: true, reason: .departure, confirmedAtMs: t, into: &events)
            }
            if toCurrent <= radiusSquared {
                current.admit(timeMs: t, east: p.east, north: p.north)
            } else {
                // The current stay is suspended (the device may come back to it) unless the
                // suspended one is a stop, or the current one is only one or two fixes (an
                // outlier's) and the suspended one is bigger.
                if current.isActive && !suspended.isConfirmed
                    && (!suspended.isActive || current.count >= min(3, suspended.count))
                {
                    swap(&current, &suspended)
                    suspended.excursionStartMs = t
                }
                if !suspended.isActive && frame.rebaseIfFar(fix) { p = frame.project(fix) }
                current.reset(timeMs: t, east: p.east, north: p.north, minDurationMs: minDurationMs)
            }
        }
        if !current.isConfirmed {
            if t - current.firstMs >= minDurationMs && t >= current.nextCheckMs {
                tryConfirm(confirmedAtMs: t, into: &events)
            }
        } else if !current.longStayEmitted && t - current.arrivalMs >= longStayMs {
            current.longStayEmitted = true
            emitLongStay(confirmedAtMs: t, into: &events)
        }
    }

    /// Feeds one fix and returns the events it concludes.
    public mutating func process(_ fix: Fix) -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        process(fix, into: &events)
        return events
    }

    /// Ends the input: a stop still open ends at its last fix (`ended_by` `end_of_input`, or
    /// `departure` when the device was already away), and a candidate that has lasted long
    /// enough is confirmed first.
    public mutating func finish(into events: inout [AnalyticsEvent]) {
        guard lastFixMs != .min else { return }
        end(suspended: true, reason: .departure, confirmedAtMs: lastFixMs, into: &events)
        end(suspended: false, reason: .endOfInput, confirmedAtMs: lastFixMs, into: &events)
    }

    public mutating func finish() -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        finish(into: &events)
        return events
    }

    /// Returns the ended stops and forgets them.
    public mutating func drainStops() -> [Stop] {
        defer { stops.removeAll(keepingCapacity: true) }
        return stops
    }

    /// Events and stops of a whole track (fixes in time order), with `finish()`.
    public static func detect(
        _ fixes: some Sequence<Fix>, device: DeviceID, configuration: Configuration = .init()
    ) -> (events: [AnalyticsEvent], stops: [Stop]) {
        var detector = StopDetector(device: device, configuration: configuration)
        var events: [AnalyticsEvent] = []
        for fix in fixes { detector.process(fix, into: &events) }
        detector.finish(into: &events)
        return (events, detector.stops)
    }
}
