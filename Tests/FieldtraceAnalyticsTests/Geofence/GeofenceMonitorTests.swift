import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small seeded walker for monitor tests: a true path in metres around a fence, GPS error
/// (Gauss-Markov, `errorSigmaM`, time constant `errorTauS`) and multipath outliers.
struct WalkerTrack {
    var intervalS = 5.0
    var errorSigmaM = 5.0
    var errorTauS = 20.0
    var outlierRate = 0.0
    var outlierM = 150.0
    var startMs: Int64 = 1_714_521_600_000  // 2024-05-01T00:00:00Z
    var hdop: Double? = nil
    var accuracyM: Double? = nil

    func fixes(durationS: Double, seed: UInt64, device: String = "w1", truth: (Double) -> (Double, Double)) -> [Fix] {
        var rng = SeededRandom(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func gaussian() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * uniform()) }
        let plane = LocalTangentPlane(originLatitude: 30, originLongitude: 120)
        let a = exp(-intervalS / errorTauS)
        let kick = errorSigmaM * (1 - a * a).squareRoot()
        var ex = gaussian() * errorSigmaM
        var ey = gaussian() * errorSigmaM
        var fixes: [Fix] = []
        var t = 0.0
        while t <= durationS {
            ex = ex * a + kick * gaussian()
            ey = ey * a + kick * gaussian()
            var (x, y) = truth(t)
            x += ex
            y += ey
            if uniform() < outlierRate {
                let angle = uniform() * 2 * Double.pi
                x += outlierM * cos(angle)
                y += outlierM * sin(angle)
            }
            let (lat, lon) = plane.unproject(eastM: x, northM: y)
            fixes.append(
                Fix(
                    device: DeviceID(device)!, timeMs: startMs + Int64(t * 1000),
                    latitudeE7: CoordinateE7.fromDegrees(lat),
                    longitudeE7: CoordinateE7.fromDegrees(lon), hdop: hdop, accuracyM: accuracyM))
            t += intervalS
        }
        return fixes
    }
}

@Suite struct GeofenceMonitorTests {
    let p = PlaneHelper()

    func site(_ dwellS: Double? = nil, hours: ActiveHours? = nil) -> GeofenceIndex {
        GeofenceIndex(fences: [
            Geofence(
                id: "site", shape: .circle(center: p.position(0, 0), radiusM: 200), dwellS: dwellS, activeHours: hours)
        ])
    }

