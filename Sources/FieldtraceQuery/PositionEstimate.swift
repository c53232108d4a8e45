import FieldtraceAnalytics
import FieldtraceCore

/// Where a device was at an instant, with how sure we are: the answer of
/// `GET /v1/devices/{id}/position?at=`, used to check where a worker was when a photo or form
/// claims they were.
public struct PositionEstimate: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// A valid fix has exactly this time (ms).
        case exact
        /// Between two valid fixes at most `PositionModel.maxGapMs` apart.
        case interpolated
        /// Before the device's first stored fix.
        case beforeTrack = "before_track"
        /// After the device's last stored fix.
        case afterTrack = "after_track"
        /// The device has no stored fix.
        case noTrack = "no_track"
        /// Inside the track but in a gap longer than `PositionModel.maxGapMs`: no position.
        case gap
    }

    public var device: DeviceID
    public var atMs: Int64
    public var status: Status
    /// The position (1e-7 degree) for `exact` and `interpolated`, else `nil`.
    public var latitudeE7: Int32?
    public var longitudeE7: Int32?
    /// Radius around the position, metres, that holds the true position (see `PositionModel`).
    public var radiusMeters: Double?
    /// The speed the motion term assumed, m/s (`interpolated` only).
    public var assumedSpeedMps: Double?
    /// The nearest valid fixes at or before and at or after the instant, each when one lies
    /// within `PositionModel.maxGapMs` of it (for `exact`, both are the fix).
    public var before: Fix?
    public var after: Fix?

    /// Whether a position was given.
    public var isLocated: Bool { status == .exact || status == .interpolated }
}

/// The uncertainty model of `PositionLocator`.
///
/// radius = accuracy term + motion term:
/// - Accuracy: each neighbouring fix's 95% error circle, from its reported accuracy (a 68%
///   radius) or HDOP through `MeasurementNoise` (per-axis sigma, x 2.4477 for 95% of a circular
///   Gaussian), interpolated linearly between the two fixes at the instant's time fraction `f`.
/// - Motion: the device moved at most `v x elapsed` from each fix (a space-time prism). At time
///   `t` it lies in the intersection of the disc of radius `v (t - t0)` around the fix before
///   and the disc of radius `v (t1 - t)` around the fix after; the term is the largest
///   distance from the interpolated point to that lens (at the circles' intersection points),
///   0 when the device went straight at speed `v`. `v` is the largest of the straight-line
///   speed between the fixes, their reported speeds and `minimumSpeedMps`.
///
/// Interpolation is linear in a local tangent plane at the fix before (within 0.1% up to 50 km,
/// more than `maxGapMs` allows on the ground).
public struct PositionModel: Sendable, Hashable {
    /// Longest gap between the fixes around the instant that is still interpolated, ms: 10
    /// minutes. A worker on foot covers 900 m in that time, so the radius (see above) already
    /// makes a longer gap useless for checking a claimed place; the answer is `gap` instead.
    public var maxGapMs: Int64 = 600_000
    /// Least speed the motion term assumes, m/s: 1.5 m/s, a brisk walk. Two fixes at the same
    /// place do not prove the worker stayed there in between; at 1 Hz this adds under a metre.
    public var minimumSpeedMps = 1.5
    /// How a fix's accuracy or HDOP becomes a per-axis sigma (the Kalman filter's model).
    public var noise = MeasurementNoise()

    public init() {}

    /// sqrt(-2 ln 0.05): the 95% radius of a circular Gaussian in units of its per-axis sigma.
    public static let radius95PerSigma = 2.447_746_830_680_816

    /// The 95% accuracy radius of a fix, metres.
    public func accuracyRadiusMeters(_ fix: Fix) -> Double {
        noise.sigmaM(fix) * Self.radius95PerSigma
    }

    /// The motion term, metres: the farthest point of the lens (discs `f L` around the fix
    /// before, `(1 - f) L` around the fix after, `d` apart) from the point at fraction `f` of the
    /// way, for a path budget `L = v x gap >= d`. O(1).
    public static func motionRadiusMeters(distanceMeters d: Double, budgetMeters l: Double, fraction f: Double)
        -> Double
    {
        let r1 = f * l
        let r2 = (1 - f) * l
        guard d > 0 else { return min(r1, r2) }
        let x = (d * d + r1 * r1 - r2 * r2) / (2 * d)
        let h2 = r1 * r1 - x * x
        guard h2 >= 0 else {
            // One disc lies inside the other: the lens is the smaller disc.
            return r1 <= r2 ? f * d + r1 : (1 - f) * d + r2
        }
        let along = x - f * d
        return (along * along + h2).squareRoot()
    }

    /// The estimate between two valid fixes `before.timeMs < atMs < after.timeMs`.
    func interpolate(device: DeviceID, atMs: Int64, before a: Fix, after b: Fix) -> PositionEstimate {
        let gapSeconds = Double(b.timeMs - a.timeMs) / 1000
        let f = Double(atMs - a.timeMs) / Double(b.timeMs - a.timeMs)
        let plane = LocalTangentPlane(originLatitude: a.latitude, originLongitude: a.longitude)
        let end = plane.project(latitude: b.latitude, longitude: b.longitude)
        let d = (end.eastM * end.eastM + end.northM * end.northM).squareRoot()
        let point = plane.unproject(eastM: end.eastM * f, northM: end.northM * f)
        let reported = [a.speedMps, b.speedMps].compactMap { $0 }.filter(\.isFinite)
        let speed = max(minimumSpeedMps, d / gapSeconds, reported.max() ?? 0)
        let motion = Self.motionRadiusMeters(distanceMeters: d, budgetMeters: speed * gapSeconds, fraction: f)
        let accuracy = (1 - f) * accuracyRadiusMeters(a) + f * accuracyRadiusMeters(b)
        return PositionEstimate(
            device: device, atMs: atMs, status: .interpolated,
            latitudeE7: CoordinateE7.fromDegrees(point.latitude),
            longitudeE7: CoordinateE7.fromDegrees(point.longitude),
            radiusMeters: accuracy + motion, assumedSpeedMps: speed, before: a, after: b)
    }
}
