import FieldtraceCore

/// A worker's day: the true track (seconds from the window's start) and its observation.
extension DemoFleet {
    struct Plan {
        var track: TrueTrack
        /// The nominal street path of the day (home to car park), for a planned route.
        var planned: [PlanePoint]
        /// Stays at sites: site id, first and last second at rest.
        var visits: [(site: String, start: Int, end: Int)]
        /// Seconds: leaving home, arriving in the car park.
        var leaveSecond: Int
        var parkSecond: Int
    }

    /// Worker `index`'s day starting at `dayStartMs` (the instant of the window's start,
    /// 06:30 local: the caller places it in `timeZone`).
    public func day(worker index: Int, dayStartMs: Int64) -> Day {
        precondition(workers.indices.contains(index), "no demo worker \(index)")
        let worker = workers[index]
        let plan = Self.plan(worker: worker, sites: sites, groups: groups, carParks: carParks, seed: seed)
        var errors = GPSErrorModel()
        errors.intervalSeconds = Self.intervalSeconds
        errors.groundAltitudeM = 170  // Lyon's river banks
        let device = DeviceID(worker.deviceID)!
        let observed = errors.observe(
            plan.track, plane: plane, device: device, startMs: dayStartMs, gaps: [],
            seed: Self.workerSeed(seed, index))
        // Parked trackers report once a minute: before leaving home (2 minutes of margin) and in
        // the car park; without multipath outliers there (a parked tracker resends its last good
        // position), since one outlier among fixes a minute apart looks like a real excursion.
        let quietBefore = dayStartMs + Int64(plan.leaveSecond - 120) * 1000
        let quietAfter = dayStartMs + Int64(plan.parkSecond + 60) * 1000
        let parkedMs = Int64(Self.parkedIntervalSeconds) * 1000
        let outliers = Set(observed.outlierIndices)
        var fixes: [Fix] = []
        fixes.reserveCapacity(observed.fixes.count)
        for (i, fix) in observed.fixes.enumerated() {
            if fix.timeMs >= quietBefore && fix.timeMs <= quietAfter {
                fixes.append(fix)
            } else if (fix.timeMs - dayStartMs) % parkedMs == 0, !outliers.contains(i) {
                fixes.append(fix)
            }
        }
        let end = plan.track.position(plan.track.count - 1)
        let (lat, lon) = plane.e7(end)
        return Day(
            worker: index, fixes: fixes,
            visits: plan.visits.map {
                Visit(
                    site: $0.site, arriveMs: dayStartMs + Int64($0.start) * 1000,
                    departMs: dayStartMs + Int64($0.end) * 1000)
            }, parkedLatitudeE7: lat, parkedLongitudeE7: lon)
    }

    /// A fix of a worker parked at (`latitudeE7`, `longitudeE7`) at `timeMs` (after the day):
    /// 3 m of seeded jitter per axis, at rest.
    public func parkedFix(worker index: Int, timeMs: Int64, latitudeE7: Int32, longitudeE7: Int32) -> Fix {
        var rng = ScenarioRandom(seed: Self.workerSeed(seed, index) ^ UInt64(bitPattern: timeMs), stream: 41)
        let at = plane.point(latitude: Double(latitudeE7) / 1e7, longitude: Double(longitudeE7) / 1e7)
        let (lat, lon) = plane.e7(at + PlanePoint(east: rng.gaussian() * 3, north: rng.gaussian() * 3))
        return Fix(
            device: DeviceID(workers[index].deviceID)!, timeMs: timeMs, latitudeE7: lat, longitudeE7: lon,
            altitudeM: 170, speedMps: 0, courseDeg: 0, hdop: 0.9, satellites: 10, flags: .valid, source: .simulated)
    }

