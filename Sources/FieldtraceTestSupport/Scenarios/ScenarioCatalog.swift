import FieldtraceCore

/// The named, seeded scenarios. Every scenario starts at 2026-12-01T07:00:00Z.
///
/// - `workday-drive`: a repair driver in Lyon, 1 Hz, 5 m noise, ~1% outliers (60-290 m): 8-12
///   stops of 3-60 minutes 2-8 km apart, traffic-light pauses, two signal gaps (1-4 min, while
///   driving), back to the depot. Fences: a circle (40-100 m) or an irregular polygon around about
///   two thirds of the sites and one corridor (30 m wide) along part of a drive.
/// - `workday-walk`: a home-care nurse in Bristol, 1 Hz, 5 m noise, outliers: 8-10 visits of 3-60
///   minutes 0.3-1.4 km apart on foot, waits at crossings, one gap. Fences: polygons around most
///   sites, one of them with a hole (a courtyard).
/// - `boundary-loiter`: 8 hours at 1 Hz, 15 m noise, 1% outliers of 130-170 m, at the south edge
///   of a 120 × 80 m yard (polygon `yard`). The worker stands and shuffles 1.5-5 m from the edge,
///   outside for the first ~1.5 h, inside for most of the day, outside for the last part. The only
///   true crossings are deliberate: walking 40 m into the yard (10-15 min) to change sides, and
///   twice walking 100 m out (10-20 min) and back: two visits. No stops are listed (the loitering
///   is neither a clean stop nor a trip); the scenario is for fences.
/// - `route-detour`: a driver in Berlin, 1 Hz, 5 m noise, assigned a planned route (`route-1`,
///   50 m wide corridor) through 10-12 sites; 1-3 detours leave the route at right angles for
///   600-1200 m, run 150-300 m parallel and come back (the first one has a 4-10 minute stop at its
///   far corner); one gap away from the detours.
/// - `route-on`: the same kind of day in Chicago, strictly on the route (within about 3 m, where
///   corners are rounded).
/// - `sparse`: a `workday-drive` kind of day in Sydney reported every 10 s (0.1 Hz), two gaps.
public enum ScenarioCatalog {
    public static let names: [String] = [
        "workday-drive", "workday-walk", "boundary-loiter", "route-detour", "route-on", "sparse",
    ]

    /// The scenario `name` for `seed`; `nil` for an unknown name.
    public static func make(_ name: String, seed: UInt64) -> Scenario? {
        plan(name, seed: seed)?.assemble()
    }

    static func plan(_ name: String, seed: UInt64) -> ScenarioPlan? {
        switch name {
        case "workday-drive":
            return workday(name: name, seed: seed, walking: false, intervalSeconds: 1, origin: (45.7640, 4.8357))
        case "workday-walk":
            return workday(name: name, seed: seed, walking: true, intervalSeconds: 1, origin: (51.4545, -2.5879))
        case "sparse":
            return workday(name: name, seed: seed, walking: false, intervalSeconds: 10, origin: (-33.8688, 151.2093))
        case "boundary-loiter":
            return boundaryLoiter(name: name, seed: seed, origin: (40.4168, -3.7038))
        case "route-detour":
            return route(name: name, seed: seed, detours: true, origin: (52.5200, 13.4050))
        case "route-on":
            return route(name: name, seed: seed, detours: false, origin: (41.8781, -87.6298))
        default:
            return nil
        }
    }

    /// Stop durations: every fourth stop is short (3-10 min), the others 25-60 min.
    static func stopSeconds(_ index: Int, _ rng: inout ScenarioRandom) -> Int {
        let minutes = index % 4 == 1 ? rng.uniform(3, 10) : rng.uniform(25, 60)
        return Int(minutes * 60)
    }

    /// An irregular polygon of `corners` around `center`, radii in `radiusM`.
    static func blob(
        around center: PlanePoint, corners: Int, radiusM: ClosedRange<Double>, _ rng: inout ScenarioRandom
    ) -> [PlanePoint] {
        let turn = rng.uniform(0, 2 * Double.pi)
        return (0..<corners).map { i in
            let angle = turn + (Double(i) + rng.uniform(-0.3, 0.3)) * 2 * Double.pi / Double(corners)
            return center + PlanePoint.unit(heading: angle) * rng.uniform(radiusM.lowerBound, radiusM.upperBound)
        }
    }
}
