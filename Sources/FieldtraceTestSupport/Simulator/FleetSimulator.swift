import FieldtraceCore

/// A seeded simulator of field workers' tracks, with ground truth.
///
/// Each worker alternates between stops at customer sites (minutes to an hour, GPS jitter
/// only) and drives between them along streets (see `track`). The position
/// error is a first-order Gauss-Markov process (time constant five minutes, sigma a few
/// metres: multipath and atmospheric errors decorrelate over minutes), which is how real receiver errors behave: strongly correlated from one second to
/// the next, not white noise. Receivers also filter their own output, so the error moves
/// smoothly: its velocity is a Gauss-Markov process (time constant 20 s, a few cm/s) and the
/// error position integrates it, pulled back towards zero over ten minutes. Fix times carry no jitter (receivers report on the second);
/// receive times add a network delay that varies by tens of milliseconds, with occasional
/// buffered bursts.
public struct FleetSimulator {
    public struct Configuration: Sendable {
        /// Seconds between fixes: 1 for a 1 Hz tracker, 10 for 0.1 Hz.
        public var intervalSeconds = 1
        /// Share of the day spent stopped at sites.
        public var stoppedShare = 0.6
        /// Standard deviation of the correlated position error, metres.
        public var errorSigmaM = 3.0
        /// Whether fixes carry optional values (altitude, speed, course, HDOP, satellites).
        public var withOptionalValues = true
        public var source = SourceProtocol.simulated
        public init() {}
    }

    public let configuration: Configuration
    private var rng: SeededRandom

    public init(seed: UInt64, configuration: Configuration = .init()) {
        self.configuration = configuration
        self.rng = SeededRandom(seed: seed)
    }

    private mutating func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    private mutating func gaussian() -> Double {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// One worker's fixes from `startMs` for `durationSeconds`, starting near a point.
    ///
    /// The motion is simulated second by second and sampled every `intervalSeconds`, so a
    /// 0.1 Hz track is a subsample of the same kind of day as a 1 Hz one. Driving follows
    /// streets: straight legs of 80 to 600 m, then a turn (mostly ±90°, sometimes a bend or a
    /// U-turn) taken slowly, speeds of 8 to 14 m/s with bounded acceleration, and traffic-light
    /// waits of 20 to 60 s that are not stops.
    public mutating func track(
        device: DeviceID, startMs: Int64, durationSeconds: Int, latitude: Double = 31.2304, longitude: Double = 121.4737
    ) -> [Fix] {
        let interval = max(1, configuration.intervalSeconds)
        let plane = LocalTangentPlane(originLatitude: latitude, originLongitude: longitude)
        var east = 0.0
        var north = 0.0
        var heading = Double(Int(uniform() * 4)) * Double.pi / 2
        var speed = 0.0
        var stopRemaining = Int(uniform() * 1800)
        var driveRemaining = 0
        var legRemainingM = 0.0
        var turnRemaining = 0.0  // radians still to turn
        var lightRemaining = 0
        var cruise = 10.0
        var errorEast = 0.0
        var errorNorth = 0.0
        var errorVelocityEast = 0.0
        var errorVelocityNorth = 0.0
        let velocityDecay = exp(-1 / 20.0)
        let positionDecay = exp(-1 / 600.0)
        // sigma of the error position is about sigma_v * sqrt(20 * 600) / sqrt(2) for these constants.
        let sigmaVelocity = configuration.errorSigmaM / (20.0 * 600.0 / 2).squareRoot()
        let kick = sigmaVelocity * (1 - velocityDecay * velocityDecay).squareRoot()
        var altitude = 10 + uniform() * 20
        var fixes: [Fix] = []
        fixes.reserveCapacity(durationSeconds / interval + 1)
        for t in 0..<durationSeconds {
            if stopRemaining > 0 {
                speed = 0
                stopRemaining -= 1
                if stopRemaining <= 0 {
                    let share = min(0.95, max(0.05, configuration.stoppedShare))
                    driveRemaining = Int((300 + uniform() * 1500) * (1 - share) / share)
                    legRemainingM = 80 + uniform() * 520
                    cruise = 8 + uniform() * 6
                }
            } else if lightRemaining > 0 {
                speed = max(0, speed - 3)
                lightRemaining -= 1
            } else {
                if legRemainingM <= 0 && turnRemaining == 0 {
                    let r = uniform()
                    let sign: Double = uniform() < 0.5 ? -1 : 1
                    turnRemaining =
                        r < 0.7 ? sign * Double.pi / 2 : r < 0.97 ? sign * (0.3 + uniform() * 0.5) : Double.pi
                    legRemainingM = 80 + uniform() * 520
                    if uniform() < 0.25 { lightRemaining = 20 + Int(uniform() * 40) }
                }
                let target = turnRemaining != 0 ? 5.0 : cruise
                speed += max(-2.5, min(1.5, target - speed))
                if turnRemaining != 0 {
                    let step = max(-0.4, min(0.4, turnRemaining))
                    heading += step
                    turnRemaining -= step
                    if abs(turnRemaining) < 1e-9 { turnRemaining = 0 }
                } else {
                    heading += gaussian() * 0.004  // lanes and gentle bends
                }
                east += speed * sin(heading)
                north += speed * cos(heading)
                legRemainingM -= speed
                driveRemaining -= 1
                if driveRemaining <= 0 && turnRemaining == 0 { stopRemaining = Int(300 + uniform() * 3000) }
            }
            errorVelocityEast = errorVelocityEast * velocityDecay + kick * gaussian()
            errorVelocityNorth = errorVelocityNorth * velocityDecay + kick * gaussian()
            errorEast = errorEast * positionDecay + errorVelocityEast
            errorNorth = errorNorth * positionDecay + errorVelocityNorth
            altitude += gaussian() * 0.05
            guard t % interval == 0 else { continue }
            let lag = 800 + abs(gaussian()) * 40  // network delay: base plus jitter
            let (lat, lon) = plane.unproject(eastM: east + errorEast, northM: north + errorNorth)
            let timeMs = startMs + Int64(t) * 1000
            var fix = Fix(
                device: device, timeMs: timeMs, receivedMs: timeMs + Int64(lag),
                latitudeE7: CoordinateE7.fromDegrees(lat), longitudeE7: CoordinateE7.fromDegrees(lon),
                flags: .valid, source: configuration.source)
            if configuration.withOptionalValues {
                fix.altitudeM = (altitude * 10).rounded() / 10
                fix.speedMps = (speed * 36).rounded() / 36  // 0.1 km/h, as JT/T 808 carries it
                var course = (heading * 180 / Double.pi).truncatingRemainder(dividingBy: 360)
                if course < 0 { course += 360 }
                course = course.rounded()
                fix.courseDeg = course >= 360 ? 0 : course
                fix.hdop = 0.9
                fix.satellites = 11
            }
            fixes.append(fix)
        }
        return fixes
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
