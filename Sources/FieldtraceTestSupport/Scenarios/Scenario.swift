import FieldtraceCore

/// One simulated field-worker day with its ground truth, made by `ScenarioCatalog.make(_:seed:)`.
///
/// The same name and seed give the same bytes on every run and platform: the generator uses
/// only integer-seeded SplitMix64 streams and its own elementary functions (`ScenarioMath`),
/// never the C library's, and never iterates a dictionary.
///
/// Movement model: a true track is integrated second by second in a local plane (metres east,
/// north). Walking is 1-1.6 m/s, driving 8-14 m/s with acceleration at most 1.5 m/s² and braking
/// at most 2.5 m/s², along road-like polylines: straight legs of 80-600 m, mostly 90° turns (some
/// bends), corners rounded with a 10 m radius (3 m walking) and taken at the speed a lateral
/// acceleration of 2 m/s² allows (about 4.5 m/s). Stops (3-60 min) hold the true position still:
/// the only movement the fixes show there is GPS error. Traffic-light pauses (20-60 s) happen at
/// road vertices at least 400 m (walking 100 m) from a stop and 400 m apart.
///
/// Noise model (see `GPSErrorModel`): white Gaussian error plus a first-order Gauss-Markov
/// component (horizontal RMS 1 m, time constant 60 s), together giving the scenario's horizontal
/// RMS (its noise figure); HDOP per fix with `sigma_per_axis = hdop × 3.5 m` (UERE 3.5 m), where
/// sigma_per_axis is the total per-axis standard deviation (white and correlated), so the
/// horizontal RMS is `hdop × 3.5 × √2`; multipath outliers on about 1% of fixes, 50-300 m from
/// the true position; signal gaps; reported speed (σ 0.15 m/s) and course (σ 2° when moving)
/// from the true motion. Fix times are whole seconds; `receivedMs` is 150-750 ms later.
public struct Scenario: Sendable {
    public var name: String
    public var seed: UInt64
    public var device: DeviceID
    /// What the tracker reported, in fix-time order (noise, outliers, gaps applied). All fixes
    /// are flagged `.valid` (outliers too: the receiver cannot tell), source `.simulated`.
    public var fixes: [Fix]
    public var truth: ScenarioTruth
    /// A GeoJSON FeatureCollection (may have no features). Every feature has an `id` string
    /// property. A circle is a Point with `radius_m`; a polygon may have holes (outer ring
    /// counter-clockwise, holes clockwise, rings closed); a corridor is a LineString with
    /// `width_m`, the FULL width: a point is inside when within `width_m / 2` of the line.
    public var fencesGeoJSON: String
    /// A FeatureCollection of planned routes: LineStrings with properties `id`, `width_m` (full
    /// corridor width, as for corridor fences), `device`, `from`, `to` (ISO 8601, the window the
    /// route is assigned for).
    public var routesGeoJSON: String

    public init(
        name: String, seed: UInt64, device: DeviceID, fixes: [Fix], truth: ScenarioTruth, fencesGeoJSON: String,
        routesGeoJSON: String
    ) {
        self.name = name
        self.seed = seed
        self.device = device
        self.fixes = fixes
        self.truth = truth
        self.fencesGeoJSON = fencesGeoJSON
        self.routesGeoJSON = routesGeoJSON
    }
}

/// The true position (degrees, WGS-84) at a fix's time.
public struct TruePosition: Sendable, Hashable {
    public var timeMs: Int64
    public var latitude: Double
    public var longitude: Double

    public init(timeMs: Int64, latitude: Double, longitude: Double) {
        self.timeMs = timeMs
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A time interval (ms UTC, both ends inclusive) with a position (degrees): a stop's arrival,
/// departure and place; a pause's; a gap's first and last missing fix times and the true
/// position when the signal was lost.
public struct TruthInterval: Sendable, Hashable {
    public var startMs: Int64
    public var endMs: Int64
    public var latitude: Double
    public var longitude: Double

    public init(startMs: Int64, endMs: Int64, latitude: Double, longitude: Double) {
        self.startMs = startMs
        self.endMs = endMs
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A visit of the true track to a fence: the interpolated times (ms) the true track crossed the
/// boundary in and out; `exitMs` is `nil` when the day ends inside.
public struct TruthVisit: Sendable, Hashable {
    public var fenceID: String
    public var enterMs: Int64
    public var exitMs: Int64?

    public init(fenceID: String, enterMs: Int64, exitMs: Int64?) {
        self.fenceID = fenceID
        self.enterMs = enterMs
        self.exitMs = exitMs
    }
}

/// A deviation of the true track from a planned route: from the interpolated time it passed
/// beyond the corridor (`width_m / 2` from the line) to the time it came back within it.
public struct TruthDeviation: Sendable, Hashable {
    public var routeID: String
    public var startMs: Int64
    public var endMs: Int64

    public init(routeID: String, startMs: Int64, endMs: Int64) {
        self.routeID = routeID
        self.startMs = startMs
        self.endMs = endMs
    }
}

/// What really happened in a scenario. Lists are in time order.
public struct ScenarioTruth: Sendable {
    /// One per element of `fixes`, same index: the true position at that fix's time.
    public var positions: [TruePosition]
    /// Indices into `fixes` of injected multipath outliers (50-300 m from the true position).
    public var outlierIndices: [Int]
    /// True stops: arrival (the first instant at rest), departure (the last), true position. The
    /// true speed is zero throughout.
    public var stops: [TruthInterval]
    /// Short waits (20-60 s, traffic lights or crossings) that are NOT stops.
    public var trafficPauses: [TruthInterval]
    /// Visits to fences, ordered by enter time then fence id.
    public var visits: [TruthVisit]
    /// Deviations from planned routes, ordered by start time.
    public var deviations: [TruthDeviation]
    /// Signal gaps: no fixes with a time in `startMs...endMs`.
    public var gaps: [TruthInterval]

    public init(
        positions: [TruePosition], outlierIndices: [Int], stops: [TruthInterval], trafficPauses: [TruthInterval],
        visits: [TruthVisit], deviations: [TruthDeviation], gaps: [TruthInterval]
    ) {
        self.positions = positions
        self.outlierIndices = outlierIndices
        self.stops = stops
        self.trafficPauses = trafficPauses
        self.visits = visits
        self.deviations = deviations
        self.gaps = gaps
    }
}
