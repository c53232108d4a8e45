import FieldtraceCore

/// The first analytics stage: flags fixes no later stage should see (invalid, null island,
/// clock faults, duplicates, physically impossible jumps), with a reason. Flagged fixes keep
/// their place in raw storage; they get `.outlier` and are skipped by the Kalman filter and
/// kept out of events.
///
/// A value-type state machine per device, fed fixes in fix-time order. O(1) time and memory per
/// fix, no allocation. Data time only: the "now" for the future-time check is the fix's receive
/// time or a reference the caller passes, never a clock.
///
/// ## Jumps
/// The speed test compares a fix with the *last accepted* fix: a rejected fix never becomes the
/// reference, so a single wild fix cannot cause its honest successor to be rejected too. The
/// allowed distance is `maxSpeedMetersPerSecond x max(dt, minimumTimeStepSeconds)` plus
/// `errorAllowanceSigmas x sqrt(s1^2 + s2^2)`, where s1, s2 are the per-axis sigmas of the two
/// fixes (`MeasurementNoise`): the difference of two isotropic Gaussian errors is Gaussian with
/// that sigma, so low-accuracy fixes get a proportionally larger allowance, and at short time
/// steps the position noise, not the speed limit, dominates. The time step is floored because
/// fix times are often whole seconds while the positions are not sampled exactly on them.
///
/// ## Recovery when the reference itself was wrong
/// If the last accepted fix was wrong (a bad first fix, a jump accepted just inside the limit,
/// a clock that was ahead), every honest fix after it fails the speed or order test. So the
/// filter also remembers the run of consecutive rejected fixes (speed or order): a rejected fix
/// that is plausible from the previous rejected one (later time, speed within the limit)
/// extends the run, any other starts a new run. When a run reaches
/// `reanchorAfterConsistentFixes` fixes, its last fix is accepted and becomes the reference. The
/// earlier fixes of the run stay rejected (the filter is online and does not revise verdicts).
/// Isolated outliers, even a burst of them, never agree with each other for that many fixes
/// unless the receiver is genuinely tracking a (wrong) position, which the Kalman filter's
/// gating then handles.
public struct SanityFilter: Sendable {
    /// Thresholds. Every default says why it was chosen.
    public struct Configuration: Sendable, Hashable {
        /// Fastest plausible ground speed, m/s. 70 m/s (252 km/h): above any road vehicle a
        /// field worker drives, and high enough that GPS noise on a fast motorway drive is not
        /// flagged. Lower it (e.g. 15 m/s) for workers on foot or bicycle.
        public var maxSpeedMetersPerSecond: Double
        /// Floor on the time step of the speed test, seconds. 1 s: most devices stamp whole
        /// seconds, so two fixes 0.2 s apart may have been sampled up to a second apart.
        public var minimumTimeStepSeconds: Double
        /// Position-error allowance of the speed test, in sigmas of the difference of two fixes.
        /// 5: a 2-D Gaussian leaves its 5-sigma circle with probability exp(-12.5) = 4e-6, so
        /// honest noise is practically never flagged; large errors are the Kalman filter's job.
        public var errorAllowanceSigmas: Double
        /// How far a fix time may lie after the reference time, ms. 5 minutes: covers server and
        /// phone clock skew and a device stamping the end of a long fix; a device that reports
        /// local time as UTC is off by 15 minutes or more and is caught.
        public var futureToleranceMs: Int64
        /// Earliest plausible fix time, ms UTC. Default `Limits.earliestFixTimeMs` (1999-08-22,
        /// the first GPS week rollover): anything before is a clock fault.
        public var earliestTimeMs: Int64
        /// Largest age of a fix relative to the reference time, ms; `nil` disables the check.
        /// 90 days: tracker blind-area buffers and phone queues hold days to weeks; an older fix
        /// arriving now is a clock fault (e.g. a rollover the ingest could not correct).
        public var maxAgeMs: Int64?
        /// Half-width of the square around (0, 0) treated as "no position", 1e-7 degree. 10,000
        /// (0.001 degree, about 111 m): receivers emit exact zeros or a few metres of noise
        /// around them; no field-service work happens in the Gulf of Guinea at null island.
        public var nullIslandRadiusE7: Int32
        /// Consecutive mutually consistent rejected fixes after which the last of them is
        /// accepted as the new reference. 3: at 1 Hz a wrong reference costs two fixes; two
        /// multipath outliers that happen to agree are not enough to move the reference.
        public var reanchorAfterConsistentFixes: Int
        /// How a fix's reported accuracy or HDOP becomes a position sigma.
        public var noise: MeasurementNoise

        public init(
            maxSpeedMetersPerSecond: Double = 70, minimumTimeStepSeconds: Double = 1, errorAllowanceSigmas: Double = 5,
            futureToleranceMs: Int64 = 300_000, earliestTimeMs: Int64 = Limits.earliestFixTimeMs,
            maxAgeMs: Int64? = 90 * 86_400_000, nullIslandRadiusE7: Int32 = 10_000,
            reanchorAfterConsistentFixes: Int = 3, noise: MeasurementNoise = .init()
        ) {
            self.maxSpeedMetersPerSecond = maxSpeedMetersPerSecond
            self.minimumTimeStepSeconds = minimumTimeStepSeconds
            self.errorAllowanceSigmas = errorAllowanceSigmas
            self.futureToleranceMs = futureToleranceMs
            self.earliestTimeMs = earliestTimeMs
            self.maxAgeMs = maxAgeMs
            self.nullIslandRadiusE7 = nullIslandRadiusE7
            self.reanchorAfterConsistentFixes = reanchorAfterConsistentFixes
            self.noise = noise
        }
    }

