import FieldtraceCore
import Testing

@testable import FieldtraceTestSupport

/// The demo world (`DemoFleet`): seeded and deterministic, and its days tell the story it
/// promises (late workers, one leaving the post, routes driven and one left).
@Suite struct DemoFleetTests {
    /// 2026-11-27 (a Friday) 06:30 in Lyon (UTC+1 in winter).
    static let dayStartMs: Int64 = ISO8601.parse("2026-11-27T05:30:00Z".utf8)!
    static let fleet = DemoFleet(seed: 1)

    static func plan(_ index: Int) -> DemoFleet.Plan {
        DemoFleet.plan(
            worker: fleet.workers[index], sites: fleet.sites, groups: fleet.groups, carParks: fleet.carParks,
            seed: fleet.seed)
    }

    @Test func theSameSeedGivesTheSameWorldAndDays() {
        let again = DemoFleet(seed: 1)
        #expect(again.sites.map(\.feature) == Self.fleet.sites.map(\.feature))
        #expect(again.routes.map(\.feature) == Self.fleet.routes.map(\.feature))
        #expect(again.workers == Self.fleet.workers)
        #expect(again.groups == Self.fleet.groups)
        let a = Self.fleet.day(worker: 5, dayStartMs: Self.dayStartMs)
        let b = again.day(worker: 5, dayStartMs: Self.dayStartMs)
        #expect(a.fixes.map(\.jsonLine) == b.fixes.map(\.jsonLine))
        #expect(a.visits == b.visits)
        let other = DemoFleet(seed: 2)
        #expect(other.sites.map(\.feature) != Self.fleet.sites.map(\.feature))
    }