    /// The true track of a worker's day (see the type's documentation for the story).
    static func plan(
        worker: Worker, sites: [Site], groups: [Group], carParks: [String: PlanePoint], seed: UInt64
    ) -> Plan {
        var motion = ScenarioRandom(seed: workerSeed(seed, worker.index), stream: 1)
        var choice = ScenarioRandom(seed: workerSeed(seed, worker.index), stream: 2)
        let group = groups.first { $0.id == worker.group }!
        let depot = sites.first { $0.id == group.depot }!
        let customers = sites.filter { !$0.isDepot }
        let shiftStart = (group.shiftStartMinute - windowStartMinute) * 60
        let shiftEnd = (group.shiftEndMinute - windowStartMinute) * 60
        func isClear(_ p: PlanePoint) -> Bool { sites.allSatisfy { $0.spot.distance(to: p) > 300 } }

        var home = depot.spot
        for _ in 0..<200 {
            home = depot.spot + choice.unitVector() * choice.uniform(1500, 4000)
            if isClear(home) { break }
        }
        var b = TrueTrackBuilder(start: home)
        var planned = [home]
        var visits: [(site: String, start: Int, end: Int)] = []
        /// Seconds a drive along `path` from the builder's state takes (a dry run on copies).
        func duration(_ path: [PlanePoint]) -> Int {
            var probe = b
            var rng = motion
            probe.follow(path, .driving, &rng)
            return probe.time - b.time
        }
        func stay(at site: Site, seconds: Int) {
            let start = b.time
            b.stay(max(1, seconds), .stop)
            visits.append((site.id, start, b.time))
        }

        // Commute: arrive at the depot before the shift (late workers after it).
        let arrival = shiftStart + Int(worker.lateMinutes.map { $0 * 60 } ?? -choice.uniform(3, 15) * 60)
        let commute = RoadPaths.grid(from: home, to: depot.spot, &motion)
        b.stay(max(60, arrival - duration(commute) - b.time), .still)
        let leave = b.time
        b.follow(commute, .driving, &motion)
        planned += commute.dropFirst()
        stay(at: depot, seconds: Int(choice.uniform(8, 15) * 60))

        // Sites until the end of the shift is near.
        var visited: Set<String> = []
        var leg = 0
        while visits.count < 13 {
            let nearest = customers.filter { !visited.contains($0.id) }
                .sorted { ($0.spot.distance(to: b.position), $0.id) < ($1.spot.distance(to: b.position), $1.id) }
            guard !nearest.isEmpty else { break }
            let target = nearest[choice.int(0...min(3, nearest.count - 1))]
            let path = RoadPaths.grid(from: b.position, to: target.spot, &motion)
            let seconds = Int(choice.uniform(10, 60) * 60)
            let back = target.spot.distance(to: depot.spot) * 1.4 / 8 + 120
            let estimate = RoadPaths.length(path) / 7 + 60 + Double(seconds) + back
            if visits.count >= 3, Double(b.time) + estimate > Double(shiftEnd - 600) { break }
            visited.insert(target.id)
            var actual = path
            if worker.deviatesFromRoute, leg == 2 {
                actual = detour(from: b.position, to: target.spot, &motion, &choice)
            }
            b.follow(actual, .driving, &motion)
            planned += path.dropFirst()
            leg += 1
            if worker.leavesPost, visits.count == 3 {
                // 15 minutes in, away to a place that is no site for 40 minutes, back to finish.
                stay(at: target, seconds: 15 * 60)
                var away = target.spot
                for _ in 0..<200 {
                    away = target.spot + choice.unitVector() * choice.uniform(1200, 2000)
                    if isClear(away) { break }
                }
                let there = RoadPaths.grid(from: target.spot, to: away, &motion)
                let returning = RoadPaths.grid(from: away, to: target.spot, &motion)
                let outbound = duration(there)
                b.follow(there, .driving, &motion)
                let inbound = duration(returning)
                b.stay(max(300, 40 * 60 - outbound - inbound), .stop)
                b.follow(returning, .driving, &motion)
                stay(at: target, seconds: max(600, seconds - 15 * 60))
            } else {
                stay(at: target, seconds: seconds)
            }
        }

        // Back to the depot until the shift ends, then into the car park for the night.
        let returnPath = RoadPaths.grid(from: b.position, to: depot.spot, &motion)
        b.follow(returnPath, .driving, &motion)
        planned += returnPath.dropFirst()
        stay(at: depot, seconds: max(600, shiftEnd + Int(choice.uniform(0, 10) * 60) - b.time))
        let bay = carParks[depot.id]! + PlanePoint(east: Double(worker.index % 10) * 4 - 18, north: 0)
        let parking = RoadPaths.grid(from: b.position, to: bay, &motion)
        b.follow(parking, .driving, &motion)
        planned += parking.dropFirst()
        let park = b.time
        if b.time < windowSeconds { b.stay(windowSeconds - b.time, .still) }
        var track = b.track
        if track.count > windowSeconds + 1 { track = truncated(track, to: windowSeconds + 1) }
        return Plan(
            track: track, planned: RoadPaths.deduplicated(planned), visits: visits, leaveSecond: leave,
            parkSecond: park)
    }

    /// A drive from `a` to `b` by way of a point at least 500 m outside the box the two span
    /// (beside the longer side), so it leaves any street path between them.
    static func detour(
        from a: PlanePoint, to b: PlanePoint, _ motion: inout ScenarioRandom, _ choice: inout ScenarioRandom
    ) -> [PlanePoint] {
        let mid = (a + b) * 0.5
        let side = choice.chance(0.5) ? 1.0 : -1.0
        let away = choice.uniform(600, 900)
        var via = mid
        if abs(b.east - a.east) >= abs(b.north - a.north) {
            via.north = (side > 0 ? max(a.north, b.north) : min(a.north, b.north)) + side * away
        } else {
            via.east = (side > 0 ? max(a.east, b.east) : min(a.east, b.east)) + side * away
        }
        return RoadPaths.grid(from: a, to: via, &motion) + RoadPaths.grid(from: via, to: b, &motion).dropFirst()
    }

    /// The first `count` samples of a track (stops and pauses clipped to them).
    static func truncated(_ track: TrueTrack, to count: Int) -> TrueTrack {
        var out = TrueTrack()
        out.east = Array(track.east.prefix(count))
        out.north = Array(track.north.prefix(count))
        out.speed = Array(track.speed.prefix(count))
        out.heading = Array(track.heading.prefix(count))
        out.stops = track.stops.filter { $0.start < count }.map { ($0.start, min($0.end, count - 1), $0.at) }
        out.pauses = track.pauses.filter { $0.start < count }.map { ($0.start, min($0.end, count - 1), $0.at) }
        return out
    }
}