    /// A fix the speed and order tests compare against.
    struct Reference: Sendable {
        var timeMs: Int64
        var latitudeE7: Int32
        var longitudeE7: Int32
        var sigmaM: Double
    }

    public let configuration: Configuration
    /// The last accepted fix.
    var anchor: Reference?
    /// The last fix seen, accepted or not (for identical retransmissions of a rejected fix).
    var previous: Reference?
    /// The last fix of the current run of consistent speed/order rejections, and its length.
    var candidate: Reference?
    var candidateRun = 0

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Judges one fix. The returned fix has `.outlier` set when rejected and cleared when
    /// accepted (the verdict replaces any earlier one). The future and age checks use
    /// `referenceTimeMs` when given, else the fix's `receivedMs`, else are skipped.
    public mutating func process(_ fix: Fix, referenceTimeMs: Int64? = nil) -> SanityVerdict {
        var out = fix
        let rejection = judge(fix, referenceTimeMs: referenceTimeMs)
        if rejection == nil { out.flags.remove(.outlier) } else { out.flags.insert(.outlier) }
        return SanityVerdict(fix: out, rejection: rejection)
    }

    /// The reason to reject `fix`, or `nil` to accept it; updates the state.
    public mutating func judge(_ fix: Fix, referenceTimeMs: Int64? = nil) -> SanityRejection? {
        if let absolute = absoluteRejection(fix, referenceTimeMs: referenceTimeMs) { return absolute }
        let current = Reference(
            timeMs: fix.timeMs, latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7,
            sigmaM: configuration.noise.sigmaM(fix))
        defer { previous = current }
        guard let anchor else {
            accept(current)
            return nil
        }
        if fix.timeMs == anchor.timeMs
            || (previous.map {
                $0.timeMs == current.timeMs && $0.latitudeE7 == current.latitudeE7
                    && $0.longitudeE7 == current.longitudeE7
            } ?? false)
        {
            return .duplicate
        }
        let relative: SanityRejection
        if fix.timeMs < anchor.timeMs {
            relative = .outOfOrder
        } else if isPlausible(from: anchor, to: current) {
            accept(current)
            return nil
        } else {
            relative = .impossibleSpeed
        }
        if let candidate, current.timeMs > candidate.timeMs, isPlausible(from: candidate, to: current) {
            candidateRun += 1
        } else {
            candidateRun = 1
        }
        candidate = current
        if candidateRun >= configuration.reanchorAfterConsistentFixes {
            accept(current)
            return nil
        }
        return relative
    }

    private mutating func accept(_ reference: Reference) {
        anchor = reference
        candidate = nil
        candidateRun = 0
    }

    /// Checks that need no history: validity, null island, clock plausibility.
    func absoluteRejection(_ fix: Fix, referenceTimeMs: Int64?) -> SanityRejection? {
        guard fix.isValid, CoordinateE7.isInRange(latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7) else {
            return .invalid
        }
        let zone = configuration.nullIslandRadiusE7
        if fix.latitudeE7.magnitude <= zone.magnitude && fix.longitudeE7.magnitude <= zone.magnitude {
            return .zeroCoordinates
        }
        if fix.timeMs < configuration.earliestTimeMs { return .ancientTime }
        if let reference = referenceTimeMs ?? fix.receivedMs {
            if fix.timeMs > reference &+ configuration.futureToleranceMs { return .futureTime }
            if let maxAge = configuration.maxAgeMs, fix.timeMs < reference &- maxAge { return .ancientTime }
        }
        return nil
    }

    /// Whether `to` can be reached from `from` within the speed limit and the error allowance.
    func isPlausible(from: Reference, to: Reference) -> Bool {
        let dt = max(Double(to.timeMs - from.timeMs) / 1000, configuration.minimumTimeStepSeconds)
        let errorSigma = (from.sigmaM * from.sigmaM + to.sigmaM * to.sigmaM).squareRoot()
        let allowed = configuration.maxSpeedMetersPerSecond * dt + configuration.errorAllowanceSigmas * errorSigma
        let distance = Geodesy.haversineMeters(
            lat1: Double(from.latitudeE7) / 1e7, lon1: Double(from.longitudeE7) / 1e7,
            lat2: Double(to.latitudeE7) / 1e7, lon2: Double(to.longitudeE7) / 1e7)
        return distance <= allowed
    }
}

/// The sanity filter's verdict on one fix.
public struct SanityVerdict: Sendable, Hashable {
    /// The fix, with `.outlier` set when rejected.
    public var fix: Fix
    /// Why it was rejected; `nil` when accepted.
    public var rejection: SanityRejection?
    public var isAccepted: Bool { rejection == nil }
}

extension SanityFilter {
    /// Runs a fresh filter over a device's fixes in time order: one verdict per fix, same order.
    public static func filter(
        _ fixes: [Fix], configuration: Configuration = .init(), referenceTimeMs: Int64? = nil
    ) -> [SanityVerdict] {
        var filter = SanityFilter(configuration: configuration)
        var verdicts: [SanityVerdict] = []
        verdicts.reserveCapacity(fixes.count)
        for fix in fixes { verdicts.append(filter.process(fix, referenceTimeMs: referenceTimeMs)) }
        return verdicts
    }
}
