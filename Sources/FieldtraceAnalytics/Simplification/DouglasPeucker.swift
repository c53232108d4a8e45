import FieldtraceCore

extension Simplifier {
    /// Douglas-Peucker on the loaded track: indices of the kept points, strictly increasing, with
    /// the first and the last. Every dropped point is within `toleranceMeters` of the kept segment
    /// that spans it, the distance being to the **segment** (the nearest point between its two ends),
    /// not to the infinite line through them as in Douglas and Peucker's paper and shapely: a worker
    /// who walks 200 m past a site and back is a spike the line distance would drop (every point is
    /// near the line), while the segment distance keeps its tip. Time is ignored: a stop is one
    /// point, use `timeAware` to keep when it started and ended.
    ///
    /// Distances are planar (see `ProjectedTrack`), compared squared against the tolerance less
    /// `SimplificationGuard`'s margin. O(n log n), see `Simplifier`.
    public mutating func douglasPeucker(toleranceMeters: Double, into kept: inout [Int]) {
        let limit = SimplificationGuard.squaredLimit(toleranceMeters: toleranceMeters)
        kept.removeAll(keepingCapacity: true)
        let n = track.count
        withColumns { east, north, _, stack in
            Self.split(count: n, squaredLimit: limit, stack: &stack, into: &kept) { first, last in
                Self.farthestFromSegment(east: east, north: north, first: first, last: last)
            }
        }
    }

    /// The point of `first+1 ..< last` farthest from the segment first–last, and its squared distance.
    /// Branch-free: the projection onto the line is clamped to the segment (a zero-length segment
    /// has inverse length 0, so every point measures to its end).
    @inline(__always)
    static func farthestFromSegment(
        east: UnsafePointer<Double>, north: UnsafePointer<Double>, first: Int, last: Int
    ) -> (index: Int, squaredM: Double) {
        let ax = east[first]
        let ay = north[first]
        let dx = east[last] - ax
        let dy = north[last] - ay
        let length2 = dx * dx + dy * dy
        let inverse = length2 > 0 ? 1 / length2 : 0
        return farthest(first: first, last: last) { i in
            let px = east[i] - ax
            let py = north[i] - ay
            let along = min(max((px * dx + py * dy) * inverse, 0), 1)
            let qx = px - dx * along
            let qy = py - dy * along
            return qx * qx + qy * qy
        }
    }
}

/// Douglas-Peucker in metres with the distance to the segment (see `Simplifier.douglasPeucker`).
/// One-shot conveniences; a caller simplifying many tracks keeps a `Simplifier` and reuses it.
public enum DouglasPeucker {
    /// Indices of the fixes to keep, strictly increasing, with the first and the last.
    public static func keptIndices(_ fixes: [Fix], toleranceMeters: Double) -> [Int] {
        var simplifier = Simplifier()
        simplifier.load(fixes)
        var kept: [Int] = []
        simplifier.douglasPeucker(toleranceMeters: toleranceMeters, into: &kept)
        return kept
    }

    /// Indices of the points to keep from raw coordinate columns (1e-7 degree), without copying them
    /// into fixes.
    public static func keptIndices(
        latitudeE7: UnsafeBufferPointer<Int32>, longitudeE7: UnsafeBufferPointer<Int32>, toleranceMeters: Double
    ) -> [Int] {
        var simplifier = Simplifier()
        simplifier.load(latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        var kept: [Int] = []
        simplifier.douglasPeucker(toleranceMeters: toleranceMeters, into: &kept)
        return kept
    }

    /// The kept fixes.
    public static func simplify(_ fixes: [Fix], toleranceMeters: Double) -> [Fix] {
        keptIndices(fixes, toleranceMeters: toleranceMeters).map { fixes[$0] }
    }
}
