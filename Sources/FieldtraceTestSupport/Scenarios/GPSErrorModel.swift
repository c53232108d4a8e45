import FieldtraceCore

/// How a scenario's tracker errs, and the sampling of the true track into fixes.
///
/// - Position error per axis = white Gaussian + first-order Gauss-Markov (x ← φx + σ√(1-φ²)w,
///   φ = e^(-1 s/τ)), updated every second whatever the reporting interval. The noise figure
///   `horizontalRMSM` is the horizontal RMS of the sum: per-axis total σ = RMS/√2, and the white
///   part takes what the correlated part (`correlatedRMSM`, horizontal) leaves.
/// - Satellite geometry varies: σ is scaled by a factor drawn uniformly in 0.8-1.2 (normalised to
///   mean square 1) for blocks of 5-15 minutes; HDOP = per-axis σ / `uereM`, rounded to 0.1 as
///   trackers report it. A filter recovers σ_axis = HDOP × 3.5 m (±5% from the rounding).
/// - Multipath outliers: each fix, except right after another outlier, with `outlierShare`, is
///   replaced by the true position moved `outlierM` in a uniform direction; HDOP stays normal.
/// - Speed: true speed + N(0, 0.15 m/s), absolute, rounded to 0.01. Course: true heading +
///   N(0, 2°) at 1 m/s and more, N(0, 20°) below; rounded to 0.1°.
struct GPSErrorModel: Sendable {
    var horizontalRMSM = 5.0
    /// Horizontal RMS of the correlated part, metres: slowly wandering atmosphere and orbit error.
    var correlatedRMSM = 1.0
    var correlationSeconds = 60.0
    /// User equivalent range error, metres: σ_per_axis = HDOP × UERE.
    var uereM = 3.5
    var outlierShare = 0.01
    var outlierM: ClosedRange<Double> = 60...290
    var intervalSeconds = 1
    /// Ground height, metres; altitude fixes scatter around it by 1.5 × per-axis σ.
    var groundAltitudeM = 40.0

    struct Observation {
        var fixes: [Fix] = []
        var positions: [TruePosition] = []
        var outlierIndices: [Int] = []
    }

    /// Samples `track` every `intervalSeconds` from `startMs`, skipping seconds inside `gaps`.
    func observe(
        _ track: TrueTrack, plane: ScenarioPlane, device: DeviceID, startMs: Int64, gaps: [ClosedRange<Int>],
        seed: UInt64
    ) -> Observation {
        var markov = ScenarioRandom(seed: seed, stream: 11)
        var white = ScenarioRandom(seed: seed, stream: 12)
        var multipath = ScenarioRandom(seed: seed, stream: 13)
        var geometry = ScenarioRandom(seed: seed, stream: 14)
        var reported = ScenarioRandom(seed: seed, stream: 15)
        let phi = ScenarioMath.exp(-1 / correlationSeconds)
        let markovAxis = correlatedRMSM / 2.0.squareRoot()
        let markovKick = markovAxis * (1 - phi * phi).squareRoot()
        let norm = (1 + 0.4 * 0.4 / 12).squareRoot()  // √E[u²] for u uniform in 0.8...1.2
        var errorEast = markov.gaussian() * markovAxis
        var errorNorth = markov.gaussian() * markovAxis
        var factor = 1.0
        var factorUntil = -1
        var lastWasOutlier = false
        var gapIndex = 0
        var out = Observation()
        let interval = max(1, intervalSeconds)
        out.fixes.reserveCapacity(track.count / interval + 1)
        out.positions.reserveCapacity(track.count / interval + 1)
        for t in 0..<track.count {
            if t > 0 {
                errorEast = errorEast * phi + markovKick * markov.gaussian()
                errorNorth = errorNorth * phi + markovKick * markov.gaussian()
            }
            if t > factorUntil {
                factor = geometry.uniform(0.8, 1.2) / norm
                factorUntil = t + geometry.int(300...900)
            }
            guard t % interval == 0 else { continue }
            while gapIndex < gaps.count, gaps[gapIndex].upperBound < t { gapIndex += 1 }
            if gapIndex < gaps.count, gaps[gapIndex].contains(t) { continue }
            let truth = track.position(t)
            let sigmaAxis = horizontalRMSM / 2.0.squareRoot() * factor
            let whiteAxis = max(0, sigmaAxis * sigmaAxis - markovAxis * markovAxis).squareRoot()
            var measured = truth + PlanePoint(east: errorEast, north: errorNorth)
            measured = measured + PlanePoint(east: white.gaussian() * whiteAxis, north: white.gaussian() * whiteAxis)
            let outlier = !lastWasOutlier && multipath.chance(outlierShare)
            if outlier {
                let distance = multipath.uniform(outlierM.lowerBound, outlierM.upperBound)
                measured = truth + multipath.unitVector() * distance
                out.outlierIndices.append(out.fixes.count)
            }
            lastWasOutlier = outlier
            let timeMs = startMs + Int64(t) * 1000
            let (lat, lon) = plane.e7(measured)
            let hdop = (sigmaAxis / uereM * 10).rounded() / 10
            let speed = (abs(track.speed[t] + reported.gaussian() * 0.15) * 100).rounded() / 100
            let courseNoise = reported.gaussian() * (track.speed[t] >= 1 ? 2 : 20)
            var course = (track.heading[t] * 180 / Double.pi + courseNoise).truncatingRemainder(dividingBy: 360)
            if course < 0 { course += 360 }
            course = (course * 10).rounded() / 10
            if course >= 360 { course = 0 }
            let altitude = groundAltitudeM + reported.gaussian() * 1.5 * sigmaAxis
            out.fixes.append(
                Fix(
                    device: device, timeMs: timeMs, receivedMs: timeMs + 150 + Int64(reported.uniform() * 600),
                    latitudeE7: lat, longitudeE7: lon, altitudeM: (altitude * 10).rounded() / 10, speedMps: speed,
                    courseDeg: course, hdop: hdop, satellites: UInt8(max(4, min(14, Int((16 - 4 * hdop).rounded())))),
                    flags: .valid, source: .simulated))
            let (trueLat, trueLon) = plane.latitudeLongitude(truth)
            out.positions.append(TruePosition(timeMs: timeMs, latitude: trueLat, longitude: trueLon))
        }
        return out
    }
}
