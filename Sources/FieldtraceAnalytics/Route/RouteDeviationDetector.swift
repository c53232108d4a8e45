import FieldtraceCore

extension EventKind {
    /// The device left its planned route: `timeMs` is the first fix outside the corridor,
    /// `confirmedAtMs` the fix that ended the grace period. Subject: the route id.
    /// Attributes: `distance_m` (at confirmation).
    public static let deviationStart = EventKind("deviation.start")
    /// The device is back on the route: `timeMs` is the first fix back in the corridor (or the
    /// last fix, at the end of the window or input). Attributes: `started_at`, `duration_s`,
    /// `max_distance_m`, `travelled_m`, `extra_distance_m`, `ended_by` (`return`, `window_end`,
    /// `end_of_input`).
    public static let deviationEnd = EventKind("deviation.end")
    /// How much of the route was covered, once per assignment, at the end of its window or of
    /// the input. Attributes: `covered_share`, `covered_m`, `length_m`, `deviation_count`,
    /// `deviation_s`.
    public static let routeSummary = EventKind("route.summary")
}

/// Where a device stands against its planned route.
public struct RouteProgress: Sendable, Hashable {
    public var routeID: String
    public var lengthMeters: Double
    /// Length of the route passed within the corridor, metres, and its share of the length.
    public var coveredMeters: Double
    public var coveredShare: Double
    /// Along-route position and distance from the route of the last fix, metres.
    public var alongMeters: Double
    public var distanceMeters: Double
    /// Whether a deviation is open, and how many have started.
    public var isDeviating: Bool
    public var deviationCount: Int
}

/// Detects when a device leaves its planned route (`PlannedRoute`) during the assignment's
/// window, and how much of the route it covered.
///
/// A fix is *inside* within half the corridor width of the polyline, *beyond* past half the
/// width plus `marginMeters`. A deviation starts when the fixes have stayed outside (past half
/// the width) for `graceSeconds` since the first of them and the latest is beyond; its time is
/// that first fix outside. It ends at the first fix back inside once the fixes have stayed
/// inside for `returnDwellSeconds`, so crossing the route during a detour does not end it.
/// Extra distance is the distance travelled from the last fix inside to the first fix back,
/// less the along-route progress between their projections (never below 0): what the detour
/// cost over the planned way. The detector arms at the first fix inside the corridor: travel
/// to the start of the route is not a deviation.
///
/// Coverage: consecutive fixes inside mark the along-route stretch between their projections
/// as covered when it is no longer than the distance between them plus the corridor width
/// (otherwise only the fix's own bin: the projection jumped to another pass of the route).
///
/// O(1) per fix while following the route (a hinted projection), O(log n) otherwise; no
/// allocation per fix. Fixes must come in time order; fixes of another device, outside the
/// window, invalid or flagged `.outlier` are ignored. Feed filtered fixes: the travelled
/// distance adds up raw noise.
public struct RouteDeviationDetector: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// How long the device must be outside the corridor before a deviation starts, seconds.
        /// 60 s: a parking manoeuvre, a detour around a blocked lane or a GPS multipath burst
        /// stays shorter; a real detour lasts minutes.
        public var graceSeconds = 60.0
        /// Beyond half the width by this much before a deviation can start, metres: about the
        /// error of a good fix, so driving along the corridor's edge is not a deviation.
        public var marginMeters = 10.0
        /// How long the device must be back inside to end a deviation, seconds (crossing the
        /// route, about 4 s for a 40 m corridor at 36 km/h, does not end one).
        public var returnDwellSeconds = 10.0

        public init() {}
    }

    struct Excursion: Sendable {
        var exitMs: Int64
        var exitAlongM: Double
        var travelledM: Double
        var maxDistanceM: Double
        var confirmed = false
        /// The first fix back inside (time, along, travelled up to it), while the return dwells.
        var returnMs: Int64?
        var returnAlongM = 0.0
        var returnTravelledM = 0.0
    }

    public let route: PlannedRoute
    public let geometry: RouteGeometry
    public let configuration: Configuration
    var coverage: RouteCoverage
    var excursion: Excursion?
    var armed = false
    var summaryEmitted = false
    var hint: Int?
    var lastFixMs: Int64 = .min
    var lastFixLate = false
    var lastX = 0.0
    var lastY = 0.0
    var lastInside = false
    var lastAlongM = 0.0
    var lastDistanceM = 0.0
    var deviationCount = 0
    var deviationMs: Int64 = 0
    let halfWidthM: Double
    let beyondM: Double
    let graceMs: Int64
    let returnDwellMs: Int64

    /// - Parameter geometry: the route's geometry if already built (shared between devices).
    public init(route: PlannedRoute, geometry: RouteGeometry? = nil, configuration: Configuration = .init()) {
        precondition(route.widthMeters > 0, "a corridor needs a positive width")
        self.route = route
        self.geometry = geometry ?? RouteGeometry(route: route)
        self.configuration = configuration
        coverage = RouteCoverage(lengthMeters: self.geometry.lengthMeters)
        halfWidthM = route.widthMeters / 2
        beyondM = halfWidthM + configuration.marginMeters
        graceMs = Int64(configuration.graceSeconds * 1000)
        returnDwellMs = Int64(configuration.returnDwellSeconds * 1000)
    }

    /// Where the device stands now.
    public var progress: RouteProgress {
        RouteProgress(
            routeID: route.id, lengthMeters: geometry.lengthMeters, coveredMeters: coverage.coveredMeters,
            coveredShare: coverage.coveredShare, alongMeters: lastAlongM, distanceMeters: lastDistanceM,
            isDeviating: excursion?.confirmed ?? false, deviationCount: deviationCount)
    }
}
