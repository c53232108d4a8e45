import FieldtraceCore

/// Douglas-Peucker simplification with the synchronized Euclidean distance (SED): a fix is
/// dropped only if the position interpolated *at its time* between the kept neighbours is within
/// `toleranceMeters` of it. Unlike plain Douglas-Peucker this keeps stops and speed changes
/// (a worker standing still for an hour keeps the fixes that say when they arrived and left), so
/// the simplified track still answers "where was the worker at time t" within the tolerance.
///
/// Iterative (an explicit stack, no recursion), O(n log n) typical, O(n²) worst case; the first
/// and last fix are always kept. Distances are computed in a local tangent plane around the
/// first fix (accurate to 0.1% within 50 km, the scale of one segment).
public enum TimeAwareSimplifier {
    /// Default tolerance for level-1 copies: 5 m, about a phone's GPS noise, so the copy is as
    /// good as the raw data for any question asked at street scale.
    public static let defaultToleranceMeters = 5.0

    /// Indices of the fixes to keep, ascending. `fixes` must be in time order.
    public static func keptIndices(_ fixes: [Fix], toleranceMeters: Double = defaultToleranceMeters) -> [Int] {
        guard fixes.count > 2 else { return Array(fixes.indices) }
        let plane = LocalTangentPlane(originLatitude: fixes[0].latitude, originLongitude: fixes[0].longitude)
        let points = fixes.map { plane.project(latitude: $0.latitude, longitude: $0.longitude) }
        var keep = [Bool](repeating: false, count: fixes.count)
        keep[0] = true
        keep[fixes.count - 1] = true
        let tolerance2 = toleranceMeters * toleranceMeters
        var stack: [(Int, Int)] = [(0, fixes.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last - first > 1 else { continue }
            let t0 = Double(fixes[first].timeMs)
            let span = Double(fixes[last].timeMs) - t0
            let a = points[first]
            let b = points[last]
            var worst = -1.0
            var worstIndex = first
            for i in (first + 1)..<last {
                let f = span > 0 ? (Double(fixes[i].timeMs) - t0) / span : 0.5
                let ex = a.eastM + (b.eastM - a.eastM) * f - points[i].eastM
                let ny = a.northM + (b.northM - a.northM) * f - points[i].northM
                let d2 = ex * ex + ny * ny
                if d2 > worst {
                    worst = d2
                    worstIndex = i
                }
            }
            if worst > tolerance2 {
                keep[worstIndex] = true
                stack.append((first, worstIndex))
                stack.append((worstIndex, last))
            }
        }
        return keep.indices.filter { keep[$0] }
    }

    /// The kept fixes.
    public static func simplify(_ fixes: [Fix], toleranceMeters: Double = defaultToleranceMeters) -> [Fix] {
        keptIndices(fixes, toleranceMeters: toleranceMeters).map { fixes[$0] }
    }
}
