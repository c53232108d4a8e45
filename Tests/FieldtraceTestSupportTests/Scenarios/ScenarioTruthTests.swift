import FieldtraceCore
import FieldtraceTestSupport
import Testing

/// Every scenario for seeds 1 and 2, made once for all suites (a day takes a few tenths of a
/// second in a debug build).
enum ScenarioCache {
    static let cases: [(String, UInt64)] = ScenarioCatalog.names.flatMap { name in
        [(name, UInt64(1)), (name, UInt64(2))]
    }
    static let made: [String: Scenario] = Dictionary(
        uniqueKeysWithValues: cases.map { ("\($0.0)/\($0.1)", ScenarioCatalog.make($0.0, seed: $0.1)!) })
    static func scenario(_ name: String, _ seed: UInt64) -> Scenario { made["\(name)/\(seed)"]! }
}

/// The ground truth agrees with the fixes and with the GeoJSON, for every scenario and a few seeds.
@Suite struct ScenarioTruthTests {
    static let cases = ScenarioCache.cases
    static func scenario(_ name: String, _ seed: UInt64) -> Scenario { ScenarioCache.scenario(name, seed) }

    static func distance(_ fix: Fix, _ p: TruePosition) -> Double {
        Geodesy.haversineMeters(lat1: fix.latitude, lon1: fix.longitude, lat2: p.latitude, lon2: p.longitude)
    }

    static func covering(_ intervals: [TruthInterval], _ timeMs: Int64) -> TruthInterval? {
        intervals.first { $0.startMs <= timeMs && timeMs <= $0.endMs }
    }

