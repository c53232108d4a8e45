import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// Runs the analytics pipeline over a simulated scenario and scores it against the ground
/// truth: what `fieldtrace eval` prints and what the evaluation tests assert (issue 4's bars).
struct ScenarioEvaluation: Sendable {
    let scenario: String
    let seed: UInt64
    let fixes: Int
    /// Raw RMS error (fixes that are not injected outliers), and the online Kalman and RTS
    /// RMS errors (every fix's estimate) as shares of it.
    let rawRMSM: Double
    let onlineRatio: Double
    let rtsRatio: Double
    let stops: ScenarioScoring.StopScore
    let visits: ScenarioScoring.VisitScore
    let deviations: ScenarioScoring.DeviationScore
    /// Longest delay of a real exit's detection beyond its fence's exit dwell plus one reporting
    /// interval, ms (the bar: at most 0).
    let exitDelayBeyondDwellMs: Int64?

    init(scenario name: String, seed: UInt64, configuration: AnalyticsConfiguration = .init()) throws {
        guard let s = ScenarioCatalog.make(name, seed: seed) else { throw EvaluationError.unknownScenario(name) }
        scenario = name
        self.seed = seed
        fixes = s.fixes.count
        let fences = try Geofence.readCollection(Array(s.fencesGeoJSON.utf8))
        let routes = try PlannedRoute.readCollection(Array(s.routesGeoJSON.utf8))
        let setup = AnalyticsSetup(configuration: configuration, fences: fences, routes: routes)
        let events = DeviceAnalytics.run(s.fixes, device: s.device, setup: setup)

        // Position error: raw, online Kalman, RTS.
        let raw = ScenarioScoring.positionError(
            of: s.fixes, truth: s.truth.positions, excluding: s.truth.outlierIndices)
        let cleaned = SanityFilter.filter(s.fixes, configuration: configuration.sanity).map(\.fix)
        let online = KalmanTracker.filter(cleaned, configuration: configuration.kalman)
        let smoothed = RTSSmoother.smooth(cleaned, configuration: configuration.kalman)
        func score(_ estimates: [KalmanEstimate]) -> Double {
            ScenarioScoring.positionError(
                estimates.map { ($0.timeMs, Double($0.latitudeE7) / 1e7, Double($0.longitudeE7) / 1e7) },
                truth: s.truth.positions
            ).rmsM
        }
        rawRMSM = raw.rmsM
        onlineRatio = score(online) / raw.rmsM
        rtsRatio = score(smoothed) / raw.rmsM

        // Stops from stop.end events (every stop ends: finish closes the last one).
        let detectedStops = events.filter { $0.kind == .stopEnd }.compactMap { e -> (Int64, Int64)? in
            guard case .time(let start)? = e.attribute("started_at") else { return nil }
            return (start, e.timeMs)
        }
        stops = ScenarioScoring.scoreStops(
            detectedStops.map { (startMs: $0.0, endMs: $0.1) }, truth: s.truth.stops, pauses: s.truth.trafficPauses)

        let transitions = events.compactMap { e -> ScenarioScoring.Transition? in
            guard e.kind == .geofenceEnter || e.kind == .geofenceExit, let fence = e.subject else { return nil }
            return .init(
                fenceID: fence, isEnter: e.kind == .geofenceEnter, timeMs: e.timeMs, detectedAtMs: e.confirmedAtMs)
        }
        visits = ScenarioScoring.scoreVisits(transitions, truth: s.truth.visits)
        let intervalMs = zip(s.fixes.dropFirst(), s.fixes).map { $0.timeMs - $1.timeMs }.min() ?? 1000
        var worstExit: Int64?
        for visit in s.truth.visits {
            guard let exitMs = visit.exitMs else { continue }
            let fence = fences.first { $0.id == visit.fenceID }
            let dwellMs = Int64(((fence?.exitDwellS ?? configuration.geofences.exitDwellS) * 1000).rounded())
            let detection = transitions.filter { !$0.isEnter && $0.fenceID == visit.fenceID }
                .min { abs($0.timeMs - exitMs) < abs($1.timeMs - exitMs) }
            guard let detection, let confirmed = detection.detectedAtMs else { continue }
            let beyond = confirmed - exitMs - dwellMs - intervalMs
            worstExit = max(worstExit ?? .min, beyond)
        }
        exitDelayBeyondDwellMs = worstExit

        var openDeviations: [String: Int64] = [:]
        var detectedDeviations: [(routeID: String, startMs: Int64, endMs: Int64?)] = []
        for e in events {
            guard let route = e.subject else { continue }
            if e.kind == .deviationStart {
                openDeviations[route] = e.timeMs
            } else if e.kind == .deviationEnd, let start = openDeviations.removeValue(forKey: route) {
                detectedDeviations.append((route, start, e.timeMs))
            }
        }
        for (route, start) in openDeviations.sorted(by: { $0.key < $1.key }) {
            detectedDeviations.append((route, start, nil))
        }
        deviations = ScenarioScoring.scoreDeviations(detectedDeviations, truth: s.truth.deviations)
    }

    enum EvaluationError: Error, CustomStringConvertible {
        case unknownScenario(String)
        var description: String {
            switch self {
            case .unknownScenario(let name): "unknown scenario \(name)"
            }
        }
    }
}
