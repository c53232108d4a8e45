import FieldtraceCore

/// Everything a scenario is made of before it is observed: the true track in its plane, the
/// fences and routes, the gaps and the error model. `assemble()` turns it into a `Scenario`.
struct ScenarioPlan {
    var name: String
    var seed: UInt64
    var device: DeviceID
    var startMs: Int64
    var plane: ScenarioPlane
    var track: TrueTrack
    var errors: GPSErrorModel
    /// Seconds of the day (multiples of the interval) with no fixes, in order.
    var gaps: [ClosedRange<Int>] = []
    var fences: [ScenarioFence] = []
    var routes: [ScenarioRoute] = []

    /// The day's first fix time: 2026-12-01T07:00:00Z.
    static let dayStartMs: Int64 = ISO8601.parse("2026-12-01T07:00:00Z".utf8)!

    func ms(_ second: Double) -> Int64 { startMs + Int64((second * 1000).rounded()) }

    func interval(_ start: Int, _ end: Int, _ at: PlanePoint) -> TruthInterval {
        let (lat, lon) = plane.latitudeLongitude(at)
        return TruthInterval(
            startMs: startMs + Int64(start) * 1000, endMs: startMs + Int64(end) * 1000, latitude: lat, longitude: lon)
    }

    /// The intervals (seconds) during which the true track is outside a route's corridor.
    func deviationIntervals(_ route: ScenarioRoute) -> [(start: Double, end: Double?)] {
        var hint = 0
        return track.insideIntervals { route.line.distance(to: $0, hint: &hint) > route.widthM / 2 }
    }

    func assemble() -> Scenario {
        let observed = errors.observe(track, plane: plane, device: device, startMs: startMs, gaps: gaps, seed: seed)
        var visits: [TruthVisit] = []
        for fence in fences {
            for v in track.insideIntervals(fence.contains) {
                visits.append(TruthVisit(fenceID: fence.id, enterMs: ms(v.start), exitMs: v.end.map(ms)))
            }
        }
        visits.sort { ($0.enterMs, $0.fenceID) < ($1.enterMs, $1.fenceID) }
        var deviations: [TruthDeviation] = []
        for route in routes {
            for d in deviationIntervals(route) {
                deviations.append(
                    TruthDeviation(routeID: route.id, startMs: ms(d.start), endMs: ms(d.end ?? Double(track.count - 1)))
                )
            }
        }
        deviations.sort { ($0.startMs, $0.routeID) < ($1.startMs, $1.routeID) }
        let truth = ScenarioTruth(
            positions: observed.positions, outlierIndices: observed.outlierIndices,
            stops: track.stops.map { interval($0.start, $0.end, $0.at) },
            trafficPauses: track.pauses.map { interval($0.start, $0.end, $0.at) }, visits: visits,
            deviations: deviations,
            gaps: gaps.map { interval($0.lowerBound, $0.upperBound, track.position($0.lowerBound)) })
        return Scenario(
            name: name, seed: seed, device: device, fixes: observed.fixes, truth: truth,
            fencesGeoJSON: ScenarioGeoJSON.fences(fences, plane: plane),
            routesGeoJSON: ScenarioGeoJSON.routes(routes, device: device, plane: plane))
    }

    /// Whether a fence makes clean truth: the day starts outside it and every visit lasts at
    /// least `minimumVisitSeconds` (no drive-through that no dwell-based detector should report).
    func isClean(_ fence: ScenarioFence, minimumVisitSeconds: Double = 90) -> Bool {
        let visits = track.insideIntervals(fence.contains)
        guard let first = visits.first, first.start > 0 else { return false }
        return visits.allSatisfy { ($0.end ?? Double(track.count)) - $0.start >= minimumVisitSeconds }
    }

    /// Picks `count` gaps of `lengthSeconds` while moving, at least two minutes from any stop or
    /// `avoid` interval (seconds) and from each other, 30 s from pauses, aligned to the reporting
    /// interval.
    mutating func addGaps(
        count: Int, lengthSeconds: ClosedRange<Int>, avoid: [ClosedRange<Int>] = [], _ rng: inout ScenarioRandom
    ) {
        let step = max(1, errors.intervalSeconds)
        var busy = (avoid + track.stops.map { $0.start...$0.end }).map { ($0.lowerBound - 120)...($0.upperBound + 120) }
        busy += track.pauses.map { ($0.start - 30)...($0.end + 30) }
        var chosen: [ClosedRange<Int>] = []
        var attempts = 0
        while chosen.count < count && attempts < 5000 {
            attempts += 1
            let length = rng.int(lengthSeconds) / step * step
            let start = rng.int(600...(track.count - 600 - length)) / step * step
            let gap = start...(start + length)
            guard busy.allSatisfy({ !$0.overlaps(gap) }) else { continue }
            chosen.append(gap)
            busy.append((start - 120)...(start + length + 120))
        }
        gaps = chosen.sorted { $0.lowerBound < $1.lowerBound }
    }
}