    /// Walk in from 500 m west at 1.4 m/s, stay `stayS` at the centre, walk out east.
    static func visit(stayS: Double) -> (Double) -> (Double, Double) {
        { t in
            let inAt = 500 / 1.4
            if t < inAt { return (-500 + 1.4 * t, 0) }
            if t < inAt + stayS { return (0, 0) }
            return (1.4 * (t - inAt - stayS), 0)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func aVisitGivesOneEnterAndOneExitAtTheCrossingTimes(seed: UInt64) {
        let walker = WalkerTrack(intervalS: 5, errorSigmaM: 8, hdop: 8 / 3.5)
        let fixes = walker.fixes(durationS: 3_000, seed: seed, truth: Self.visit(stayS: 1_200))
        let events = GeofenceMonitor.run(fixes, index: site())
        #expect(events.map(\.kind) == [.geofenceEnter, .geofenceExit], "seed \(seed)")
        guard events.count == 2 else { return }
        let start = walker.startMs
        let trueEnter = start + Int64(300 / 1.4 * 1000)
        let trueExit = start + Int64((500 / 1.4 + 1_200 + 200 / 1.4) * 1000)
        #expect(
            abs(events[0].timeMs - trueEnter) <= 10_000, "seed \(seed): enter at \(events[0].timeMs - trueEnter) ms")
        #expect(abs(events[1].timeMs - trueExit) <= 10_000, "seed \(seed): exit at \(events[1].timeMs - trueExit) ms")
        // Confirmed within the dwell time plus one reporting interval after the true crossing.
        #expect(events[1].confirmedAtMs <= trueExit + 120_000 + 5_000, "seed \(seed)")
        #expect(events[0].subject == "site" && events[1].attribute("duration_s") != nil)
        if case .double(let duration)? = events[1].attribute("duration_s") {
            #expect(abs(duration - Double(events[1].timeMs - events[0].timeMs) / 1000) < 0.01)
        }
        if case .double(let distance)? = events[1].attribute("distance_m") { #expect(distance >= 25) }
    }

    /// Eight hours standing 1.5-5 m outside the boundary with 15 m jitter and 150 m outliers: no
    /// transition. (The jitter is nearly white, as in the simulator's loiter scenario; errors
    /// that drift over minutes need a larger margin, see `settleErrorFloorM`.)
    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16])
    func loiteringAtTheBoundaryNeverFlaps(seed: UInt64) {
        for interval in [1.0, 5.0, 10.0] {
            // 15 m per axis, reported honestly through HDOP (sigma = HDOP x 3.5 m).
            let walker = WalkerTrack(
                intervalS: interval, errorSigmaM: 15, errorTauS: 0.5, outlierRate: 0.02, hdop: 15 / 3.5)
            let fixes = walker.fixes(durationS: 8 * 3_600, seed: seed) { t in
                // Pacing along the boundary, shuffling between 1.5 and 5 m outside it.
                let angle = t / 600
                let r = 203.25 + 1.75 * sin(t / 97)
                return (r * cos(angle), r * sin(angle))
            }
            let events = GeofenceMonitor.run(fixes, index: site())
            #expect(events.isEmpty, "seed \(seed) interval \(interval): \(events.map(\.jsonLine))")
            // Standing just inside instead: at most one enter (the settle test needs 60 fixes
            // in its window, so a device reporting every 10 s stays "outside": within the noise
            // the state is kept), and never an exit.
            let insideFixes = walker.fixes(durationS: 8 * 3_600, seed: seed) { t in
                let angle = t / 600
                let r = 196.75 - 1.75 * sin(t / 97)
                return (r * cos(angle), r * sin(angle))
            }
            let inside = GeofenceMonitor.run(insideFixes, index: site())
            #expect(
                inside.isEmpty || inside.map(\.kind) == [.geofenceEnter],
                "seed \(seed) interval \(interval): \(inside.map(\.jsonLine))")
            if interval == 1 { #expect(inside.count == 1, "seed \(seed): a 1 Hz device settles inside") }
        }
    }

    @Test func oneWildFixNeitherEntersNorExits() {
        var fixes = WalkerTrack(errorSigmaM: 3).fixes(durationS: 600, seed: 1) { _ in (-260, 0) }
        // A 150 m jump deep inside, then back.
        let plane = LocalTangentPlane(originLatitude: 30, originLongitude: 120)
        let (lat, lon) = plane.unproject(eastM: -110, northM: 0)
        fixes[60].latitudeE7 = CoordinateE7.fromDegrees(lat)
        fixes[60].longitudeE7 = CoordinateE7.fromDegrees(lon)
        #expect(GeofenceMonitor.run(fixes, index: site()).isEmpty)
        // A device inside with a burst of two wild fixes outside stays inside too.
        var inside = WalkerTrack(errorSigmaM: 3).fixes(durationS: 1_200, seed: 2) { _ in (-100, 0) }
        for i in [100, 101] {
            let (lat, lon) = plane.unproject(eastM: -260, northM: 0)
            inside[i].latitudeE7 = CoordinateE7.fromDegrees(lat)
            inside[i].longitudeE7 = CoordinateE7.fromDegrees(lon)
        }
        #expect(GeofenceMonitor.run(inside, index: site()).map(\.kind) == [.geofenceEnter])
    }

    @Test func fixesWhoseAccuracyStraddlesTheBoundaryDoNotVote() {
        let truth = Self.visit(stayS: 600)
        let vague = WalkerTrack(errorSigmaM: 2, accuracyM: 400).fixes(durationS: 1_500, seed: 3, truth: truth)
        #expect(GeofenceMonitor.run(vague, index: site()).isEmpty)
        // HDOP 70 x UERE 3.5 m = 245 m: also too vague for a 200 m circle.
        let badHDOP = WalkerTrack(errorSigmaM: 2, hdop: 70).fixes(durationS: 1_500, seed: 3, truth: truth)
        #expect(GeofenceMonitor.run(badHDOP, index: site()).isEmpty)
        let good = WalkerTrack(errorSigmaM: 2, hdop: 1).fixes(durationS: 1_500, seed: 3, truth: truth)
        #expect(GeofenceMonitor.run(good, index: site()).map(\.kind) == [.geofenceEnter, .geofenceExit])
    }

