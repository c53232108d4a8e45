import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore

/// Reads a track for a `TrackRequest`: replay from the store, then smoothing, then simplification.
///
/// - Level 0 is the lossless track: level-0 segments and the fixes still buffered (WAL). Where
///   retention has already replaced raw data by its level-1 copy, level 0 has nothing.
/// - Level 1 is the simplified track everywhere: the stored level-1 copy where raw data has
///   expired, and the raw fixes simplified on the fly (TD-TR, `TimeAwareSimplifier`'s 5 m, as
///   retention does) where they have not, merged by time.
/// - Smoothing (`kalman`, `rts`) runs the sanity filter, then the Kalman filter (and RTS
///   smoother); fixes either rejects (outliers, invalid fixes) are left out, the others are
///   kept with their estimated position and every other field unchanged.
/// - `simplifyMeters` then keeps the fixes TD-TR keeps at that tolerance (time-aware: a fix is
///   dropped only if the kept track puts the device within the tolerance of it *at its time*,
///   so stops and "where at time t" survive, unlike Douglas-Peucker).
///
/// Cost: O(n) for the replay, O(n) for Kalman/RTS, O(n log n) for TD-TR; memory O(n) fixes.
public struct TrackReader: Sendable {
    public let store: TrackStore
    /// The filter settings for `kalman` and `rts`; the defaults are the engine's.
    public var kalman = KalmanTracker.Configuration()
    public var sanity = SanityFilter.Configuration()

    public init(store: TrackStore) { self.store = store }

    /// The fixes of `request.device` in `request.range`, time order, processed as asked.
    public func fixes(for request: TrackRequest) throws -> [Fix] {
        var fixes = try replay(device: request.device, range: request.range, level: request.level)
        fixes = smooth(fixes, request.smoothing)
        if let tolerance = request.simplifyMeters, fixes.count > 2 {
            fixes = TimeAwareSimplifier.keptIndices(fixes, toleranceMeters: tolerance).map { fixes[$0] }
        }
        return fixes
    }

    /// The stored fixes of `[range)` at a level, time order, one per fix time.
    public func replay(device: DeviceID, range: Range<Int64>, level: Int) throws -> [Fix] {
        guard !range.isEmpty else { return [] }
        // Replay takes a closed range.
        let raw = try store.replay(device: device, from: range.lowerBound, to: range.upperBound - 1, level: 0)
        guard level == 1 else { return raw }
        let stored = try store.replay(device: device, from: range.lowerBound, to: range.upperBound - 1, level: 1)
        let simplified = raw.count > 2 ? TimeAwareSimplifier.simplify(raw) : raw
        guard !stored.isEmpty else { return simplified }
        guard !simplified.isEmpty else { return stored }
        // Retention swaps a raw segment for its copy in one transaction, so the two cover
        // different times; merge by time, the stored copy first on a tie.
        var merged: [Fix] = []
        merged.reserveCapacity(stored.count + simplified.count)
        var i = 0
        var j = 0
        while i < stored.count || j < simplified.count {
            let next: Fix
            if j == simplified.count || (i < stored.count && stored[i].timeMs <= simplified[j].timeMs) {
                next = stored[i]
                i += 1
            } else {
                next = simplified[j]
                j += 1
            }
            if merged.last?.timeMs != next.timeMs { merged.append(next) }
        }
        return merged
    }

    /// Applies a smoothing mode (see the type's documentation).
    public func smooth(_ fixes: [Fix], _ smoothing: TrackSmoothing) -> [Fix] {
        guard smoothing != .none, !fixes.isEmpty else { return fixes }
        let accepted = SanityFilter.filter(fixes, configuration: sanity).lazy.filter(\.isAccepted).map(\.fix)
        let cleaned = Array(accepted)
        let estimates =
            smoothing == .rts
            ? RTSSmoother.smooth(cleaned, configuration: kalman)
            : KalmanTracker.filter(cleaned, configuration: kalman)
        var out: [Fix] = []
        out.reserveCapacity(cleaned.count)
        for (fix, estimate) in zip(cleaned, estimates) where !estimate.isRejected {
            out.append(estimate.applied(to: fix))
        }
        return out
    }
}
