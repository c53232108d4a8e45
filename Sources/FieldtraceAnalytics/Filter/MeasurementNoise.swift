import FieldtraceCore

/// The standard deviation of a fix's position error along one axis (east or north), metres,
/// from what the fix reports. Shared by the sanity filter (its jump allowance) and the Kalman
/// filter (its measurement noise), so both read a fix's quality the same way.
///
/// The error is modelled as isotropic: the same sigma east and north, uncorrelated. Receivers
/// report one number (an accuracy radius or HDOP), not an error ellipse, so nothing better is
/// known; it also keeps east and north independent in the Kalman filter (see `KalmanTracker`).
///
/// In order of preference:
/// 1. `accuracyM`, a phone's horizontal accuracy: the radius of the 68% circle (Android's
///    documented definition; iOS reports a comparable figure). For a circular Gaussian error
///    with per-axis sigma s, the radius holding probability p is s * sqrt(-2 ln(1 - p)), so the
///    68% radius is 1.5096 s, and s = accuracyM / 1.5096.
/// 2. `hdop`: HDOP maps the user equivalent range error (UERE, the 1-sigma error of one
///    pseudorange) to the horizontal root-mean-square error (DRMS = HDOP x UERE), which is
///    sqrt(2) times the per-axis sigma: s = HDOP x UERE / sqrt(2).
/// 3. `defaultSigmaM` when the fix reports neither.
///
/// The result is clamped to at least `minimumSigmaM`.
public struct MeasurementNoise: Sendable, Hashable {
    /// Per-axis sigma, metres, for fixes that report neither accuracy nor HDOP. 5 m: a consumer
    /// receiver or phone with a clear sky is typically 3 to 5 m per axis; erring to the large
    /// side makes the filters trust such fixes a little less rather than gate good fixes out.
    public var defaultSigmaM: Double
    /// User equivalent range error, metres (1 sigma). 5 m: the single-frequency error budget of
    /// consumer receivers (ionosphere, troposphere, multipath, clock and ephemeris) is about 4
    /// to 6 m; with HDOP 1 this gives 3.5 m per axis (DRMS 5 m), in line with the open-sky
    /// errors of trackers that report HDOP about 1 (and with the scenario simulator's model).
    public var userEquivalentRangeErrorM: Double
    /// Smallest per-axis sigma, metres. 1 m: phones report accuracies of 1 to 3 m under a clear
    /// sky that their fixes do not meet, and a tiny sigma would make the Kalman filter follow
    /// one fix blindly and gate out its honest neighbours.
    public var minimumSigmaM: Double

    public init(defaultSigmaM: Double = 5, userEquivalentRangeErrorM: Double = 5, minimumSigmaM: Double = 1) {
        self.defaultSigmaM = defaultSigmaM
        self.userEquivalentRangeErrorM = userEquivalentRangeErrorM
        self.minimumSigmaM = minimumSigmaM
    }

    /// sqrt(-2 ln(1 - 0.68)): the 68% radius of a circular Gaussian in units of its per-axis sigma.
    public static let radius68PerSigma = 1.509_592_185_451_663_4

    /// Per-axis sigma of `fix`, metres. O(1); non-finite or non-positive reports are ignored.
    @inlinable
    public func sigmaM(_ fix: Fix) -> Double {
        sigmaM(accuracyM: fix.accuracyM, hdop: fix.hdop)
    }

    /// Per-axis sigma from a reported accuracy radius (68%, metres) or HDOP, metres.
    @inlinable
    public func sigmaM(accuracyM: Double?, hdop: Double?) -> Double {
        let sigma: Double
        if let accuracyM, accuracyM > 0, accuracyM.isFinite {
            sigma = accuracyM / Self.radius68PerSigma
        } else if let hdop, hdop > 0, hdop.isFinite {
            sigma = hdop * userEquivalentRangeErrorM * 0.707_106_781_186_547_6
        } else {
            sigma = defaultSigmaM
        }
        return max(sigma, minimumSigmaM)
    }
}
