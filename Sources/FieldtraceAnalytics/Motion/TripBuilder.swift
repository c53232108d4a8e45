import FieldtraceCore

/// Builds trips between stops, streaming, for one device: it runs its own `StopDetector` on
/// the same fixes and returns the stop events too, so a caller that wants both feeds only this.
///
/// A trip starts at a stop's departure (or at the first fix, or at the first fix after a signal
/// gap) and ends at the next stop's arrival, at the last fix before a signal gap longer than
/// `maxGapSeconds`, or at the end of the input (`finish()`): a device that goes offline while
/// driving still gets its trip. Stop times are only known after the fact (arrival once the
/// minimum duration has passed, departure once the excursion tolerance has), so the builder
/// keeps the last `retentionSeconds` of the track (time, position, cumulative distance, robust
/// speed) to cut trips at those past times.
///
/// Distance is the sum of the segment lengths of the fixes fed in: feed smoothed fixes (the
/// Kalman or RTS output), since raw GPS noise adds length. Maximum speed is the highest
/// `SpeedEstimator` value (reported speed if the fixes carry it, else a windowed positional
/// speed), which no single bad fix can raise. Average speed is distance over duration.
///
/// O(1) per fix amortised (plus the stop detector's work); no allocation per fix once warmed up.
public struct TripBuilder: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Configuration of the stop detector that cuts the trips.
        public var stops = StopDetector.Configuration()
        /// A signal gap longer than this closes the open trip, seconds. 5 minutes: longer than a
        /// tunnel or an underground car park exit, short enough that a device switched off for a
        /// lunch break does not glue the morning's and the afternoon's driving together.
        public var maxGapSeconds = 300.0
        /// Trips shorter than this are not reported, metres: the stretch between the start of
        /// the input and the arrival at a first stop, or jitter at a stop's edge, is not travel.
        public var minDistanceMeters = 50.0
        /// Shortest window of a positional speed, seconds (see `SpeedEstimator`): 10 s averages
        /// out position noise to under 1 m/s for smoothed fixes and still catches any sustained speed.
        public var speedWindowSeconds = 10.0

        public init() {}
    }

    struct Point: Sendable {
        var timeMs: Int64
        var latitudeE7: Int32
        var longitudeE7: Int32
        var distanceM: Double
        var speedMps: Double
    }

    struct OpenTrip: Sendable {
        var start: Point
        /// Highest speed among the trip's points already dropped from the buffer.
        var droppedMaxSpeedMps: Double
    }

    public let device: DeviceID
    public let configuration: Configuration
    /// Trips that have ended, oldest first. Grows by one per trip; drain with `drainTrips()`.
    public internal(set) var trips: [Trip] = []
    /// The stop detector run on the same fixes (its `stops` are the ended stops).
    public private(set) var stopDetector: StopDetector

    var points = TimeRing<Point>()
    var speed: SpeedEstimator
    var frame = PlaneFrame()
    var openTrip: OpenTrip?
    var lastFixMs: Int64 = .min
    var lastFixLate = false
    var distanceM = 0.0
    let maxGapMs: Int64
    let retentionMs: Int64

    public init(device: DeviceID, configuration: Configuration = .init()) {
        self.device = device
        self.configuration = configuration
        stopDetector = StopDetector(device: device, configuration: configuration.stops)
        speed = SpeedEstimator(
            windowSeconds: configuration.speedWindowSeconds, resetGapSeconds: configuration.maxGapSeconds)
        maxGapMs = Int64(configuration.maxGapSeconds * 1000)
        // Arrivals are found up to the minimum duration (plus the approach) back, departures
        // up to the excursion tolerance plus the departure window back: keep twice that.
        let s = configuration.stops
        retentionMs = Int64(
            max(600, 2 * (s.minDurationSeconds + s.excursionToleranceSeconds + s.departureWindowSeconds)) * 1000)
    }

    /// The stops that have ended, oldest first.
    public var stops: [Stop] { stopDetector.stops }

    /// Feeds one fix; appends the stop and trip events it concludes to `events`.
    public mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        guard fix.device == device, fix.isValid, !fix.flags.contains(.outlier), fix.timeMs > lastFixMs else { return }
        let t = fix.timeMs
        let previousMs = lastFixMs
        let isFirst = previousMs == .min
        let afterGap = !isFirst && t - previousMs > maxGapMs
        append(fix)
        lastFixMs = t
        lastFixLate = fix.isLate
        // A local, not a kept buffer: empty (no allocation) for all but the rare fix with a stop
        // event, and nothing held per device between fixes.
        var stopEvents: [AnalyticsEvent] = []
        stopDetector.process(fix, into: &stopEvents)
        for event in stopEvents { apply(event, confirmedAtMs: t, into: &events) }
        if afterGap, openTrip != nil { close(atMs: previousMs, reason: .signalGap, confirmedAtMs: t, into: &events) }
        if (isFirst || afterGap) && openTrip == nil && stopDetector.openStopArrivalMs == nil { open(atMs: t) }
        dropOldPoints(before: t - retentionMs)
    }

    public mutating func process(_ fix: Fix) -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        process(fix, into: &events)
        return events
    }

    /// Ends the input: closes the open stop (see `StopDetector.finish`) and the open trip.
    public mutating func finish(into events: inout [AnalyticsEvent]) {
        guard lastFixMs != .min else { return }
        var stopEvents: [AnalyticsEvent] = []
        stopDetector.finish(into: &stopEvents)
        for event in stopEvents { apply(event, confirmedAtMs: lastFixMs, into: &events) }
        if openTrip != nil { close(atMs: lastFixMs, reason: .endOfInput, confirmedAtMs: lastFixMs, into: &events) }
    }

    public mutating func finish() -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        finish(into: &events)
        return events
    }

    /// Forgets the ended trips and stops (their events carry them), releasing their storage:
    /// a caller that runs for months (`DeviceAnalytics` in the engine) calls it before each fix.
    mutating func forgetEnded() {
        if !trips.isEmpty { trips = [] }
        if !stopDetector.stops.isEmpty { stopDetector.stops = [] }
    }

    /// Returns the ended trips and forgets them.
    public mutating func drainTrips() -> [Trip] {
        defer { trips.removeAll(keepingCapacity: true) }
        return trips
    }

    /// Stop and trip events, stops and trips of a whole track (fixes in time order), with `finish()`.
    public static func build(
        _ fixes: some Sequence<Fix>, device: DeviceID, configuration: Configuration = .init()
    ) -> (events: [AnalyticsEvent], stops: [Stop], trips: [Trip]) {
        var builder = TripBuilder(device: device, configuration: configuration)
        var events: [AnalyticsEvent] = []
        for fix in fixes { builder.process(fix, into: &events) }
        builder.finish(into: &events)
        return (events, builder.stops, builder.trips)
    }
}
