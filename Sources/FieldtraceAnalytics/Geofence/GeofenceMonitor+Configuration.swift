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
        /// Distance margin, metres, when a fence has no `margin_m`. 25 m: about 1.7 sigma of the
        /// 15 m urban jitter we design for, so a fix beyond it is rarely noise, while a worker
        /// walking in or out passes it within 20 s.
        public var marginM = 30.0
        /// Minimum stay inside before `enter`, seconds, when a fence has no `enter_dwell_s`.
        /// 60 s: longer than a walk-by or a GPS excursion, short enough for attendance.
        public var enterDwellS = 90.0
        /// Minimum stay outside before `exit`, seconds, when a fence has no `exit_dwell_s`.
        /// 120 s: a worker stepping out to a van for a tool is still on site, and multipath
        /// excursions near buildings last about a minute.
        public var exitDwellS = 120.0
        /// User equivalent range error, metres: 1-sigma position error = HDOP x this, used when a
        /// fix has HDOP but no accuracy. 5 m is typical of single-frequency consumer receivers.
        public var uereM = 5.0
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

        public init() {}
    }

    /// The resolved values the monitor applies to one fence.
    struct FenceRules {
        var marginM: Double
        var enterDwellMs: Int64
        var exitDwellMs: Int64
        var dwellThresholdMs: Int64?
        var activeHours: ActiveHours?
    }

    static func rules(for fence: Geofence, _ c: Configuration) -> FenceRules {
        FenceRules(
            marginM: fence.marginM ?? c.marginM,
            enterDwellMs: Int64(((fence.enterDwellS ?? c.enterDwellS) * 1000).rounded()),
            exitDwellMs: Int64(((fence.exitDwellS ?? c.exitDwellS) * 1000).rounded()),
            dwellThresholdMs: fence.dwellS.map { Int64(($0 * 1000).rounded()) }, activeHours: fence.activeHours)
    }
}
