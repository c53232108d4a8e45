import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Foundation

/// A seeded synthetic track with ground truth for the filter tests: drives (or walks) of
/// straight legs joined by right-angle turns, traffic-light waits and stops, sampled every
/// `intervalSeconds`, with white Gaussian noise (per-axis sigma `noiseSigmaM`, by default a
/// horizontal RMS of 5 m) and isolated multipath outliers.
struct FilterSyntheticTrack {
    var fixes: [Fix] = []
    /// True position of `fixes[i]`, degrees.
    var truth: [(latitude: Double, longitude: Double)] = []
    /// True velocity of `fixes[i]`, m/s east and north.
    var truthVelocity: [(east: Double, north: Double)] = []
    /// Indices of the injected outliers (never two in a row).
    var outlierIndices: [Int] = []

    struct Options {
        var seconds = 86_400
        var intervalSeconds = 1
        var noiseSigmaM = 5.0 / 2.0.squareRoot()
        var outlierProbability = 0.005
        var outlierMinM = 50.0
        var outlierMaxM = 300.0
        var walking = false
        /// Report speed and course (truth plus 0.15 m/s and 2 degrees of noise).
        var reportVelocity = true
        /// Report `accuracyM` consistent with the noise (68% radius); otherwise nothing.
        var reportAccuracy = false
        /// Report HDOP consistent with the noise (sigma per axis = HDOP x 3.54 m).
        var reportHDOP = true
        var latitude = 48.1374
        var longitude = 11.5755
        var startMs: Int64 = 1_764_374_400_000
    }

    static func make(seed: UInt64, _ options: Options = .init()) -> FilterSyntheticTrack {
        var rng = SeededRandom(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func gaussian() -> Double {
            let u1 = max(uniform(), 1e-300)
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * uniform())
        }
        let plane = LocalTangentPlane(originLatitude: options.latitude, originLongitude: options.longitude)
        let device = DeviceID("synthetic")!
        var track = FilterSyntheticTrack()
        var east = 0.0
        var north = 0.0
        var heading = Double(Int(uniform() * 4)) * Double.pi / 2
        var speed = 0.0
        var stopRemaining = Int(uniform() * 300)
        var legRemainingM = 0.0
        var legsRemaining = 0
        var turnRemaining = 0.0
        var lightRemaining = 0
        let cruiseRange = options.walking ? (1.1, 1.7) : (8.0, 14.0)
        let acceleration = options.walking ? 0.5 : 2.0
        let turnSpeed = options.walking ? 1.0 : 5.0
        var cruise = cruiseRange.0
        var previousWasOutlier = false
        for t in 0..<options.seconds {
            if stopRemaining > 0 {
                speed = 0
                stopRemaining -= 1
                if stopRemaining == 0 { legsRemaining = 3 + Int(uniform() * 8) }
            } else if lightRemaining > 0 {
                speed = max(0, speed - acceleration)
                lightRemaining -= 1
            } else {
                if legRemainingM <= 0 && turnRemaining == 0 {
                    if legsRemaining == 0 {
                        // Brake to the stop at the usual deceleration.
                        speed = max(0, speed - acceleration)
                        if speed == 0 { stopRemaining = 60 + Int(uniform() * 1800) }
                    } else {
                        legsRemaining -= 1
                        legRemainingM = options.walking ? 30 + uniform() * 200 : 80 + uniform() * 600
                        cruise = cruiseRange.0 + uniform() * (cruiseRange.1 - cruiseRange.0)
                        turnRemaining = (uniform() < 0.5 ? 1 : -1) * Double.pi / 2
                        if !options.walking && uniform() < 0.2 { lightRemaining = 20 + Int(uniform() * 40) }
                    }
                }
                if stopRemaining == 0 && lightRemaining == 0 && (legRemainingM > 0 || turnRemaining != 0) {
                    if turnRemaining != 0 {
                        speed = max(min(speed, turnSpeed), speed - acceleration)
                        let rate = max(0.2, min(0.5, abs(turnRemaining)))
                        let delta = turnRemaining > 0 ? min(rate, turnRemaining) : max(-rate, turnRemaining)
                        heading += delta
                        turnRemaining -= delta
                        if abs(turnRemaining) < 1e-9 { turnRemaining = 0 }
                    } else {
                        speed = min(cruise, speed + acceleration)
                    }
                    legRemainingM -= speed
                }
            }
            let velocityEast = speed * sin(heading)
            let velocityNorth = speed * cos(heading)
            east += velocityEast
            north += velocityNorth
            guard t % options.intervalSeconds == 0 else { continue }
            var measuredEast = east + options.noiseSigmaM * gaussian()
            var measuredNorth = north + options.noiseSigmaM * gaussian()
            let index = track.fixes.count
            if !previousWasOutlier && uniform() < options.outlierProbability {
                let distance = options.outlierMinM + uniform() * (options.outlierMaxM - options.outlierMinM)
                let angle = uniform() * 2 * Double.pi
                measuredEast += distance * sin(angle)
                measuredNorth += distance * cos(angle)
                track.outlierIndices.append(index)
                previousWasOutlier = true
            } else {
                previousWasOutlier = false
            }
            let measured = plane.unproject(eastM: measuredEast, northM: measuredNorth)
            let truePoint = plane.unproject(eastM: east, northM: north)
            var fix = Fix(
                device: device, timeMs: options.startMs + Int64(t) * 1000,
                latitudeE7: CoordinateE7.fromDegrees(measured.latitude),
                longitudeE7: CoordinateE7.fromDegrees(measured.longitude), source: .simulated)
            if options.reportVelocity {
                let reported = abs(speed + 0.15 * gaussian())
                fix.speedMps = reported
                if reported > 0.5 {
                    var course = (heading * 180 / Double.pi + 2 * gaussian()).truncatingRemainder(dividingBy: 360)
                    if course < 0 { course += 360 }
                    fix.courseDeg = course
                }
            }
            if options.reportAccuracy { fix.accuracyM = options.noiseSigmaM * 1.5096 }
            if options.reportHDOP { fix.hdop = (options.noiseSigmaM / (5 / 2.0.squareRoot()) * 10).rounded() / 10 }
            track.fixes.append(fix)
            track.truth.append(truePoint)
            track.truthVelocity.append((velocityEast, velocityNorth))
        }
        return track
    }
}

