import FieldtraceCore

extension ScenarioCatalog {
    /// A working day of stops at sites (see the catalog's list for the parameters).
    static func workday(
        name: String, seed: UInt64, walking: Bool, intervalSeconds: Int, origin: (Double, Double)
    ) -> ScenarioPlan {
        var motion = ScenarioRandom(seed: seed, stream: 1)
        var layout = ScenarioRandom(seed: seed, stream: 2)
        let plane = ScenarioPlane(originLatitude: origin.0, originLongitude: origin.1)
        let profile: MotionProfile = walking ? .walking : .driving
        let tripM: ClosedRange<Double> = walking ? 300...1400 : 2000...8000
        let regionM = walking ? 2500.0 : 8000
        let spacingM = walking ? 250.0 : 600
        var builder = TrueTrackBuilder(start: .zero)
        var sites: [PlanePoint] = []
        var drives: [[PlanePoint]] = []
        let siteCount = motion.int(walking ? 8...10 : 8...12)
        for index in 0..<(siteCount + 1) {
            var target = PlanePoint.zero  // the last drive goes back to the depot
            if index < siteCount {
                for _ in 0..<60 {
                    target = builder.position + motion.unitVector() * motion.uniform(tripM.lowerBound, tripM.upperBound)
                    if target.length < regionM, target.length > spacingM,
                        sites.allSatisfy({ $0.distance(to: target) > spacingM })
                    {
                        break
                    }
                }
            }
            let path = RoadPaths.grid(from: builder.position, to: target, &motion)
            drives.append(path)
            builder.follow(path, profile, &motion)
            guard index < siteCount else { break }
            builder.stay(stopSeconds(index, &motion), .stop)
            sites.append(builder.position)
        }
        var errors = GPSErrorModel()
        errors.intervalSeconds = intervalSeconds
        errors.groundAltitudeM = walking ? 15 : 180
        var plan = ScenarioPlan(
            name: name, seed: seed, device: DeviceID(name)!, startMs: ScenarioPlan.dayStartMs, plane: plane,
            track: builder.track, errors: errors)
        // Fences around about two thirds of the sites; walking: polygons, the first big enough
        // with a courtyard hole. A fence is kept only if its truth is clean (see `isClean`).
        var holeDone = false
        for (k, site) in sites.enumerated() where layout.chance(0.7) {
            for _ in 0..<4 {
                let id = "site-\(k + 1)"
                let fence: ScenarioFence
                if walking {
                    let outer = blob(around: site, corners: layout.int(5...8), radiusM: 25...45, &layout)
                    if !holeDone {
                        let big = blob(around: site, corners: 6, radiusM: 70...95, &layout)
                        let c = site + layout.unitVector() * 35
                        let hole = [
                            c + PlanePoint(east: -10, north: -10), c + PlanePoint(east: 10, north: -10),
                            c + PlanePoint(east: 10, north: 10), c + PlanePoint(east: -10, north: 10),
                        ]
                        fence = .polygon(id: id, outer: big, holes: [hole], plane: plane)
                    } else {
                        fence = .polygon(id: id, outer: outer, plane: plane)
                    }
                } else if layout.chance(0.5) {
                    let offset = layout.unitVector() * layout.uniform(0, 15)
                    fence = .circle(id: id, center: site + offset, radiusM: layout.uniform(40, 100), plane: plane)
                } else {
                    fence = .polygon(
                        id: id, outer: blob(around: site, corners: layout.int(5...7), radiusM: 50...110, &layout),
                        plane: plane)
                }
                if plan.isClean(fence) {
                    if case .polygon(let rings) = fence.shape, rings.count > 1 { holeDone = true }
                    plan.fences.append(fence)
                    break
                }
            }
        }
        if !walking {
            // A corridor along four to six legs in the middle of one of the longer drives.
            let order = drives.indices.sorted { (-drives[$0].count, $0) < (-drives[$1].count, $1) }
            for d in order.prefix(4) where drives[d].count >= 8 {
                let first = drives[d].count / 2 - 2
                let line = Array(drives[d][first...min(drives[d].count - 2, first + layout.int(4...6))])
                let fence = ScenarioFence.corridor(id: "corridor-1", line: line, widthM: 30, plane: plane)
                if plan.isClean(fence) {
                    plan.fences.append(fence)
                    break
                }
            }
        }
        plan.addGaps(count: walking ? 1 : 2, lengthSeconds: 60...(intervalSeconds > 1 ? 300 : 240), &layout)
        return plan
    }
}
