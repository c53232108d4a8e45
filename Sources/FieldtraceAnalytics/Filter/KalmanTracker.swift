import FieldtraceCore

/// Online Kalman filter for one device: constant velocity, state (east, north, v_east, v_north)
/// in metres and m/s in a local tangent plane, fed fixes in fix-time order.
///
/// ## Model
/// Constant velocity driven by white acceleration of spectral density q
/// (`Configuration.accelerationSpectralDensity`). Per axis, over a step of dt seconds:
/// F = [[1, dt], [0, 1]], Q = q [[dt^3/3, dt^2/2], [dt^2/2, dt]]. The measurement is the
/// position, isotropic with per-axis sigma from `MeasurementNoise` (accuracy, HDOP or default);
/// optionally also the velocity from reported speed and course. q is scaled up while the
/// innovations run large (a manoeuvre the model lags, `Configuration.maneuverGain`) and, per
/// step, to at least what explains the reported change of velocity (a turn or stop between
/// two fixes); the scale is part of the prediction, so the smoother sees exactly the model the
/// filter used.
///
/// ## East and north are two independent 2-state filters sharing one covariance
/// With isotropic measurement noise (one sigma for both axes, no cross term), an isotropic
/// process noise and an isotropic start, F, Q, H and R are the same for both axes and never
/// couple them, so the 4x4 covariance stays block-diagonal with two *equal* 2x2 blocks. The
/// filter keeps that block once (3 numbers: p00, p01, p11) and one gain for both axes: the
/// exact 4-state filter at a quarter of the work. The reported-velocity measurement keeps this
/// property by using an isotropic sigma (speed sigma combined with speed x course sigma).
///
/// ## Order of the updates
/// The reported velocity (when used) is applied first, then the position: in a turn the course
/// turns with the vehicle at once, so the position gate follows the turn instead of rejecting
/// the honest fixes of a manoeuvre. The gate takes the smaller distance to the prediction
/// before and after the velocity update (the velocity-corrected one assumes the change was
/// spread evenly over the step, which misses a stop early in a 10 s step). A fix whose
/// position is gated out has still contributed its velocity: Doppler velocity is far less
/// affected by multipath than the position.
///
/// ## Gating and resets
/// The position innovation y (2-vector) with covariance S = (p00 + r) I gives the squared
/// Mahalanobis distance d^2 = |y|^2 / S, chi-square with 2 degrees of freedom for an honest fix.
/// Above `gateChiSquare` the fix is gated out (estimate = prediction, no update). After
/// `resetAfterRejections` gated-out fixes in a row the prediction is what is wrong: the state
/// is reset to the last fix, with the velocity of the rejected run (first to last rejected fix).
/// A gap of more than `maxGapMs` since the last update also restarts the state.
///
/// ## Plane
/// The plane's origin is the fix the state (re)started at; when the estimate is more than
/// `reanchorDistanceM` from it, the origin moves to the estimate (velocity and covariance are
/// kept: the axes of the two planes agree to well under a degree at that distance).
///
/// O(1) per fix, no allocation. Deterministic.
public struct KalmanTracker: Sendable {
    public let configuration: Configuration
    /// The current tangent plane; `planeGeneration` counts its changes.
    public private(set) var plane = LocalTangentPlane(originLatitude: 0, originLongitude: 0)
    var planeGeneration = 0
    var hasState = false
    /// Time of the state, ms (the last fix stepped to).
    var stateTimeMs: Int64 = 0
    /// Time of the last update (or start), ms: the reference for the gap test.
    var lastUpdateMs: Int64 = 0
    /// Filtered state and its per-axis covariance [[p00, p01], [p01, p11]].
    var east = 0.0
    var north = 0.0
    var eastVelocity = 0.0
    var northVelocity = 0.0
    var p00 = 0.0
    var p01 = 0.0
    var p11 = 0.0
    /// The prediction of the last step (before its update) and its time step, seconds: what the
    /// RTS smoother needs.
    var predicted = (east: 0.0, north: 0.0, eastVelocity: 0.0, northVelocity: 0.0)
    var predictedP = (p00: 0.0, p01: 0.0, p11: 0.0)
    var stepSeconds = 0.0
    /// Consecutive gated-out fixes, and the first of them (time and position).
    var rejections = 0
    /// Smoothed normalised innovation squared, and the process-noise scale it gives.
    var averageNIS = 2.0
    var noiseScale = 1.0
    var runStart = (timeMs: Int64(0), latitudeE7: Int32(0), longitudeE7: Int32(0))

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Filters one fix: the estimate at its time and what was done with it.
    public mutating func process(_ fix: Fix) -> KalmanEstimate {
        let status = step(fix)
        return estimate(for: fix, status: status)
    }