/// Error statistics against truth.
enum TrackError {
    /// Distance in metres between a position in E7 and a truth point in degrees.
    static func meters(latitudeE7: Int32, longitudeE7: Int32, _ truth: (latitude: Double, longitude: Double)) -> Double
    {
        Geodesy.haversineMeters(
            lat1: Double(latitudeE7) / 1e7, lon1: Double(longitudeE7) / 1e7, lat2: truth.latitude,
            lon2: truth.longitude)
    }

    /// RMS of the raw fixes' error, over the fixes that are not injected outliers.
    static func rawRMS(_ fixes: [Fix], truth: [(latitude: Double, longitude: Double)], outliers: Set<Int>) -> Double {
        var sum = 0.0
        var count = 0
        for i in fixes.indices where !outliers.contains(i) {
            let d = meters(latitudeE7: fixes[i].latitudeE7, longitudeE7: fixes[i].longitudeE7, truth[i])
            sum += d * d
            count += 1
        }
        return (sum / Double(max(count, 1))).squareRoot()
    }

    /// RMS of the estimates' error over every fix (outliers included: the estimate at an
    /// outlier must be as good as anywhere else).
    static func rms(_ estimates: [KalmanEstimate], truth: [(latitude: Double, longitude: Double)]) -> Double {
        var sum = 0.0
        for (e, t) in zip(estimates, truth) {
            let d = meters(latitudeE7: e.latitudeE7, longitudeE7: e.longitudeE7, t)
            sum += d * d
        }
        return (sum / Double(max(estimates.count, 1))).squareRoot()
    }
}
