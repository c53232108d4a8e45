/// The true motion of a scenario, one sample per second from the day's start (sample `i` is the
/// state at second `i`), with the stops and pauses it contains.
struct TrueTrack: Sendable {
    var east: [Double] = []
    var north: [Double] = []
    /// Speed during the second that ended at the sample, m/s.
    var speed: [Double] = []
    /// Direction of travel, radians clockwise from north (kept while at rest).
    var heading: [Double] = []
    /// Stops and pauses as sample indices (inclusive: at rest at both ends) and the position.
    var stops: [(start: Int, end: Int, at: PlanePoint)] = []
    var pauses: [(start: Int, end: Int, at: PlanePoint)] = []

    var count: Int { east.count }
    func position(_ i: Int) -> PlanePoint { .init(east: east[i], north: north[i]) }

    /// The position at fractional second `s`, linear between samples.
    func position(atSecond s: Double) -> PlanePoint {
        let i = max(0, min(count - 2, Int(s)))
        let f = s - Double(i)
        return position(i) * (1 - f) + position(i + 1) * f
    }

    mutating func append(_ p: PlanePoint, speed v: Double, heading h: Double) {
        east.append(p.east)
        north.append(p.north)
        speed.append(v)
        heading.append(h)
    }

    /// Intervals (fractional seconds) during which `inside` holds for the linearly interpolated
    /// track; each change between two samples is located by bisection to about 0.1 ms. The end is
    /// `nil` when the track ends inside. O(samples × cost of `inside`).
    func insideIntervals(_ inside: (PlanePoint) -> Bool) -> [(start: Double, end: Double?)] {
        var out: [(start: Double, end: Double?)] = []
        guard count > 0 else { return out }
        var was = inside(position(0))
        if was { out.append((0, nil)) }
        for i in 1..<count {
            let now = inside(position(i))
            guard now != was else { continue }
            let a = position(i - 1)
            let b = position(i)
            var low = 0.0
            var high = 1.0
            for _ in 0..<14 {
                let mid = (low + high) / 2
                if inside(a * (1 - mid) + b * mid) == was { low = mid } else { high = mid }
            }
            let t = Double(i - 1) + (low + high) / 2
            if now { out.append((t, nil)) } else { out[out.count - 1].end = t }
            was = now
        }
        return out
    }
}

/// How a mover accelerates, cruises and turns.
struct MotionProfile: Sendable {
    /// Cruise speed range, m/s; each leg draws its own.
    var cruiseMps: ClosedRange<Double>
    var accelerationMps2: Double
    var brakingMps2: Double
    /// Lateral acceleration allowed in a curve, m/s²: the corner speed is √(a × radius).
    var lateralMps2: Double
    /// Radius of rounded corners, metres.
    var cornerRadiusM: Double
    /// Chance that a road vertex has a wait (traffic light, crossing) of 20-60 s.
    var pauseChance: Double
    /// Path distance from a wait to the trip's ends, metres, so a wait is never mistaken for
    /// part of a stop (about 40 s of driving, 80 s of walking).
    var pauseClearanceM: Double

    /// A van in town: 8-14 m/s, 1.5 m/s² up, 2.5 m/s² down, corners of 10 m radius at about
    /// 4.5 m/s, a light at a fifth of the intersections.
    static let driving = MotionProfile(
        cruiseMps: 8...14, accelerationMps2: 1.5, brakingMps2: 2.5, lateralMps2: 2, cornerRadiusM: 10, pauseChance: 0.2,
        pauseClearanceM: 400)
    /// A pedestrian: 1-1.6 m/s, waits at an eighth of the crossings.
    static let walking = MotionProfile(
        cruiseMps: 1...1.6, accelerationMps2: 0.5, brakingMps2: 0.7, lateralMps2: 1, cornerRadiusM: 3,
        pauseChance: 0.12, pauseClearanceM: 100)
    /// Shuffling about a work place: 0.2-0.5 m/s, no waits.
    static let shuffling = MotionProfile(
        cruiseMps: 0.2...0.5, accelerationMps2: 0.2, brakingMps2: 0.3, lateralMps2: 1, cornerRadiusM: 1,
        pauseChance: 0, pauseClearanceM: 0)
}

/// Builds a `TrueTrack` from movements and stays.
struct TrueTrackBuilder {
    enum Stay { case stop, pause, still }

    private(set) var track = TrueTrack()
    private(set) var position: PlanePoint
    private var heading: Double
    /// Path metres since the last pause, so lights are not back to back.
    private var sinceLastPauseM = 1e9

