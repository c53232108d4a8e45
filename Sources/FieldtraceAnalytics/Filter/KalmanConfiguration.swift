import FieldtraceCore

extension KalmanTracker {
    /// Model and gating parameters, shared by the online filter and the RTS smoother.
    public struct Configuration: Sendable, Hashable {
        /// Spectral density of the white acceleration driving the constant-velocity model,
        /// m^2/s^3: over a step of dt seconds the velocity picks up a random change of variance
        /// q x dt per axis. 1 m^2/s^3, one value for walking and driving: at 1 Hz with 3.5 m
        /// noise per axis the steady-state gain averages over about 3 fixes (more with a reported
        /// velocity), and the manoeuvre adaptation below raises it while a car brakes, turns or
        /// pulls away. Chosen by sweeping 0.1 to 3 on simulated walking and driving days
        /// (position only and with reported velocity): within 5% of the best RMS error for both,
        /// and the lowest value with no reset at any manoeuvre of a simulated driving day.
        public var accelerationSpectralDensity: Double
        /// Chi-square threshold on the squared Mahalanobis distance of the position innovation
        /// (2 degrees of freedom). 13.8155 = the 99.9% quantile: an honest fix is gated out once
        /// in a thousand, while a 50 m multipath jump with 5 m noise is far beyond it.
        public var gateChiSquare: Double
        /// Manoeuvre adaptation: the process noise is multiplied by
        /// `1 + maneuverGain x max(0, m - maneuverThresholdNIS)` (at most `maneuverMaxScale`),
        /// where m is an exponential average (weight `maneuverSmoothing` per fix) of the
        /// normalised innovation squared d^2 (capped at the gate). An honest fix has E[d^2] = 2;
        /// a run of larger ones means the constant-velocity prediction lags a manoeuvre, so the
        /// filter briefly trusts its model less instead of gating the manoeuvre out. Defaults:
        /// weight 0.3 (reacts within 2 to 3 fixes), threshold 3, gain 10, cap 100; chosen by the
        /// same sweep (they remove the resets at turns and pull-aways and cost under 3% of RMS
        /// error on stationary stretches).
        public var maneuverSmoothing: Double
        public var maneuverThresholdNIS: Double
        public var maneuverGain: Double
        public var maneuverMaxScale: Double
        /// Consecutive gated-out fixes after which the filter resets to the measurement. 4: at
        /// 1 Hz, 4 s of fixes that all disagree with the prediction means the prediction is wrong
        /// (a manoeuvre the model missed, a bad start), not the fixes; isolated multipath
        /// outliers of 1 to 3 fixes do not reset the filter.
        public var resetAfterRejections: Int
        /// A gap between updates longer than this resets the state, ms. 120 s: a constant-velocity
        /// prediction over two minutes is no better than nothing (a worker turns, parks, walks
        /// in), while devices that report every 30 to 60 s while moving are still filtered.
        public var maxGapMs: Int64
        /// Sigma of the velocity at a (re)start when nothing measures it, m/s per axis. 15 m/s:
        /// a worker may be standing or driving at 50 km/h; the first few fixes settle it.
        public var initialVelocitySigmaMps: Double
        /// Whether to use the fix's reported speed and course as a velocity measurement.
        /// On by default: GNSS chipsets and phones report Doppler speed, good to a few tenths of
        /// a m/s and independent of the position noise, and it halves the online error of a
        /// drive (the position alone cannot tell a manoeuvre from noise for several fixes).
        /// Turn it off for sources whose speed is derived from positions or smoothed and late.
        public var useReportedVelocity: Bool
        /// Sigma of a reported speed, m/s. 0.5: Doppler speed of consumer receivers is good to
        /// 0.1 to 0.3 m/s; the margin covers rounding (many protocols carry whole km/h or knots).
        public var speedSigmaMps: Double
        /// Sigma of a reported course, degrees. 5: good at driving speed, and its effect
        /// (speed x angle) vanishes as the speed does.
        public var courseSigmaDeg: Double
        /// Below this reported speed, m/s, a missing course is taken as "standing still". 0.5.
        public var stationarySpeedMps: Double
        /// Reported speeds above this, m/s, are ignored as garbage. 100: above any road vehicle,
        /// and catches unit mix-ups (km/h or knots read as m/s) at motorway speeds.
        public var maxReportedSpeedMps: Double
        /// Distance from the tangent plane's origin, metres, beyond which the plane is moved to
        /// the current position. 10 km: the equirectangular plane is exact as a mapping but
        /// stretches east-west distances by cos(lat)/cos(lat0) away from the origin (0.3% at
        /// 20 km north at 45 degrees); re-anchoring keeps that far below the noise.
        public var reanchorDistanceM: Double
        /// How a fix's accuracy or HDOP becomes the measurement sigma.
        public var noise: MeasurementNoise