    /// Forgets the state; the next fix starts afresh.
    public mutating func reset() {
        hasState = false
        rejections = 0
    }

    /// The current state as an estimate at `fix`'s time (or the fix itself without a state).
    func estimate(for fix: Fix, status: KalmanStatus) -> KalmanEstimate {
        guard hasState else {
            return KalmanEstimate(
                timeMs: fix.timeMs, latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7, eastVelocityMps: 0,
                northVelocityMps: 0, positionSigmaM: .infinity, status: status)
        }
        let position = Self.coordinates(plane, east: east, north: north)
        return KalmanEstimate(
            timeMs: fix.timeMs, latitudeE7: position.latitudeE7, longitudeE7: position.longitudeE7,
            eastVelocityMps: eastVelocity, northVelocityMps: northVelocity, positionSigmaM: p00.squareRoot(),
            status: status)
    }

    /// E7 coordinates of a point of `plane` (latitude clamped to the poles).
    @inline(__always)
    static func coordinates(_ plane: LocalTangentPlane, east: Double, north: Double) -> (
        latitudeE7: Int32, longitudeE7: Int32
    ) {
        let p = plane.unproject(eastM: east, northM: north)
        let latitude = min(max(p.latitude, -90), 90)
        return (CoordinateE7.fromDegrees(latitude), CoordinateE7.fromDegrees(p.longitude))
    }

    /// Advances the state to `fix` and uses it if it passes; the state afterwards is the filtered
    /// state, `predicted*` and `stepSeconds` describe the prediction made on the way.
    mutating func step(_ fix: Fix) -> KalmanStatus {
        if !fix.isValid || fix.flags.contains(.outlier) {
            // Predict to a skipped fix only within the gap limit: beyond it the state is stale
            // and an extrapolation over minutes or hours would be nonsense.
            if hasState && fix.timeMs > stateTimeMs && fix.timeMs - lastUpdateMs <= configuration.maxGapMs {
                predict(to: fix.timeMs)
            } else {
                holdStill()
            }
            return .skipped
        }
        guard hasState, fix.timeMs - lastUpdateMs <= configuration.maxGapMs else {
            start(at: fix)
            return .started
        }
        guard fix.timeMs >= stateTimeMs else {
            holdStill()
            return .skipped
        }
        let velocity = configuration.useReportedVelocity ? reportedVelocity(fix) : nil
        predict(to: fix.timeMs, velocity: velocity)
        if east * east + north * north > configuration.reanchorDistanceM * configuration.reanchorDistanceM {
            reanchor()
        }
        let measured = plane.project(latitude: fix.latitude, longitude: fix.longitude)
        let sigma = configuration.noise.sigmaM(fix)
        let r = sigma * sigma
        var distance2 = Double.infinity
        if let velocity {
            // The position is judged against the prediction with and without the velocity:
            // after a turn or a stop between sparse fixes, the velocity-corrected prediction
            // assumes the change was spread evenly over the step and may miss, the plain one
            // has the wider covariance.
            let e = measured.eastM - east
            let n = measured.northM - north
            distance2 = (e * e + n * n) / (p00 + r)
            updateVelocity(velocity)
        }
        let innovationEast = measured.eastM - east
        let innovationNorth = measured.northM - north
        let inverseS = 1 / (p00 + r)
        distance2 = min(distance2, (innovationEast * innovationEast + innovationNorth * innovationNorth) * inverseS)
        let w = configuration.maneuverSmoothing
        averageNIS = (1 - w) * averageNIS + w * min(distance2, configuration.gateChiSquare)
        noiseScale = min(
            configuration.maneuverMaxScale,
            1 + configuration.maneuverGain * max(0, averageNIS - configuration.maneuverThresholdNIS))
        guard distance2 <= configuration.gateChiSquare else {
            rejections += 1
            if rejections == 1 {
                runStart = (fix.timeMs, fix.latitudeE7, fix.longitudeE7)
            }
            guard rejections >= configuration.resetAfterRejections else { return .gatedOut }
            restartFromRun(at: fix, measured: measured, r: r)
            return .reset
        }
        let k0 = p00 * inverseS
        let k1 = p01 * inverseS
        east += k0 * innovationEast
        north += k0 * innovationNorth
        eastVelocity += k1 * innovationEast
        northVelocity += k1 * innovationNorth
        p11 -= k1 * p01
        p01 -= k0 * p01
        p00 -= k0 * p00
        rejections = 0
        lastUpdateMs = fix.timeMs
        return .updated
    }

