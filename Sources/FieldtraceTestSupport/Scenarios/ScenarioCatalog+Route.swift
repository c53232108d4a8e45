import FieldtraceCore

extension ScenarioCatalog {
    /// A day along a planned route, with or without detours (see the catalog's list).
    ///
    /// The route runs north-east as a staircase of grid legs through 10-12 sites, so it never
    /// comes back near itself. A detour leaves an east leg to the south (a north leg to the west),
    /// away from the rest of the route, and rejoins the same leg 150-300 m further on.
    static func route(name: String, seed: UInt64, detours: Bool, origin: (Double, Double)) -> ScenarioPlan {
        var motion = ScenarioRandom(seed: seed, stream: 1)
        var layout = ScenarioRandom(seed: seed, stream: 2)
        let plane = ScenarioPlane(originLatitude: origin.0, originLongitude: origin.1)
        var route: [PlanePoint] = [.zero]
        var siteVertex = [0]
        for _ in 0..<motion.int(10...12) {
            let next =
                route[route.count - 1] + PlanePoint(east: motion.uniform(1500, 4500), north: motion.uniform(1500, 4500))
            route += RoadPaths.grid(from: route[route.count - 1], to: next, &motion).dropFirst()
            siteVertex.append(route.count - 1)
        }
        var along = [0.0]
        for i in route.indices.dropFirst() { along.append(along[i - 1] + route[i].distance(to: route[i - 1])) }
        let total = along[along.count - 1]

        // Detours: on straight axis-aligned legs of 450 m or more, 1 km from any site and 3 km apart.
        struct Detour {
            var leg: Int
            var points: [PlanePoint]
            var stopSeconds: Int
        }
        var chosen: [Detour] = []
        if detours {
            var candidates = route.indices.dropLast().filter { i in
                let d = route[i + 1] - route[i]
                let axisAligned = abs(d.east) < 1e-6 || abs(d.north) < 1e-6
                return axisAligned && d.length >= 450 && along[i] > 1500 && along[i + 1] < total - 1500
                    && siteVertex.allSatisfy {
                        abs(along[$0] - along[i]) > 1000 && abs(along[$0] - along[i + 1]) > 1000
                    }
            }
            let wanted = motion.int(1...3)
            while chosen.count < wanted, !candidates.isEmpty {
                let i = candidates.remove(at: motion.int(0...(candidates.count - 1)))
                guard chosen.allSatisfy({ abs(along[$0.leg] - along[i]) > 3000 }) else { continue }
                let length = route[i + 1].distance(to: route[i])
                let dir = (route[i + 1] - route[i]) * (1 / length)
                let side = abs(dir.north) < 1e-6 ? PlanePoint(east: 0, north: -1) : PlanePoint(east: -1, north: 0)
                let parallel = motion.uniform(150, min(300, length - 200))
                let p = route[i] + dir * motion.uniform(60, length - parallel - 60)
                let q = p + dir * parallel
                let away = motion.uniform(600, 1200)
                chosen.append(
                    Detour(
                        leg: i, points: [p, p + side * away, q + side * away, q],
                        stopSeconds: chosen.isEmpty ? Int(motion.uniform(4, 10) * 60) : 0))
            }
            chosen.sort { $0.leg < $1.leg }
        }

        var builder = TrueTrackBuilder(start: .zero)
        for trip in 0..<(siteVertex.count - 1) {
            var path = [route[siteVertex[trip]]]
            for i in siteVertex[trip]..<siteVertex[trip + 1] {
                if let detour = chosen.first(where: { $0.leg == i }) {
                    path.append(contentsOf: detour.points.prefix(2))
                    if detour.stopSeconds > 0 {
                        builder.follow(path, .driving, &motion)
                        builder.stay(detour.stopSeconds, .stop)
                        path = [path[path.count - 1]]
                    }
                    path.append(contentsOf: detour.points.suffix(2))
                }
                path.append(route[i + 1])
            }
            builder.follow(path, .driving, &motion)
            if trip + 1 < siteVertex.count - 1 { builder.stay(stopSeconds(trip, &motion), .stop) }
        }

        var errors = GPSErrorModel()
        errors.groundAltitudeM = 60
        let start = ScenarioPlan.dayStartMs
        var plan = ScenarioPlan(
            name: name, seed: seed, device: DeviceID(name)!, startMs: start, plane: plane, track: builder.track,
            errors: errors)
        plan.routes = [
            ScenarioRoute(
                id: "route-1", points: route, widthM: 50, fromMs: start - 1_800_000,
                toMs: start + Int64(builder.track.count) * 1000 + 1_800_000, plane: plane)
        ]
        let away = plan.deviationIntervals(plan.routes[0]).map {
            (Int($0.start) - 300)...(Int($0.end ?? Double(builder.track.count)) + 300)
        }
        plan.addGaps(count: 1, lengthSeconds: 60...240, avoid: away, &layout)
        return plan
    }
}
