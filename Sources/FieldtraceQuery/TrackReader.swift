import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore

/// Reads a track for a `TrackRequest`: replay from the store, then smoothing, then simplification.
///
/// - Level 0 is the lossless track: level-0 segments and the fixes still buffered (WAL). Where
///   retention has already replaced raw data by its level-1 copy, level 0 has nothing.
/// - Level 1 is the simplified track everywhere: the stored level-1 copy wherever one exists
///   (the store writes it when it seals a segment, and retention keeps it after the raw data
///   expires), and for the times no copy covers (the WAL buffer, segments sealed without a copy)
///   the raw fixes simplified on the fly (TD-TR, `TimeAwareSimplifier`'s 5 m, as the store does),
///   merged by time. Raw data is read only for those uncovered times.
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

    /// The GeoJSON writer of `request` read straight from the segments' columns (no `Fix` per
    /// fix), when the request asks for the stored track as it is (geojson, no smoothing, no
    /// simplification, level 0) and the store can give it as columns (`replayColumns`). nil:
    /// use `fixes(for:)` and `TrackRenderer`, which write the same bytes.
    public func geoJSONWriter(for request: TrackRequest) throws -> GeoJSONColumnsWriter? {
        guard request.format == .geojson, request.smoothing == .none, request.simplifyMeters == nil,
            request.level == 0, !request.range.isEmpty,
            let columns = try store.replayColumns(
                device: request.device, from: request.range.lowerBound, to: request.range.upperBound - 1)
        else { return nil }
        return GeoJSONColumnsWriter(device: request.device, columns: columns)
    }

    /// The stored fixes of `[range)` at a level, time order, one per fix time.
    public func replay(device: DeviceID, range: Range<Int64>, level: Int) throws -> [Fix] {
        guard !range.isEmpty else { return [] }
        // Replay and the catalog take closed ranges.
        let (from, to) = (range.lowerBound, range.upperBound - 1)
        guard level == 1 else { return try store.replay(device: device, from: from, to: to, level: 0) }
        // The stored copy where there is one; the raw fixes of the times no copy covers (the WAL
        // buffer, segments sealed without a copy) simplified as the store would.
        let stored = try store.replay(device: device, from: from, to: to, level: 1)
        var raw: [Fix] = []
        var uncoveredFrom = from
        for copy in try store.catalog.segments(device: device, level: 1, from: from, to: to) {
            if copy.t0 > uncoveredFrom {
                raw += try store.replay(device: device, from: uncoveredFrom, to: copy.t0 - 1, level: 0)
            }
            if copy.t1 >= to { return Self.merge(stored, Self.simplified(raw)) }
            uncoveredFrom = max(uncoveredFrom, copy.t1 + 1)
        }
        raw += try store.replay(device: device, from: uncoveredFrom, to: to, level: 0)
        return Self.merge(stored, Self.simplified(raw))
    }

    static func simplified(_ fixes: [Fix]) -> [Fix] {
        fixes.count > 2 ? TimeAwareSimplifier.simplify(fixes) : fixes
    }

    /// Two time-ordered tracks as one, `a`'s fix first on equal times.
    static func merge(_ a: [Fix], _ b: [Fix]) -> [Fix] {
        guard !a.isEmpty else { return b }
        guard !b.isEmpty else { return a }
        var merged: [Fix] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            let next: Fix
            if j == b.count || (i < a.count && a[i].timeMs <= b[j].timeMs) {
                next = a[i]
                i += 1
            } else {
                next = b[j]
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