    /// Restarts the state at `fix` (position measured, velocity unknown or reported).
    mutating func start(at fix: Fix) {
        plane = LocalTangentPlane(originLatitude: fix.latitude, originLongitude: fix.longitude)
        planeGeneration &+= 1
        let sigma = configuration.noise.sigmaM(fix)
        east = 0
        north = 0
        eastVelocity = 0
        northVelocity = 0
        p00 = sigma * sigma
        p01 = 0
        p11 = configuration.initialVelocitySigmaMps * configuration.initialVelocitySigmaMps
        if configuration.useReportedVelocity, let velocity = reportedVelocity(fix) {
            eastVelocity = velocity.east
            northVelocity = velocity.north
            p11 = min(velocity.variance, p11)
        }
        hasState = true
        averageNIS = 2
        noiseScale = 1
        stateTimeMs = fix.timeMs
        lastUpdateMs = fix.timeMs
        rejections = 0
        markStart()
    }

    /// Resets to the last of a run of rejected fixes, velocity from the run's first fix.
    private mutating func restartFromRun(at fix: Fix, measured: (eastM: Double, northM: Double), r: Double) {
        let first = plane.project(
            latitude: Double(runStart.latitudeE7) / 1e7, longitude: Double(runStart.longitudeE7) / 1e7)
        let dt = Double(fix.timeMs - runStart.timeMs) / 1000
        start(at: fix)
        guard dt > 0 else { return }
        let velocityVariance = 2 * r / (dt * dt)
        if velocityVariance < p11 {
            eastVelocity = (measured.eastM - first.eastM) / dt
            northVelocity = (measured.northM - first.northM) / dt
            p11 = velocityVariance
            p01 = r / dt
        }
    }

    /// Records a start in the smoother's terms: no prediction led here.
    private mutating func markStart() {
        predicted = (east, north, eastVelocity, northVelocity)
        predictedP = (p00, p01, p11)
        stepSeconds = 0
    }

    /// A step that changes nothing (a skipped fix at or before the state's time).
    private mutating func holdStill() {
        predicted = (east, north, eastVelocity, northVelocity)
        predictedP = (p00, p01, p11)
        stepSeconds = 0
    }

