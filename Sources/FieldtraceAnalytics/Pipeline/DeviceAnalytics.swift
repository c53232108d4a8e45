import FieldtraceCore

/// Everything the analytics conclude about one device, fed its fixes in fix-time order:
///
/// sanity filter → Kalman filter → geofences, stops and trips, route deviation, overspeed.
///
/// Fixes the sanity filter or the Kalman gate rejects reach no detector (they stay in raw
/// storage). Detectors see the filtered position with every other field of the fix (speed,
/// course, HDOP, flags), so a late fix still marks its events late.
///
/// A value type: a copy is a snapshot of the device's whole analytics state, which is how the
/// engine re-runs a window when late data arrives. Deterministic: the same fixes give the same
/// events, byte for byte. No clock: "now" is the fix time.
public struct DeviceAnalytics: Sendable {
    public let device: DeviceID
    public let setup: AnalyticsSetup
    var sanity: SanityFilter
    var kalman: KalmanTracker
    // The optional detectors are arrays of at most one: 8 bytes inline whether present or not
    // (an inline `Optional` takes the detector's whole size, about 500 bytes for the two, in every
    // analyzer and every engine snapshot of it), still a value (copy-on-write).
    var geofences: [GeofenceMonitor]
    var trips: TripBuilder
    var deviations: [RouteDeviationDetector]
    var overspeed: [OverspeedDetector] = []
    /// `setup.configuration.useKalman`, read once.
    let useKalman: Bool
    /// Fixes seen, rejected by the sanity filter, and gated out by the Kalman filter.
    public private(set) var counts = Counts()

    public struct Counts: Sendable, Hashable {
        public var fixes = 0
        public var sanityRejected = 0
        public var kalmanRejected = 0
    }

    public init(device: DeviceID, setup: AnalyticsSetup) {
        self.device = device
        self.setup = setup
        let configuration = setup.configuration
        useKalman = configuration.useKalman
        sanity = SanityFilter(configuration: configuration.sanity)
        kalman = KalmanTracker(configuration: configuration.kalman)
        geofences = setup.monitorTemplate.map { [$0] } ?? []
        trips = TripBuilder(device: device, configuration: configuration.trips)
        deviations = setup.routes.indices.filter { setup.routes[$0].device == device }.map {
            RouteDeviationDetector(
                route: setup.routes[$0], geometry: setup.routeGeometries[$0], configuration: configuration.deviation)
        }
        if configuration.speedLimitKmh != nil || setup.fenceSpeedLimits {
            overspeed = [
                OverspeedDetector(
                    device: device, limit: .lookup { [setup] fix in setup.speedLimitMps(at: fix) },
                    configuration: configuration.overspeed)
            ]
        }
    }

    /// Feeds one fix of this device; appends the events it concludes to `events`.
    public mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        precondition(fix.device == device, "a fix of \(fix.device) fed to the analytics of \(device)")
        trips.forgetEnded()
        counts.fixes += 1
        let verdict = sanity.process(fix)
        guard verdict.isAccepted else {
            counts.sanityRejected += 1
            return
        }
        var cleaned = verdict.fix
        if useKalman {
            let estimate = kalman.process(cleaned)
            if estimate.isRejected {
                counts.kalmanRejected += 1
                return
            }
            cleaned = estimate.applied(to: cleaned)
        }
        for i in geofences.indices { geofences[i].process(cleaned, into: &events) }
        trips.process(cleaned, into: &events)
        for i in deviations.indices { deviations[i].process(cleaned, into: &events) }
        for i in overspeed.indices { overspeed[i].process(cleaned, into: &events) }
    }

    /// The end of the input (the device went offline, a replay ended): closes open stops,
    /// trips, deviations and overspeed stretches and appends their events.
    public mutating func finish(into events: inout [AnalyticsEvent]) {
        trips.forgetEnded()
        for i in geofences.indices { events += geofences[i].finish() }
        trips.finish(into: &events)
        for i in deviations.indices { deviations[i].finish(into: &events) }
        for i in overspeed.indices { overspeed[i].finish(into: &events) }
    }

    /// The fences the device is inside now (ids, in fence order).
    public var insideFences: [String] { geofences.first?.insideFences(of: device) ?? [] }

    /// Stops and trips that the last `process` or `finish` ended (oldest first). Older ones are
    /// forgotten (their events carry them): a device analysed for months keeps no growing list.
    public var stops: [Stop] { trips.stops }
    public var endedTrips: [Trip] { trips.trips }
}

extension DeviceAnalytics {
    /// Runs the pipeline over one device's fixes (sorted by fix time, stable) and returns all events
    /// including those `finish` concludes.
    public static func run(_ fixes: [Fix], device: DeviceID, setup: AnalyticsSetup) -> [AnalyticsEvent] {
        var analytics = DeviceAnalytics(device: device, setup: setup)
        var events: [AnalyticsEvent] = []
        let sorted = fixes.enumerated().sorted {
            $0.element.timeMs != $1.element.timeMs ? $0.element.timeMs < $1.element.timeMs : $0.offset < $1.offset
        }
        for (_, fix) in sorted where fix.device == device { analytics.process(fix, into: &events) }
        analytics.finish(into: &events)
        return events
    }
}