    @Test(arguments: cases)
    func fixesAndPositionsLineUp(name: String, seed: UInt64) {
        let s = Self.scenario(name, seed)
        let interval: Int64 = name == "sparse" ? 10_000 : 1000
        #expect(s.truth.positions.count == s.fixes.count, "seed \(seed)")
        #expect(zip(s.fixes, s.truth.positions).allSatisfy { $0.timeMs == $1.timeMs }, "seed \(seed)")
        #expect(s.fixes.allSatisfy { $0.timeMs % 1000 == 0 && $0.device == s.device && $0.isValid })
        #expect(
            s.fixes.allSatisfy { ($0.receivedMs ?? 0) - $0.timeMs >= 100 && ($0.receivedMs ?? 0) - $0.timeMs < 1000 })
        #expect(
            zip(s.fixes, s.fixes.dropFirst()).allSatisfy {
                ($1.timeMs - $0.timeMs) % interval == 0 && $1.timeMs > $0.timeMs
            })
        let hours = Double(s.fixes.last!.timeMs - s.fixes.first!.timeMs) / 3_600_000
        #expect(hours >= 7 && hours <= 11, "\(name) seed \(seed): \(hours) h")
    }

    @Test(arguments: cases)
    func noiseOutliersAndHDOPMatchTheModel(name: String, seed: UInt64) {
        let s = Self.scenario(name, seed)
        let noiseM = name == "boundary-loiter" ? 15.0 : 5.0
        let outliers = Set(s.truth.outlierIndices)
        let share = Double(outliers.count) / Double(s.fixes.count)
        #expect(share > 0.004 && share < 0.016, "\(name) seed \(seed): outlier share \(share)")
        let range = name == "boundary-loiter" ? 100.0...200 : 50...300
        let misplaced = s.truth.outlierIndices.filter {
            !range.contains(Self.distance(s.fixes[$0], s.truth.positions[$0]))
        }
        #expect(
            misplaced.isEmpty, "\(name) seed \(seed): outliers not \(range) m from the truth: \(misplaced.prefix(5))")
        var squares = 0.0
        var normalised = 0.0
        var count = 0.0
        var worst = 0.0
        for (i, fix) in s.fixes.enumerated() where !outliers.contains(i) {
            let d = Self.distance(fix, s.truth.positions[i])
            squares += d * d
            let sigmaAxis = fix.hdop! * 3.5
            normalised += d * d / (2 * sigmaAxis * sigmaAxis)
            worst = max(worst, d)
            count += 1
        }
        let rms = (squares / count).squareRoot()
        #expect(abs(rms - noiseM) < 0.1 * noiseM, "\(name) seed \(seed): RMS \(rms) m")
        #expect(
            abs(normalised / count - 1) < 0.15,
            "\(name) seed \(seed): error² / (2 (hdop × 3.5)²) = \(normalised / count)")
        #expect(worst < 7 * noiseM, "\(name) seed \(seed): worst non-outlier error \(worst) m")
    }

    @Test(arguments: cases)
    func stopsAndPausesHoldStill(name: String, seed: UInt64) {
        let s = Self.scenario(name, seed)
        let expected: ClosedRange<Int> =
            switch name {
            case "boundary-loiter": 0...0
            case "workday-walk": 8...10
            case "route-detour", "route-on": 9...12
            default: 8...12
            }
        #expect(expected.contains(s.truth.stops.count), "\(name) seed \(seed): \(s.truth.stops.count) stops")
        if name != "boundary-loiter" { #expect(!s.truth.trafficPauses.isEmpty) }
        for stop in s.truth.stops {
            #expect(stop.endMs - stop.startMs >= 180_000 && stop.endMs - stop.startMs <= 3_600_000)
        }
        for pause in s.truth.trafficPauses {
            #expect(pause.endMs - pause.startMs >= 20_000 && pause.endMs - pause.startMs <= 60_000)
            // Well apart from stops in time and place, so no stop detector has reason to join them.
            #expect(s.truth.stops.allSatisfy { $0.endMs + 30_000 < pause.startMs || pause.endMs + 30_000 < $0.startMs })
            #expect(
                s.truth.stops.allSatisfy {
                    Geodesy.haversineMeters(
                        lat1: $0.latitude, lon1: $0.longitude, lat2: pause.latitude, lon2: pause.longitude) > 60
                })
        }
        let still = s.truth.stops + s.truth.trafficPauses
        var moved: [Int] = []
        var movingButStill: [Int] = []
        for (i, fix) in s.fixes.enumerated() {
            let truth = s.truth.positions[i]
            if let stop = Self.covering(still, fix.timeMs) {
                if truth.latitude != stop.latitude || truth.longitude != stop.longitude || fix.speedMps! >= 0.8 {
                    moved.append(i)
                }
            } else if i > 0, name != "boundary-loiter",
                !still.contains(where: { $0.startMs <= fix.timeMs && s.fixes[i - 1].timeMs <= $0.endMs }),
                fix.timeMs - s.fixes[i - 1].timeMs <= 10_000
            {
                // Between stops and pauses the worker is moving.
                let previous = s.truth.positions[i - 1]
                if previous.latitude == truth.latitude && previous.longitude == truth.longitude {
                    movingButStill.append(i)
                }
            }
        }
        #expect(
            moved.isEmpty, "\(name) seed \(seed): fixes in stops or pauses off the stop or fast: \(moved.prefix(5))")
        #expect(movingButStill.isEmpty, "\(name) seed \(seed): still outside stops: \(movingButStill.prefix(5))")
    }

    @Test(arguments: cases)
    func gapsHaveNoFixes(name: String, seed: UInt64) {
        let s = Self.scenario(name, seed)
        let expected = ["workday-drive": 2, "sparse": 2, "workday-walk": 1, "route-on": 1, "route-detour": 1]
        #expect(s.truth.gaps.count == expected[name] ?? 0, "\(name) seed \(seed)")
        for gap in s.truth.gaps {
            #expect(gap.endMs - gap.startMs >= 60_000)
            #expect(!s.fixes.contains { $0.timeMs >= gap.startMs && $0.timeMs <= gap.endMs })
            let interval: Int64 = name == "sparse" ? 10_000 : 1000
            #expect(s.fixes.contains { $0.timeMs == gap.startMs - interval })
            #expect(s.fixes.contains { $0.timeMs == gap.endMs + interval })
        }
    }

    @Test(arguments: cases)
    func visitsAreTheTrueTracksCrossings(name: String, seed: UInt64) throws {
        let s = Self.scenario(name, seed)
        let fences = try #require(TestFeature.read(s.fencesGeoJSON))
        #expect(Set(s.truth.visits.map(\.fenceID)).isSubset(of: Set(fences.map(\.id))))
        switch name {
        case "workday-drive", "sparse":
            #expect(s.truth.visits.count >= 4)
            #expect(fences.contains { $0.kind == "LineString" } && fences.contains { $0.kind == "Polygon" })
        case "workday-walk":
            #expect(s.truth.visits.count >= 4)
            #expect(fences.allSatisfy { $0.kind == "Polygon" } && fences.contains { $0.lines.count == 2 })
        case "boundary-loiter":
            #expect(s.truth.visits.count == 2)
            #expect(s.truth.visits.allSatisfy { $0.exitMs != nil && $0.exitMs! - $0.enterMs >= 600_000 })
            // The worker keeps within 5 m of the boundary except on the deliberate excursions.
            let yard = fences[0]
            let near = s.truth.positions.filter { p in
                let d = yard.lineDistance(p.latitude, p.longitude)
                return d >= 1.4 && d <= 5.1
            }
            #expect(Double(near.count) > 0.75 * Double(s.fixes.count), "seed \(seed)")
        default:
            #expect(s.truth.visits.isEmpty)
        }
        for fence in fences {
            let visits = s.truth.visits.filter { $0.fenceID == fence.id }
            let crossings = visits.flatMap { [$0.enterMs] + ($0.exitMs.map { [$0] } ?? []) }
            #expect(visits.allSatisfy { ($0.exitMs ?? Int64.max) - $0.enterMs >= 90_000 })
            var wrong: [Int] = []
            for (i, p) in s.truth.positions.enumerated()
            where !crossings.contains(where: { abs($0 - p.timeMs) <= 1000 }) {
                let expected = visits.contains { $0.enterMs <= p.timeMs && p.timeMs < ($0.exitMs ?? Int64.max) }
                if fence.contains(p.latitude, p.longitude) != expected { wrong.append(i) }
            }
            #expect(
                wrong.isEmpty,
                "\(name) seed \(seed) \(fence.id): truth inside/outside disagrees at fixes \(wrong.prefix(5))")
        }
    }

    @Test(arguments: cases)
    func deviationsLeaveTheCorridorAndOnRouteDaysStayInIt(name: String, seed: UInt64) throws {
        let s = Self.scenario(name, seed)
        let routes = try #require(TestFeature.read(s.routesGeoJSON))
        guard name.hasPrefix("route-") else {
            #expect(routes.isEmpty && s.truth.deviations.isEmpty)
            return
        }
        let route = try #require(routes.first)
        let halfWidth = (route.properties["width_m"] as! Double) / 2
        if name == "route-on" {
            #expect(s.truth.deviations.isEmpty)
            let worst = s.truth.positions.map { route.lineDistance($0.latitude, $0.longitude) }.max()!
            #expect(worst < 5, "seed \(seed): \(worst) m from the route")
            return
        }
        #expect((1...3).contains(s.truth.deviations.count), "seed \(seed)")
        for deviation in s.truth.deviations {
            #expect(deviation.routeID == route.id)
            #expect(deviation.endMs - deviation.startMs >= 120_000)
            let inside = s.truth.positions.filter { $0.timeMs > deviation.startMs && $0.timeMs < deviation.endMs }
            let distances = inside.map { route.lineDistance($0.latitude, $0.longitude) }
            #expect(
                distances.allSatisfy { $0 > halfWidth - 0.01 }, "seed \(seed): back in the corridor during a deviation")
            #expect((distances.max() ?? 0) > 300, "seed \(seed): detour reaches \(distances.max() ?? 0) m")
        }
        let outside = s.truth.positions.filter { p in
            !s.truth.deviations.contains { p.timeMs >= $0.startMs - 1000 && p.timeMs <= $0.endMs + 1000 }
                && route.lineDistance(p.latitude, p.longitude) > halfWidth + 0.01
        }
        #expect(outside.isEmpty, "seed \(seed): outside the corridor but not in a deviation: \(outside.prefix(3))")
    }
}