    /// Constant-velocity prediction to `timeMs` (not before the state's time).
    ///
    /// With a reported `velocity`, the step's process noise is at least what explains the
    /// reported change of velocity as one sigma per axis: scale >= |dv|^2 / (2 q dt), at most
    /// `maneuverMaxScale`. Cruising, |dv| is noise and this never binds; when the vehicle
    /// turned, stopped or pulled away since the last fix, the position covariance grows with
    /// the change, so the gate accepts where the vehicle went instead of where it was heading.
    private mutating func predict(
        to timeMs: Int64, velocity: (east: Double, north: Double, variance: Double)? = nil
    ) {
        let dt = Double(timeMs - stateTimeMs) * 0.001
        var scale = noiseScale
        let base = configuration.accelerationSpectralDensity
        if let velocity, dt > 0 {
            let de = velocity.east - eastVelocity
            let dn = velocity.north - northVelocity
            let change2 = de * de + dn * dn
            scale = min(max(scale, change2 / (2 * base * dt)), configuration.maneuverMaxScale)
        }
        let q = base * scale
        east += eastVelocity * dt
        north += northVelocity * dt
        let dt2 = dt * dt
        p00 += dt * (2 * p01 + dt * p11) + q * dt2 * dt / 3
        p01 += dt * p11 + q * dt2 / 2
        p11 += q * dt
        stateTimeMs = timeMs
        stepSeconds = dt
        predicted = (east, north, eastVelocity, northVelocity)
        predictedP = (p00, p01, p11)
    }

    /// Moves the plane's origin to the current estimate.
    private mutating func reanchor() {
        let origin = plane.unproject(eastM: east, northM: north)
        plane = LocalTangentPlane(originLatitude: origin.latitude, originLongitude: origin.longitude)
        planeGeneration &+= 1
        predicted.east -= east
        predicted.north -= north
        east = 0
        north = 0
    }

    /// The velocity a fix reports, with an isotropic variance, or `nil`.
    func reportedVelocity(_ fix: Fix) -> (east: Double, north: Double, variance: Double)? {
        guard let speed = fix.speedMps, speed.isFinite, speed >= 0, speed <= configuration.maxReportedSpeedMps else {
            return nil
        }
        let speedVariance = configuration.speedSigmaMps * configuration.speedSigmaMps
        if let course = fix.courseDeg, course.isFinite {
            let courseSigma = configuration.courseSigmaDeg * (Double.pi / 180)
            let crossVariance = speed * speed * courseSigma * courseSigma
            // One libm call: the cosine from the sine, its sign from the quadrant.
            let degrees = course - 360 * (course / 360).rounded(.down)
            let sine = FieldtraceCore.sine(degrees * (Double.pi / 180))
            let cosineMagnitude = max(0, 1 - sine * sine).squareRoot()
            let cosine = degrees > 90 && degrees < 270 ? -cosineMagnitude : cosineMagnitude
            return (speed * sine, speed * cosine, speedVariance + crossVariance)
        }
        guard speed <= configuration.stationarySpeedMps else { return nil }
        return (0, 0, speedVariance + speed * speed)
    }

    /// Update of both velocity components with variance `velocity.variance`. Not gated: in a
    /// turn the reported course leads the prediction by tens of degrees, which is exactly the
    /// information the filter needs (gating it cost 15% of RMS error and caused resets in
    /// simulated turns); implausible speeds are dropped by `reportedVelocity`.
    private mutating func updateVelocity(_ velocity: (east: Double, north: Double, variance: Double)) {
        let inverseS = 1 / (p11 + velocity.variance)
        let innovationEast = velocity.east - eastVelocity
        let innovationNorth = velocity.north - northVelocity
        let k0 = p01 * inverseS
        let k1 = p11 * inverseS
        east += k0 * innovationEast
        north += k0 * innovationNorth
        eastVelocity += k1 * innovationEast
        northVelocity += k1 * innovationNorth
        p00 -= k0 * p01
        p01 -= k0 * p11
        p11 -= k1 * p11
    }
}

extension KalmanTracker {
    /// Runs a fresh online filter over a device's fixes in time order: one estimate per fix.
    public static func filter(_ fixes: [Fix], configuration: Configuration = .init()) -> [KalmanEstimate] {
        var tracker = KalmanTracker(configuration: configuration)
        var out: [KalmanEstimate] = []
        out.reserveCapacity(fixes.count)
        for fix in fixes { out.append(tracker.process(fix)) }
        return out
    }
}