        public init(
            accelerationSpectralDensity: Double = 1, maneuverSmoothing: Double = 0.3, maneuverThresholdNIS: Double = 3,
            maneuverGain: Double = 10, maneuverMaxScale: Double = 100, gateChiSquare: Double = 13.8155,
            resetAfterRejections: Int = 4, maxGapMs: Int64 = 120_000, initialVelocitySigmaMps: Double = 15,
            useReportedVelocity: Bool = true,
            speedSigmaMps: Double = 0.5, courseSigmaDeg: Double = 5, stationarySpeedMps: Double = 0.5,
            maxReportedSpeedMps: Double = 100, reanchorDistanceM: Double = 10_000, noise: MeasurementNoise = .init()
        ) {
            self.accelerationSpectralDensity = accelerationSpectralDensity
            self.maneuverSmoothing = maneuverSmoothing
            self.maneuverThresholdNIS = maneuverThresholdNIS
            self.maneuverGain = maneuverGain
            self.maneuverMaxScale = maneuverMaxScale
            self.gateChiSquare = gateChiSquare
            self.resetAfterRejections = resetAfterRejections
            self.maxGapMs = maxGapMs
            self.initialVelocitySigmaMps = initialVelocitySigmaMps
            self.useReportedVelocity = useReportedVelocity
            self.speedSigmaMps = speedSigmaMps
            self.courseSigmaDeg = courseSigmaDeg
            self.stationarySpeedMps = stationarySpeedMps
            self.maxReportedSpeedMps = maxReportedSpeedMps
            self.reanchorDistanceM = reanchorDistanceM
            self.noise = noise
        }
    }
}

/// What the filter did with one fix.
public enum KalmanStatus: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// The state started at this fix: the first fix, or the first after a gap longer than
    /// `maxGapMs`.
    case started = 0
    /// The fix passed the gate and updated the state.
    case updated = 1
    /// The fix failed the chi-square gate: an outlier, the estimate is the prediction.
    case gatedOut = 2
    /// The fix failed the gate for the `resetAfterRejections`-th time in a row: the state was
    /// reset to it.
    case reset = 3
    /// The fix was not used: flagged invalid or outlier (by the sanity filter), or earlier than
    /// the state. The estimate is the prediction to its time (the last estimate when the fix
    /// is earlier than the state or beyond the gap limit; before any state, the fix itself).
    case skipped = 4

    public var description: String {
        switch self {
        case .started: "started"
        case .updated: "updated"
        case .gatedOut: "gated_out"
        case .reset: "reset"
        case .skipped: "skipped"
        }
    }
}

/// The filter's (or smoother's) estimate at one fix.
public struct KalmanEstimate: Sendable, Hashable {
    /// The fix time, ms UTC.
    public var timeMs: Int64
    /// Estimated position, 1e-7 degree.
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    /// Estimated velocity, m/s, east and north.
    public var eastVelocityMps: Double
    public var northVelocityMps: Double
    /// Standard deviation of the estimated position per axis, metres (infinite when the
    /// estimate is the raw fix because no state exists yet).
    public var positionSigmaM: Double
    /// What the filter did with the fix.
    public var status: KalmanStatus

    public init(
        timeMs: Int64, latitudeE7: Int32, longitudeE7: Int32, eastVelocityMps: Double, northVelocityMps: Double,
        positionSigmaM: Double, status: KalmanStatus
    ) {
        self.timeMs = timeMs
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.eastVelocityMps = eastVelocityMps
        self.northVelocityMps = northVelocityMps
        self.positionSigmaM = positionSigmaM
        self.status = status
    }

    /// Whether the fix did not contribute: gated out as an outlier or skipped.
    public var isRejected: Bool { status == .gatedOut || status == .skipped }

    /// Speed over ground, m/s.
    public var speedMps: Double {
        (eastVelocityMps * eastVelocityMps + northVelocityMps * northVelocityMps).squareRoot()
    }

    /// `fix` with its coordinates replaced by the estimate and `.outlier` set when the fix was
    /// rejected (every other field is kept).
    public func applied(to fix: Fix) -> Fix {
        var out = fix
        out.latitudeE7 = latitudeE7
        out.longitudeE7 = longitudeE7
        if isRejected { out.flags.insert(.outlier) }
        return out
    }
}
