import FieldtraceCore

extension Simplifier {
    /// Time-aware top-down simplification (TD-TR, Meratnia and de By 2004) on the loaded track:
    /// indices of the kept points, strictly increasing, with the first and the last. A point is
    /// dropped only if the position interpolated *at its time* between the kept points around it is
    /// within `toleranceMeters` of it (the synchronized Euclidean distance, SED). Unlike
    /// Douglas-Peucker this keeps stops and speed changes (a worker standing still for an hour
    /// keeps the fixes that say when they arrived and left), so the simplified track still answers
    /// "where was the worker at time t" within the tolerance.
    ///
    /// The track must be in time order. Where the two kept points have the same time (duplicate
    /// times), or times out of order, the interpolated position is their midpoint. Distances are
    /// planar (see `ProjectedTrack`: never shorter than the haversine distance to the position
    /// interpolated in degrees), compared squared against the tolerance less `SimplificationGuard`'s
    /// margin. O(n log n), see `Simplifier`.
    public mutating func timeAware(toleranceMeters: Double, into kept: inout [Int]) {
        let limit = SimplificationGuard.squaredLimit(toleranceMeters: toleranceMeters)
        kept.removeAll(keepingCapacity: true)
        let n = track.count
        withColumns { east, north, time, stack in
            Self.split(count: n, squaredLimit: limit, stack: &stack, into: &kept) { first, last in
                Self.farthestSynchronized(east: east, north: north, time: time, first: first, last: last)
            }
        }
    }

    /// The point of `first+1 ..< last` with the largest SED to first–last, and its square.
    @inline(__always)
    static func farthestSynchronized(
        east: UnsafePointer<Double>, north: UnsafePointer<Double>, time: UnsafePointer<Double>, first: Int, last: Int
    ) -> (index: Int, squaredM: Double) {
        let ax = east[first]
        let ay = north[first]
        let t0 = time[first]
        let span = time[last] - t0
        // f = (t - t0) * scale + offset: the time fraction, or 0.5 when the span is not positive.
        let scale = span > 0 ? 1 / span : 0
        let offset = span > 0 ? 0 : 0.5
        let dx = east[last] - ax
        let dy = north[last] - ay
        return farthest(first: first, last: last) { i in
            let f = (time[i] - t0) * scale + offset
            let qx = ax + dx * f - east[i]
            let qy = ay + dy * f - north[i]
            return qx * qx + qy * qy
        }
    }
}

/// Time-aware simplification (TD-TR, synchronized Euclidean distance; see `Simplifier.timeAware`),
/// used by the store for level-1 copies. One-shot conveniences; a caller simplifying many tracks
/// keeps a `Simplifier` and reuses it.
public enum TimeAwareSimplifier {
    /// Default tolerance for level-1 copies: 5 m, about a phone's GPS noise, so the copy is as
    /// good as the raw data for any question asked at street scale.
    public static let defaultToleranceMeters = 5.0

    /// Indices of the fixes to keep, strictly increasing, with the first and the last. `fixes`
    /// must be in time order.
    public static func keptIndices(_ fixes: [Fix], toleranceMeters: Double = defaultToleranceMeters) -> [Int] {
        var simplifier = Simplifier()
        simplifier.load(fixes)
        var kept: [Int] = []
        simplifier.timeAware(toleranceMeters: toleranceMeters, into: &kept)
        return kept
    }

    /// Indices of the points to keep from raw columns (1e-7 degree, Unix ms), without copying them
    /// into fixes.
    public static func keptIndices(
        latitudeE7: UnsafeBufferPointer<Int32>, longitudeE7: UnsafeBufferPointer<Int32>,
        timeMs: UnsafeBufferPointer<Int64>, toleranceMeters: Double = defaultToleranceMeters
    ) -> [Int] {
        var simplifier = Simplifier()
        simplifier.load(latitudeE7: latitudeE7, longitudeE7: longitudeE7, timeMs: timeMs)
        var kept: [Int] = []
        simplifier.timeAware(toleranceMeters: toleranceMeters, into: &kept)
        return kept
    }

    /// The kept fixes.
    public static func simplify(_ fixes: [Fix], toleranceMeters: Double = defaultToleranceMeters) -> [Fix] {
        keptIndices(fixes, toleranceMeters: toleranceMeters).map { fixes[$0] }
    }
}
