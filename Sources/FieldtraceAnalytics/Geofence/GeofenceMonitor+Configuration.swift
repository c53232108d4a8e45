extension EventKind {
    /// A device entered a fence: `timeMs` is the interpolated crossing, attributes `distance_m`.
    public static let geofenceEnter = EventKind("geofence.enter")
    /// A device left a fence: `timeMs` is the interpolated crossing, attributes `distance_m`, `duration_s`.
    public static let geofenceExit = EventKind("geofence.exit")
    /// A stay passed the fence's `dwell_s`: `timeMs` is entry + `dwell_s`, attributes `duration_s`, `distance_m`.
    public static let geofenceDwell = EventKind("geofence.dwell")
}

/// Where a device stands with respect to one fence.
public enum GeofenceState: Sendable, Hashable {
    case outside
    /// Outside, but the device crossed in and the enter is not yet confirmed.
    case enteringPending
    case inside
    /// Inside, but the device crossed out and the exit is not yet confirmed.
    case exitingPending
}

extension GeofenceMonitor {
    /// Defaults for fences that do not set their own values, and the accuracy model.
    public struct Configuration: Sendable, Hashable {
        /// Distance margin, metres, when a fence has no `margin_m`. 15 m: beyond the 5-10 m
        /// accuracy of a good fix, yet a worker standing 20 m inside a site still counts as inside
        /// (noisier fixes widen it through their accuracy radius, see `uereM`), and a walker
        /// passes it within about 10 s.
        public var marginM = 15.0
        /// Minimum stay inside before `enter`, seconds, when a fence has no `enter_dwell_s`.
        /// 60 s: longer than a walk-by or a GPS excursion, short enough for attendance.
        public var enterDwellS = 60.0
        /// Minimum stay outside before `exit`, seconds, when a fence has no `exit_dwell_s`.
        /// 120 s: a worker stepping out to a van for a tool is still on site, and multipath
        /// excursions near buildings last about a minute.
        public var exitDwellS = 120.0
        /// User equivalent range error, metres: 1-sigma position error per axis = HDOP x this,
        /// used when a fix has HDOP but no accuracy. 3.5 m: modern single-frequency receivers
        /// (older ones are nearer 5 m; a larger value only makes the monitor more cautious).
        public var uereM = 3.5
        /// A fix counts as beyond the margin only if also this many accuracy radii deep. 2: a fix
        /// reporting 15 m accuracy must be 30 m inside to count, so a device reporting every
        /// 10 s (6 fixes per minute) at a boundary cannot pile up a majority by noise alone.
        public var beyondAccuracyFactor = 2.0
        /// Votes needed before a transition: the confirming fix and at least this many fixes in
        /// the dwell window beyond the margin. 2: one wild fix alone never changes the state,
        /// even on a device reporting less often than the dwell time.
        public var minimumVotes = 2
        /// Largest share of the dwell window's fixes allowed on the old side at confirmation.
        /// 0.25 tolerates an occasional wild fix (outliers are filtered upstream in the product,
        /// but the monitor must survive raw fixes) without accepting a boundary loiterer.
        public var maxContraryShare = 0.25
        /// Half width, seconds, of the window around the first crossing estimate in which a line
        /// is fitted to the fixes' signed distances to refine the crossing time; 0 disables the
        /// fit. 30 s: long enough to average GPS noise over several fixes, short enough that a
        /// walker or vehicle moves about straight across the boundary.
        public var crossingFitHalfWindowS = 30.0
        /// The dwell clock starts at the last voting fix on the old side (the earliest the device
        /// can have crossed), but at most this many seconds before the interpolated crossing. 30 s:
        /// a real transition is then confirmed within the dwell time plus one reporting interval
        /// of the true crossing even when noise delays the first fix on the new side, while a
        /// device that hovered near the boundary without voting still waits almost the whole dwell.
        public var maxClockLeadS = 30.0
        /// The dwell clock starts at least this many seconds before the estimated crossing: the
        /// typical error of the estimate with noisy fixes (a noise excursion can put the last
        /// fix on the old side after the true crossing). 5 s.
        public var crossingUncertaintyS = 5.0
        /// Settle test (a device that stays within GPS noise of the boundary, e.g. a worker who
        /// walks back to a spot 3 m inside the fence): window of fixes whose median signed
        /// distance is tested, seconds. 300 s: at 1 Hz the median of 300 fixes with 10 m noise is
        /// known to about 1 m. 0 disables the test (only the margin test confirms).
        public var settleWindowS = 300.0
        /// The settle test runs only this long after the dwell clock started, seconds (and only
        /// after the dwell): 120 s of fixes before a statistical verdict.
        public var settleMinimumS = 120.0
        /// Fewest fixes in the settle window. 60 (one every 5 s over the window): a median of
        /// fewer noisy fixes is no verdict; sparser devices rely on the margin test alone.
        public var settleMinimumFixes = 60
        /// The median must be on the new side by this many metres plus `settleStandardErrors`
        /// standard errors. 1 m: a position within a metre of the line is never taken as a side.
        public var settleMarginM = 1.0
        /// Standard errors of the median required beyond `settleMarginM`. 3: with the margin, a
        /// device 1.5 m from the boundary is about 4 standard errors or more from a false verdict.
        public var settleStandardErrors = 3.0
        /// Error that averaging cannot remove (slowly varying multipath and atmospheric error),
        /// metres, added in quadrature to the median's standard error. 0.5 m. The test assumes
        /// fixes about a second apart have independent errors; where errors drift over minutes
        /// (a receiver without open sky) raise this or disable the test (`settleWindowS = 0`).
        public var settleErrorFloorM = 0.5
        /// The settle test is evaluated at most this often per track, seconds of data time (it
        /// sorts up to 512 distances). 5 s.
        public var settleCheckIntervalS = 5.0

        public init() {}
    }

    /// The resolved values the monitor applies to one fence.
    struct FenceRules {
        /// Margin outside, metres.
        var marginM: Double
        /// Margin inside, metres: the margin, but at most half the fence's depth (a 30 m corridor
        /// cannot hold a fix 25 m inside it; the deepest point of a fence must count as inside).
        var insideMarginM: Double
        var enterDwellMs: Int64
        var exitDwellMs: Int64
        var dwellThresholdMs: Int64?
        var activeHours: ActiveHours?
    }

    static func rules(for fence: Geofence, depthM: Double, _ c: Configuration) -> FenceRules {
        let margin = fence.marginM ?? c.marginM
        return FenceRules(
            marginM: margin, insideMarginM: min(margin, depthM / 2),
            enterDwellMs: Int64(((fence.enterDwellS ?? c.enterDwellS) * 1000).rounded()),
            exitDwellMs: Int64(((fence.exitDwellS ?? c.exitDwellS) * 1000).rounded()),
            dwellThresholdMs: fence.dwellS.map { Int64(($0 * 1000).rounded()) }, activeHours: fence.activeHours)
    }
}