    init(start: PlanePoint, heading: Double = 0) {
        position = start
        self.heading = heading
        track.append(start, speed: 0, heading: heading)
    }

    /// The second of the last sample.
    var time: Int { track.count - 1 }

    /// Stays at the current position for `seconds`; a `.stop` or `.pause` is recorded from the
    /// last sample (arrival) to the last sample of the stay (departure), `.still` is not.
    mutating func stay(_ seconds: Int, _ kind: Stay) {
        let start = time
        for _ in 0..<seconds { track.append(position, speed: 0, heading: heading) }
        switch kind {
        case .stop: track.stops.append((start, time, position))
        case .pause: track.pauses.append((start, time, position))
        case .still: break
        }
    }

    /// Moves from rest along `path` (its first point is the current position; it is rounded at
    /// the corners here) and ends at rest on its last point. Vertices `pauseClearanceM` from both
    /// ends and 400 m from the last wait may get a wait (a `.pause`) with the profile's chance.
    mutating func follow(_ path: [PlanePoint], _ profile: MotionProfile, _ rng: inout ScenarioRandom) {
        let raw = RoadPaths.deduplicated([position] + path.dropFirst())
        guard raw.count >= 2 else { return }
        let (points, waitCandidates) = RoadPaths.rounded(raw, radiusM: profile.cornerRadiusM)
        let n = points.count - 1  // segments
        var lengths = [Double](repeating: 0, count: n)
        var headings = [Double](repeating: 0, count: n)
        var cruise = [Double](repeating: 0, count: n)
        var total = 0.0
        for i in 0..<n {
            let d = points[i + 1] - points[i]
            lengths[i] = d.length
            headings[i] = d.heading
            total += lengths[i]
        }
        var legCruise = rng.uniform(profile.cruiseMps.lowerBound, profile.cruiseMps.upperBound)
        for i in 0..<n {
            if waitCandidates[i] { legCruise = rng.uniform(profile.cruiseMps.lowerBound, profile.cruiseMps.upperBound) }
            cruise[i] = legCruise
        }
        // Target speed at the end of each segment (vertex i + 1) and the waits there.
        var vertexSpeed = [Double](repeating: 0, count: n)
        var waitSeconds = [Int](repeating: 0, count: n)
        var travelled = 0.0
        for i in 0..<n {
            travelled += lengths[i]
            sinceLastPauseM += lengths[i]
            guard i + 1 < n else { break }
            let turn = abs(ScenarioMath.wrap(headings[i + 1] - headings[i]))
            let radius = min(lengths[i], lengths[i + 1]) / max(turn, 1e-9)
            vertexSpeed[i] = min(cruise[i], cruise[i + 1], (profile.lateralMps2 * radius).squareRoot())
            if waitCandidates[i + 1], travelled >= profile.pauseClearanceM,
                total - travelled >= profile.pauseClearanceM, sinceLastPauseM >= 400,
                rng.chance(profile.pauseChance)
            {
                vertexSpeed[i] = 0
                waitSeconds[i] = rng.int(20...60)
                sinceLastPauseM = 0
            }
        }
        var segment = 0
        var along = 0.0
        var speed = 0.0
        while segment < n {
            // Fastest speed from which every vertex ahead (within braking reach) can be met.
            var allowed = cruise[segment]
            var distance = lengths[segment] - along
            var j = segment
            while j < n {
                allowed = min(
                    allowed, (vertexSpeed[j] * vertexSpeed[j] + 2 * profile.brakingMps2 * distance).squareRoot())
                j += 1
                if j >= n || distance > 200 { break }
                distance += lengths[j]
            }
            speed = min(speed + profile.accelerationMps2, allowed)
            var step = speed
            var arrived = false
            while step > 0 {
                let rest = lengths[segment] - along
                if step < rest {
                    along += step
                    step = 0
                } else {
                    step -= rest
                    along = 0
                    segment += 1
                    if segment == n || vertexSpeed[segment - 1] == 0 {
                        arrived = true
                        break
                    }
                }
            }
            let h = headings[along > 0 || segment == 0 ? min(segment, n - 1) : segment - 1]
            heading = h
            if arrived { speed = 0 }
            position =
                segment == n
                ? points[n] : points[segment] + (points[segment + 1] - points[segment]) * (along / lengths[segment])
            track.append(position, speed: speed, heading: h)
            if arrived, segment < n, waitSeconds[segment - 1] > 0 { stay(waitSeconds[segment - 1], .pause) }
        }
        position = points[n]
    }
}
