import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct RouteDeviationDetectorTests {
    let device = DeviceID("w1")!

    /// A route through plane points (metres east, north of the synthetic track's origin).
    func route(_ points: [(Double, Double)], width: Double = 40, from: Int64 = 0, to: Int64 = 86_400_000)
        -> PlannedRoute
    {
        let plane = SyntheticTrack(seed: 0).plane
        return PlannedRoute(
            id: "r1", device: device, fromMs: from, toMs: to, widthMeters: width,
            points: points.map {
                let p = plane.unproject(eastM: $0.0, northM: $0.1)
                return PlannedRoute.Point(latitude: p.latitude, longitude: p.longitude)
            })
    }

    func double(_ event: AnalyticsEvent?, _ key: String) -> Double? {
        if case .double(let v) = event?.attribute(key) { return v }
        return nil
    }

    @Test func followingTheRouteWithNoiseAndOutliersIsNoDeviationAndCoversIt() {
        let planned = route([(0, 0), (2000, 0), (2000, 1500), (500, 1500)])
        for seed in UInt64(1)...10 {
            var track = SyntheticTrack(seed: seed, noiseSigmaM: 5)
            track.move(east: 1000, north: 0, speed: 11)
            track.outlier(distance: 250)
            track.move(east: 1000, north: 0, speed: 11)
            track.stay(120, isStop: false)
            track.move(east: 0, north: 1500, speed: 11)
            for _ in 0..<8 { track.outlier(distance: 150) }
            track.move(east: -1500, north: 0, speed: 11)
            let events = RouteDeviationDetector.detect(track.fixes, route: planned)
            #expect(events.map(\.kind) == [.routeSummary], "seed \(seed)")
            #expect((double(events.last, "covered_share") ?? 0) >= 0.99, "seed \(seed) \(events)")
        }
    }

    @Test func aDetourIsFoundFromItsFirstFixOutsideToItsFirstFixBack() {
        let planned = route([(0, 0), (3000, 0)])
        // Smoothed-like noise: the travelled distance adds up raw noise (see the detector's doc).
        var track = SyntheticTrack(seed: 2, noiseSigmaM: 1.5)
        track.move(east: 1000, north: 0, speed: 10)
        let leftAt = Int64(track.timeS + 2) * 1000  // the corridor edge (20 m) is reached 2 s in
        track.move(east: 0, north: 300, speed: 10)
        track.move(east: 800, north: 0, speed: 10)
        track.move(east: 0, north: -300, speed: 10)
        let backAt = Int64(track.timeS - 2) * 1000
        track.move(east: 1200, north: 0, speed: 10)
        let events = RouteDeviationDetector.detect(track.fixes, route: planned)
        #expect(events.map(\.kind) == [.deviationStart, .deviationEnd, .routeSummary])
        guard events.count == 3 else { return }
        #expect(abs(events[0].timeMs - leftAt) <= 3000, "start \(events[0].timeMs) vs \(leftAt)")
        #expect(events[0].confirmedAtMs - events[0].timeMs >= 60_000)
        #expect(events[0].subject == "r1")
        #expect(abs(events[1].timeMs - backAt) <= 3000, "end \(events[1].timeMs) vs \(backAt)")
        #expect(abs((double(events[1], "max_distance_m") ?? 0) - 300) < 15)
        #expect(abs((double(events[1], "extra_distance_m") ?? 0) - 600) < 40, "\(events[1])")
        #expect(events[1].attribute("ended_by") == .string("return"))
        #expect((double(events[2], "covered_share") ?? 0) > 0.7 && (double(events[2], "covered_share") ?? 1) < 0.75)
        #expect(events[2].attribute("deviation_count") == .int(1))
    }

    @Test func aShortExcursionWithinTheGraceIsNoDeviation() {
        let planned = route([(0, 0), (3000, 0)])
        var track = SyntheticTrack(seed: 3, noiseSigmaM: 3)
        track.move(east: 1000, north: 0, speed: 10)
        track.move(east: 0, north: 150, speed: 10)
        track.move(east: 0, north: -150, speed: 10)  // 30 s out and back
        track.move(east: 1000, north: 0, speed: 10)
        #expect(RouteDeviationDetector.detect(track.fixes, route: planned).map(\.kind) == [.routeSummary])
    }

    @Test func crossingTheRouteDuringADetourDoesNotEndIt() {
        let planned = route([(0, 0), (4000, 0)])
        var track = SyntheticTrack(seed: 4, noiseSigmaM: 3)
        track.move(east: 500, north: 0, speed: 10)
        track.move(east: 0, north: 400, speed: 10)
        track.move(east: 0, north: -800, speed: 10)  // crosses the route at 10 m/s
        track.move(east: 0, north: 400, speed: 10)
        track.move(east: 1000, north: 0, speed: 10)
        let events = RouteDeviationDetector.detect(track.fixes, route: planned)
        #expect(events.map(\.kind) == [.deviationStart, .deviationEnd, .routeSummary])
    }

    @Test func travelToTheStartAndFixesOutsideTheWindowAreNoDeviation() {
        let planned = route([(0, 0), (3000, 0)], from: 100_000, to: 500_000)
        var track = SyntheticTrack(seed: 5, noiseSigmaM: 3)
        track.east = -1500
        track.north = 800
        track.move(east: 1500, north: -800, speed: 10)  // joins the route at its start
        track.move(east: 3000, north: 0, speed: 10)
        track.move(east: 0, north: 2000, speed: 10)  // leaves after the window
        let events = RouteDeviationDetector.detect(track.fixes, route: planned)
        #expect(events.map(\.kind) == [.routeSummary])
        #expect(events.first?.timeMs == 500_000, "the summary comes at the window's end")
    }

    @Test func aDeviationOpenAtTheEndOfTheInputIsClosed() {
        let planned = route([(0, 0), (3000, 0)])
        var track = SyntheticTrack(seed: 6, noiseSigmaM: 3)
        track.move(east: 1000, north: 0, speed: 10)
        track.move(east: 0, north: 1000, speed: 10)
        var detector = RouteDeviationDetector(route: planned)
        var events: [AnalyticsEvent] = []
        for fix in track.fixes { detector.process(fix, into: &events) }
        #expect(detector.progress.isDeviating && detector.progress.deviationCount == 1)
        events += detector.finish()
        #expect(events.map(\.kind) == [.deviationStart, .deviationEnd, .routeSummary])
        #expect(events[1].attribute("ended_by") == .string("end_of_input"))
        #expect(events[1].timeMs == track.fixes.last!.timeMs)
        #expect(detector.finish().isEmpty, "the summary is emitted once")
    }
}
