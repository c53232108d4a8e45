import FieldtraceCore

/// The batch simplifiers with reusable buffers: load a track (fixes or raw columns), then run
/// Douglas-Peucker (`douglasPeucker`, distance to the segment) or time-aware top-down
/// (`timeAware`, TD-TR, synchronized Euclidean distance). Results are indices of the kept points,
/// strictly increasing, always the first and the last; every dropped point is within
/// `toleranceMeters` of the kept track (see each method for the distance). After the buffers have
/// grown, a run allocates nothing.
///
/// Both are top-down splits with an explicit stack: a range whose farthest point is within the
/// tolerance is kept as one segment, otherwise it is split at that point. No recursion, so no depth
/// limit (a 1,000,000-point zig-zag is fine). Time: O(n log n) typical. Textbook Douglas-Peucker
/// degrades to O(n²) on inputs where every split peels one point off the end of its range (a
/// zig-zag, a spiral); here, after `maxLopsidedRun` such lopsided splits in a row, the range is
/// split at its middle instead, which bounds the work at O(n log n). The middle point is kept
/// although it may be within the tolerance: at most one extra point per forced split, never a
/// larger error, and on real tracks it never happens (the results equal textbook DP; tested).
public struct Simplifier: Sendable {
    /// The projected track the methods work on; `load` replaces it.
    public private(set) var track = ProjectedTrack()
    private var stack: [Span] = []

    /// A split leaving fewer than 1/`lopsidedRatio` of a range on one side is lopsided. At 1/16 a
    /// random split point is lopsided one time in eight, so `maxLopsidedRun` of them in a row is a
    /// one-in-250,000 event on real data, and pathological inputs are cut after a few rounds.
    static let lopsidedRatio = 16
    /// Lopsided splits allowed in a row before the middle split: 6 keeps the pathological cost at
    /// about 5 n log₂ n point evaluations (a 1,000,000-point zig-zag: 1e8, a fraction of a second
    /// in release; textbook DP needs n²/2 = 5e11 there).
    static let maxLopsidedRun = 6
    /// Ranges shorter than this are never force-split: their quadratic cost is bounded anyway.
    static let minForcedSplitSpan = 32

    struct Span {
        var first: Int
        var last: Int
        var lopsidedRun: Int
    }

    public init() {}

    /// Projects `fixes` (see `ProjectedTrack` for the projection and its error).
    public mutating func load(_ fixes: [Fix]) { track.load(fixes) }

    /// Projects raw columns without building fixes; `timeMs` is needed by `timeAware` only.
    public mutating func load(
        latitudeE7: UnsafeBufferPointer<Int32>, longitudeE7: UnsafeBufferPointer<Int32>,
        timeMs: UnsafeBufferPointer<Int64>? = nil
    ) {
        track.load(latitudeE7: latitudeE7, longitudeE7: longitudeE7, timeMs: timeMs)
    }

    /// Runs `split` with the track's columns as pointers (east, north, time).
    @inline(__always)
    mutating func withColumns(
        _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>, inout [Span]) -> Void
    ) {
        var stack: [Span] = []
        swap(&stack, &self.stack)  // borrow the buffer, so `track` can be read while it is mutated
        defer { swap(&stack, &self.stack) }
        track.eastM.withUnsafeBufferPointer { east in
            track.northM.withUnsafeBufferPointer { north in
                track.timeMs.withUnsafeBufferPointer { time in
                    guard let e = east.baseAddress, let n = north.baseAddress, let t = time.baseAddress else {
                        return
                    }
                    body(e, n, t, &stack)
                }
            }
        }
    }

    /// The top-down split shared by both methods. `farthest(first, last)` returns the index in
    /// `first+1 ..< last` with the largest squared distance (the first one on ties) and that distance.
    @inline(__always)
    static func split(
        count n: Int, squaredLimit: Double, stack: inout [Span], into kept: inout [Int],
        farthest: (Int, Int) -> (index: Int, squaredM: Double)
    ) {
        guard n > 0 else { return }
        kept.append(0)
        guard n > 1 else { return }
        stack.removeAll(keepingCapacity: true)
        stack.append(Span(first: 0, last: n - 1, lopsidedRun: 0))
        // Depth-first, left range first: ranges finish in track order, so each finished range
        // appends its last index and `kept` comes out sorted without a bitmap or a sort.
        while let span = stack.popLast() {
            let (first, last) = (span.first, span.last)
            guard last - first > 1 else {
                kept.append(last)
                continue
            }
            let (worst, squared) = farthest(first, last)
            guard squared > squaredLimit else {
                kept.append(last)
                continue
            }
            var at = worst
            var leftRun = 0
            var rightRun = 0
            let width = last - first
            let smaller = min(worst - first, last - worst)
            if width >= Self.minForcedSplitSpan && smaller * Self.lopsidedRatio < width {
                let run = span.lopsidedRun + 1
                if run > Self.maxLopsidedRun {
                    at = first + width / 2
                } else if worst - first > last - worst {
                    leftRun = run
                } else {
                    rightRun = run
                }
            }
            stack.append(Span(first: at, last: last, lopsidedRun: rightRun))
            stack.append(Span(first: first, last: at, lopsidedRun: leftRun))
        }
    }

    /// The index in `first+1 ..< last` with the largest `squaredDistance` (the first one on ties, as
    /// a plain loop would find) and that value. Four independent running maxima: a single one is a
    /// dependency chain of one `maxsd` (4 cycles) per point, which measured as the scan's bottleneck.
    @inline(__always)
    static func farthest(
        first: Int, last: Int, squaredDistance: (Int) -> Double
    ) -> (index: Int, squaredM: Double) {
        var (w0, w1, w2, w3) = (-1.0, -1.0, -1.0, -1.0)
        var (i0, i1, i2, i3) = (first, first, first, first)
        var i = first + 1
        while i &+ 3 < last {
            let d0 = squaredDistance(i)
            let d1 = squaredDistance(i &+ 1)
            let d2 = squaredDistance(i &+ 2)
            let d3 = squaredDistance(i &+ 3)
            if d0 > w0 { (w0, i0) = (d0, i) }
            if d1 > w1 { (w1, i1) = (d1, i &+ 1) }
            if d2 > w2 { (w2, i2) = (d2, i &+ 2) }
            if d3 > w3 { (w3, i3) = (d3, i &+ 3) }
            i &+= 4
        }
        while i < last {
            let d = squaredDistance(i)
            if d > w0 { (w0, i0) = (d, i) }
            i &+= 1
        }
        // Merge: the larger maximum, the smaller index on ties (lanes never hold equal indices).
        @inline(__always) func better(_ a: (Double, Int), _ b: (Double, Int)) -> (Double, Int) {
            b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) ? b : a
        }
        let best = better(better((w0, i0), (w1, i1)), better((w2, i2), (w3, i3)))
        return (best.1, best.0)
    }
}
