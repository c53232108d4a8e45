import FieldtraceCore

extension ScenarioCatalog {
    /// Eight hours at a yard's edge (see the catalog's list). The yard is a 120 × 80 m rectangle
    /// turned by a random angle; the worker keeps to the middle 60 m of its south edge, so the
    /// other edges are at least 30 m away.
    static func boundaryLoiter(name: String, seed: UInt64, origin: (Double, Double)) -> ScenarioPlan {
        var motion = ScenarioRandom(seed: seed, stream: 1)
        let plane = ScenarioPlane(originLatitude: origin.0, originLongitude: origin.1)
        let turn = motion.uniform(0, 2 * Double.pi)
        let edge = PlanePoint.unit(heading: turn)  // along the south edge
        let inward = PlanePoint.unit(heading: turn - Double.pi / 2)  // into the yard
        func at(_ a: Double, _ depth: Double) -> PlanePoint { edge * a + inward * depth }
        func bandPoint(_ side: Double, _ rng: inout ScenarioRandom) -> PlanePoint {
            at(rng.uniform(-30, 30), side * rng.uniform(1.5, 5))
        }
        func alongEdge(_ p: PlanePoint) -> Double { p.east * edge.east + p.north * edge.north }

        var builder = TrueTrackBuilder(start: bandPoint(-1, &motion))
        func loiter(until second: Int, side: Double) {
            while builder.time < second {
                builder.stay(motion.int(60...360), .still)
                builder.follow([builder.position, bandPoint(side, &motion)], .shuffling, &motion)
            }
        }
        func walk(to target: PlanePoint) {
            builder.follow([builder.position, target], .walking, &motion)
        }
        loiter(until: 5400, side: -1)
        walk(to: at(alongEdge(builder.position), 40))  // a real entry, deep into the yard
        builder.stay(motion.int(600...900), .still)
        walk(to: bandPoint(1, &motion))
        loiter(until: 14_000, side: 1)
        walk(to: at(alongEdge(builder.position), -100))  // a real exit and back
        builder.stay(motion.int(600...1200), .still)
        walk(to: bandPoint(1, &motion))
        loiter(until: 22_000, side: 1)
        walk(to: at(alongEdge(builder.position), -100))  // a real exit, back to the outside of the edge
        builder.stay(motion.int(600...1200), .still)
        walk(to: bandPoint(-1, &motion))
        loiter(until: 28_800, side: -1)

        var errors = GPSErrorModel()
        errors.horizontalRMSM = 15
        errors.outlierM = 130...170
        errors.groundAltitudeM = 650
        var plan = ScenarioPlan(
            name: name, seed: seed, device: DeviceID(name)!, startMs: ScenarioPlan.dayStartMs, plane: plane,
            track: builder.track, errors: errors)
        plan.fences = [.polygon(id: "yard", outer: [at(-60, 0), at(60, 0), at(60, 80), at(-60, 80)], plane: plane)]
        return plan
    }
}
