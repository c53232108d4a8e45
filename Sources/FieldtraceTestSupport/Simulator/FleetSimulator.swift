import FieldtraceCore

/// A seeded simulator of field workers' tracks, with ground truth.
///
/// Each worker alternates between stops at customer sites (minutes to an hour, GPS jitter
/// only) and drives between them (accelerating to street speeds, turning gently). The position
/// error is a first-order Gauss-Markov process (time constant five minutes, sigma a few
/// metres: multipath and atmospheric errors decorrelate over minutes), which is how real receiver errors behave: strongly correlated from one second to
/// the next, not white noise. Fix times carry no jitter (receivers report on the second);
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
    public mutating func track(
        device: DeviceID, startMs: Int64, durationSeconds: Int, latitude: Double = 31.2304, longitude: Double = 121.4737
    ) -> [Fix] {
        let interval = configuration.intervalSeconds
        let plane = LocalTangentPlane(originLatitude: latitude, originLongitude: longitude)
        var east = 0.0
        var north = 0.0
        var heading = uniform() * 2 * Double.pi
        var speed = 0.0
        var stopRemaining = Int(uniform() * 1800)
        var driveRemaining = 0
        var errorEast = 0.0
        var errorNorth = 0.0
        let tau = 300.0
        var altitude = 10 + uniform() * 20
        var lag = 800.0
        var fixes: [Fix] = []
        fixes.reserveCapacity(durationSeconds / interval + 1)
        var t = 0
        while t < durationSeconds {
            let dt = Double(interval)
            if stopRemaining > 0 {
                speed = 0
                stopRemaining -= interval
                if stopRemaining <= 0 {
                    let driveShare = 1 - configuration.stoppedShare
                    driveRemaining = Int(300 + uniform() * 1500 * driveShare / max(0.05, configuration.stoppedShare))
                }
            } else {
                let target = 8 + 6 * sin(Double(t) / 97)
                speed += max(-3, min(2, (target - speed) * 0.3 + gaussian() * 0.3)) * min(dt, 3)
                speed = max(0, min(25, speed))
                heading += gaussian() * 0.03 * dt
                east += speed * dt * sin(heading)
                north += speed * dt * cos(heading)
                driveRemaining -= interval
                if driveRemaining <= 0 { stopRemaining = Int(300 + uniform() * 3000) }
            }
            let decay = exp(-dt / tau)
            let kick = configuration.errorSigmaM * (1 - decay * decay).squareRoot()
            errorEast = errorEast * decay + kick * gaussian()
            errorNorth = errorNorth * decay + kick * gaussian()
            altitude += gaussian() * 0.1
            lag = 800 + abs(gaussian()) * 40  // network delay: base plus jitter
            let (lat, lon) = plane.unproject(eastM: east + errorEast, northM: north + errorNorth)
            let timeMs = startMs + Int64(t) * 1000
            var fix = Fix(
                device: device, timeMs: timeMs, receivedMs: timeMs + Int64(lag),
                latitudeE7: CoordinateE7.fromDegrees(lat), longitudeE7: CoordinateE7.fromDegrees(lon),
                flags: .valid, source: configuration.source)
            if configuration.withOptionalValues {
                fix.altitudeM = (altitude * 10).rounded() / 10
                fix.speedMps = (speed * 36).rounded() / 36  // 0.1 km/h, as JT/T 808 carries it
                var course = heading * 180 / Double.pi
                course = course.truncatingRemainder(dividingBy: 360)
                if course < 0 { course += 360 }
                fix.courseDeg = course.rounded()
                if fix.courseDeg == 360 { fix.courseDeg = 0 }
                fix.hdop = 0.9
                fix.satellites = 11
            }
            fixes.append(fix)
            t += interval
        }
        return fixes
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