    @Test func dwellIsReportedOncePerVisitAtEntryPlusThreshold() {
        let fixes = WalkerTrack(errorSigmaM: 3).fixes(durationS: 3_000, seed: 4, truth: Self.visit(stayS: 1_200))
        let events = GeofenceMonitor.run(fixes, index: site(600))
        #expect(events.map(\.kind) == [.geofenceEnter, .geofenceDwell, .geofenceExit])
        guard events.count == 3 else { return }
        #expect(events[1].timeMs == events[0].timeMs + 600_000 && events[1].confirmedAtMs >= events[1].timeMs)
        #expect(events[1].attribute("duration_s") == .double(600))
    }

    @Test func activeHoursSuppressEventsButKeepTheState() throws {
        // Local UTC+8: the walk starts 07:55 local, the enter (~07:58) is outside 08:00-18:00,
        // the exit (~08:20) inside, with the duration from the real entry.
        let hours = try #require(ActiveHours(parsing: "08:00-18:00", utcOffsetMinutes: 480))
        var walker = WalkerTrack(errorSigmaM: 3)
        walker.startMs = 1_714_521_600_000 - 5 * 60_000
        let fixes = walker.fixes(durationS: 2_000, seed: 5, truth: Self.visit(stayS: 1_200))
        let events = GeofenceMonitor.run(fixes, index: site(hours: hours))
        #expect(events.map(\.kind) == [.geofenceExit])
        if case .double(let duration)? = events.first?.attribute("duration_s") { #expect(duration > 1_200) }
        // Who is inside: during the stay, the monitor knows without any event.
        var monitor = GeofenceMonitor(index: site(hours: hours))
        for fix in fixes.prefix(200) { _ = monitor.process(fix) }
        #expect(monitor.insideFences(of: DeviceID("w1")!) == ["site"])
        #expect(monitor.state(of: DeviceID("w1")!, fenceID: "site") == .inside)
        #expect(monitor.insideFences(of: DeviceID("w2")!).isEmpty)
    }

    @Test func perFenceMarginAndDwellOverrideTheDefaults() {
        let quick = GeofenceIndex(fences: [
            Geofence(id: "q", shape: .circle(center: p.position(0, 0), radiusM: 200), marginM: 5, enterDwellS: 0)
        ])
        let fixes = WalkerTrack(intervalS: 1, errorSigmaM: 0.5).fixes(durationS: 400, seed: 6) { t in
            (-400 + 1.4 * t, 0)
        }
        let events = GeofenceMonitor.run(fixes, index: quick)
        #expect(events.map(\.kind) == [.geofenceEnter])
        // Crossing at t = 200/1.4 s; 5 m margin at 1.4 m/s: confirmed within ~5 s.
        if let e = events.first { #expect(e.confirmedAtMs - e.timeMs < 6_000 && e.confirmedAtMs - e.timeMs >= 0) }
    }

    @Test func sameInputGivesByteIdenticalEventsAndManyDevicesAreIndependent() throws {
        let fences = try Geofence.readCollection(Array(SyntheticFences.geoJSON(count: 400, seed: 4, sideM: 4_000).utf8))
        let index = GeofenceIndex(fences: fences)
        var fixes: [Fix] = []
        for d in 0..<4 {
            var sim = FleetSimulator(seed: UInt64(40 + d))
            fixes += sim.track(
                device: DeviceID("w\(d)")!, startMs: 1_714_521_600_000, durationSeconds: 4 * 3_600,
                latitude: SyntheticFences.originLatitude, longitude: SyntheticFences.originLongitude)
        }
        fixes.sort { ($0.timeMs, $0.device.rawValue) < ($1.timeMs, $1.device.rawValue) }
        let first = GeofenceMonitor.run(fixes, index: index).map(\.jsonLine).joined(separator: "\n")
        let second = GeofenceMonitor.run(fixes, index: index).map(\.jsonLine).joined(separator: "\n")
        #expect(first == second && !first.isEmpty)
        // Each device alone gives its own events, whatever the interleaving.
        let alone = GeofenceMonitor.run(fixes.filter { $0.device.rawValue == "w2" }, index: index)
        let mixed = GeofenceMonitor.run(fixes, index: index).filter { $0.device.rawValue == "w2" }
        #expect(alone == mixed)
    }
}
