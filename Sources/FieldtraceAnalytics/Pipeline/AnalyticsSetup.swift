import FieldtraceCore

/// Settings of every analysis the pipeline runs, each with its own documented defaults.
public struct AnalyticsConfiguration: Sendable {
    public var sanity = SanityFilter.Configuration()
    public var kalman = KalmanTracker.Configuration()
    /// Whether detectors see Kalman-filtered positions (default) or the sanity-checked raw fixes.
    /// Filtering more than halves the position error at 1 Hz (see `KalmanTracker`); at 0.1 Hz it
    /// neither helps nor hurts.
    public var useKalman = true
    public var geofences = GeofenceMonitor.Configuration()
    public var trips = TripBuilder.Configuration()
    public var deviation = RouteDeviationDetector.Configuration()
    public var overspeed = OverspeedDetector.Configuration()
    /// A speed limit everywhere, km/h; `nil` (default): only fences with `speed_limit_kmh` limit speed.
    public var speedLimitKmh: Double?

    public init() {}
}

/// What all devices of a tenant are analysed against: configuration, fences (with their spatial
/// index, built once) and planned routes. Immutable; rebuild it when fences or routes change.
///
/// Every device's analytics (and every snapshot of it) holds a copy: the contents live in one
/// shared, immutable object, so a copy is one reference (8 bytes), not the whole configuration
/// (about 700 bytes), which counts at 100,000 devices with snapshots.
public struct AnalyticsSetup: Sendable {
    private final class Storage: Sendable {
        let configuration: AnalyticsConfiguration
        let fences: [Geofence]
        let routes: [PlannedRoute]
        let monitorTemplate: GeofenceMonitor?
        let routeGeometries: [RouteGeometry]
        let fenceSpeedLimits: Bool

        init(configuration: AnalyticsConfiguration, fences: [Geofence], routes: [PlannedRoute]) {
            self.configuration = configuration
            self.fences = fences
            self.routes = routes
            monitorTemplate =
                fences.isEmpty
                ? nil : GeofenceMonitor(index: GeofenceIndex(fences: fences), configuration: configuration.geofences)
            routeGeometries = routes.map { RouteGeometry(route: $0) }
            fenceSpeedLimits = fences.contains { $0.speedLimitKmh != nil }
        }
    }

    private let storage: Storage

    public var configuration: AnalyticsConfiguration { storage.configuration }
    public var fences: [Geofence] { storage.fences }
    public var routes: [PlannedRoute] { storage.routes }
    /// A monitor over all fences with no device state: each device copies it (the index and the
    /// per-fence rules are shared, copy-on-write).
    var monitorTemplate: GeofenceMonitor? { storage.monitorTemplate }
    var routeGeometries: [RouteGeometry] { storage.routeGeometries }
    /// Whether any fence carries a speed limit.
    var fenceSpeedLimits: Bool { storage.fenceSpeedLimits }

    public init(configuration: AnalyticsConfiguration = .init(), fences: [Geofence] = [], routes: [PlannedRoute] = []) {
        storage = Storage(configuration: configuration, fences: fences, routes: routes)
    }

    /// The speed limit at a fix, m/s: the lowest of the fences containing it with a limit, else
    /// the global limit, else `nil`.
    func speedLimitMps(at fix: Fix) -> Double? {
        var limitKmh = configuration.speedLimitKmh
        if fenceSpeedLimits, let index = monitorTemplate?.index {
            index.forEachContaining(latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7) { i in
                if let fenceLimit = index.fences[i].speedLimitKmh { limitKmh = min(limitKmh ?? .infinity, fenceLimit) }
            }
        }
        return limitKmh.map(Units.kmhToMetersPerSecond)
    }
}