    @Test func theWorldHasItsSitesGroupsRoutesAndMixedProtocols() {
        let f = Self.fleet
        #expect(f.sites.count == 32)
        #expect(f.sites.filter(\.isDepot).map(\.id) == ["depot-north", "depot-south"])
        #expect(Set(f.sites.map(\.id)).count == 32)
        #expect(f.groups.map(\.id) == ["repair", "sales", "nurses"])
        #expect(f.routes.map(\.id) == ["route-1", "route-2", "route-3"])
        #expect(f.workers.count == 50 && Set(f.workers.map(\.deviceID)).count == 50)
        for wire in DemoFleet.Wire.allCases {
            #expect(f.workers.filter { $0.wire == wire }.count >= 12, "\(wire)")
        }
        #expect(f.workers.compactMap(\.route) == ["route-1", "route-2", "route-3"])
        #expect(f.workers[0].deviceID == "353000000000000" && f.workers[1].deviceID == "013900000001")
        #expect(f.workers[2].deviceID == "868000000000002" && f.workers[3].deviceID == "demo-nmea-003")
        // Circles of 40-90 m and polygons; every feature names its id and kind.
        for site in f.sites {
            #expect(site.feature.contains("\"id\":\"\(site.id)\""))
            #expect(site.feature.contains(site.isDepot ? "\"kind\":\"depot\"" : "\"kind\":\"customer\""))
            if case .circle(_, let radius) = site.fence.shape { #expect((40...90).contains(radius)) }
        }
        #expect(f.sites.contains { $0.feature.contains("\"Polygon\"") && !$0.isDepot })
        #expect(f.sites.contains { $0.feature.contains("\"Point\"") })
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 6, 8])
    func aDayIsOrderedPlausibleAndVisitsSitesThatAreFences(_ index: Int) throws {
        let f = Self.fleet
        let day = f.day(worker: index, dayStartMs: Self.dayStartMs)
        let windowEnd = Self.dayStartMs + Int64(DemoFleet.windowSeconds) * 1000
        #expect(day.fixes.count > 3000, "5 s reports over a working day")
        #expect(day.fixes.allSatisfy { $0.device.rawValue == f.workers[index].deviceID })
        #expect(zip(day.fixes, day.fixes.dropFirst()).allSatisfy { $0.timeMs < $1.timeMs })
        #expect(day.fixes.first!.timeMs >= Self.dayStartMs && day.fixes.last!.timeMs <= windowEnd)
        #expect(day.fixes.allSatisfy { ($0.speedMps ?? 0) < 20 }, "a van in town")
        var fast = 0
        for (a, b) in zip(day.fixes, day.fixes.dropFirst()) {
            let metres = Geodesy.distanceMeters(a, b)
            if metres / (Double(b.timeMs - a.timeMs) / 1000) > 30 { fast += 1 }
        }
        #expect(Double(fast) < Double(day.fixes.count) * 0.03, "only multipath outliers jump: \(fast)")

        // Every stay is at a site: the true position is inside its fence, and depot first and last.
        let plan = Self.plan(index)
        let group = try #require(f.group(f.workers[index].group))
        #expect(plan.visits.first?.site == group.depot && plan.visits.last?.site == group.depot)
        #expect(plan.visits.count >= 5, "the depot, at least 3 customers, the depot")
        for visit in plan.visits {
            let site = try #require(f.site(visit.site))
            #expect(site.fence.contains(plan.track.position(visit.start)), "\(visit.site)")
            #expect(site.fence.contains(plan.track.position(visit.end)), "\(visit.site)")
            if !site.isDepot { #expect(visit.end - visit.start >= 600 && visit.end - visit.start <= 3600) }
        }
        #expect(day.visits.count == plan.visits.count)
        // Home and the car park are no site.
        let start = plan.track.position(0)
        let end = plan.track.position(plan.track.count - 1)
        #expect(f.sites.allSatisfy { !$0.fence.contains(start) && !$0.fence.contains(end) })
        #expect(plan.track.count == DemoFleet.windowSeconds + 1)
    }

    @Test func lateWorkersArriveAfterTheShiftStartsAndTheOthersBefore() throws {
        let f = Self.fleet
        for index in 0..<14 {
            let plan = Self.plan(index)
            let group = try #require(f.group(f.workers[index].group))
            let shiftStart = (group.shiftStartMinute - DemoFleet.windowStartMinute) * 60
            let arrival = try #require(plan.visits.first).start
            if DemoFleet.lateWorkers.contains(index) {
                #expect(arrival - shiftStart >= 15 * 60 && arrival - shiftStart <= 46 * 60, "worker \(index)")
            } else {
                #expect(arrival < shiftStart && arrival > shiftStart - 16 * 60, "worker \(index)")
            }
            let shiftEnd = (group.shiftEndMinute - DemoFleet.windowStartMinute) * 60
            #expect(try #require(plan.visits.last).end >= shiftEnd, "stays at the depot until the shift ends")
        }
    }

    @Test func oneWorkerLeavesThePostForFortyMinutes() {
        let visits = Self.plan(DemoFleet.leavesPostWorker).visits
        let away = zip(visits, visits.dropFirst()).filter { $0.site == $1.site }.map { $1.start - $0.end }
        #expect(away.count == 1 && (38 * 60...42 * 60).contains(away[0]), "\(away)")
        for index in [0, 1, 2, 4, 5] {
            let v = Self.plan(index).visits
            #expect(zip(v, v.dropFirst()).allSatisfy { $0.site != $1.site })
        }
    }

    @Test func routeWorkersFollowTheirRoutesAndOneDeviates() throws {
        let f = Self.fleet
        for route in f.routes {
            let line = ScenarioPolyline(route.points)
            let track = Self.plan(route.worker).track
            var hint = 0
            var outside = 0
            for i in stride(from: 0, to: track.count, by: 5)
            where line.distance(to: track.position(i), hint: &hint) > route.widthM / 2 {
                outside += 5
            }
            if route.worker == DemoFleet.deviatingWorker {
                #expect(outside >= 180, "the detour leaves the corridor for minutes: \(outside) s")
            } else {
                #expect(outside == 0, "\(route.id): \(outside) s outside")
            }
        }
        let text = f.routesGeoJSON(fromMs: 0, toMs: 86_400_000)
        #expect(text.contains("\"device\":\"\(f.workers[4].deviceID)\""))
        #expect(!f.routes[0].feature.contains("\"device\""))
    }

    @Test func parkedFixesStayAtTheParkingPlace() {
        let day = Self.fleet.day(worker: 2, dayStartMs: Self.dayStartMs)
        let t = Self.dayStartMs + 86_400_000
        let a = Self.fleet.parkedFix(
            worker: 2, timeMs: t, latitudeE7: day.parkedLatitudeE7, longitudeE7: day.parkedLongitudeE7)
        let b = Self.fleet.parkedFix(
            worker: 2, timeMs: t, latitudeE7: day.parkedLatitudeE7, longitudeE7: day.parkedLongitudeE7)
        #expect(a == b && a.timeMs == t && a.speedMps == 0)
        let metres = Geodesy.haversineMeters(
            lat1: a.latitude, lon1: a.longitude, lat2: Double(day.parkedLatitudeE7) / 1e7,
            lon2: Double(day.parkedLongitudeE7) / 1e7)
        #expect(metres < 20)
        let last = day.fixes.last!
        #expect(Geodesy.distanceMeters(last, a) < 40)
    }
}
