import FieldtraceCore
import FieldtraceTestSupport

/// A scripted track for motion tests: moves in a local plane second by second, with white GPS
/// noise, outliers and gaps, and records the true stops it was told to make.
struct SyntheticTrack {
    let device = DeviceID("w1")!
    let plane = LocalTangentPlane(originLatitude: 48.85, originLongitude: 2.35)
    var rng: SeededRandom
    var noiseSigmaM: Double
    var intervalSeconds = 1
    var timeS = 0
    var east = 0.0
    var north = 0.0
    var speedMps = 0.0
    var fixes: [Fix] = []
    var withSpeed = false
    /// True stops: (start s, end s).
    var stops: [(startS: Int, endS: Int)] = []

    init(seed: UInt64, noiseSigmaM: Double = 4) {
        rng = SeededRandom(seed: seed)
        self.noiseSigmaM = noiseSigmaM
    }

    mutating func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    mutating func gaussian() -> Double {
        // Irwin-Hall approximation: no libm needed, good enough for test noise.
        var s = 0.0
        for _ in 0..<12 { s += uniform() }
        return s - 6
    }

    private mutating func emit(offsetEast: Double = 0, offsetNorth: Double = 0) {
        defer { timeS += 1 }
        guard timeS % intervalSeconds == 0 else { return }
        let p = plane.unproject(
            eastM: east + offsetEast + gaussian() * noiseSigmaM, northM: north + offsetNorth + gaussian() * noiseSigmaM)
        fixes.append(
            Fix(
                device: device, timeMs: Int64(timeS) * 1000, latitudeE7: CoordinateE7.fromDegrees(p.latitude),
                longitudeE7: CoordinateE7.fromDegrees(p.longitude), speedMps: withSpeed ? speedMps : nil))
    }

    /// Stands still for `seconds` (a true stop when `isStop`).
    mutating func stay(_ seconds: Int, isStop: Bool = true) {
        let start = timeS
        speedMps = 0
        for _ in 0..<seconds { emit() }
        if isStop { stops.append((start, timeS - 1)) }
    }

    /// Moves in a straight line by (dEast, dNorth) metres at `speed` m/s.
    mutating func move(east dEast: Double, north dNorth: Double, speed: Double) {
        let length = (dEast * dEast + dNorth * dNorth).squareRoot()
        let steps = max(1, Int((length / speed).rounded()))
        speedMps = speed
        for _ in 0..<steps {
            east += dEast / Double(steps)
            north += dNorth / Double(steps)
            emit()
        }
    }

    /// One fix `distance` metres off the true position, in one of eight directions.
    mutating func outlier(distance: Double) {
        let directions: [(Double, Double)] = [
            (1, 0), (0.7071, 0.7071), (0, 1), (-0.7071, 0.7071), (-1, 0), (-0.7071, -0.7071), (0, -1),
            (0.7071, -0.7071),
        ]
        let d = directions[Int(uniform() * 8) % 8]
        emit(offsetEast: distance * d.0, offsetNorth: distance * d.1)
    }

    /// No fixes for `seconds`, standing still.
    mutating func gap(_ seconds: Int) { timeS += seconds }
}
