import FieldtraceCore

/// A route's polyline in a local plane, with along-route distances and a segment index, for
/// point-to-route distance and projection.
///
/// The plane is a `LocalTangentPlane` at the centre of the route's bounding box (within 0.1%
/// for routes up to about 100 km across). The index is a balanced tree of bounding boxes over
/// runs of consecutive segments (leaves of `leafSegments`); a nearest-segment query is a
/// branch-and-bound descent, O(log n) for a point near the route. A query with a hint (the
/// segment matched at the previous fix) first tries the few segments around it and stops
/// there when one is close enough: O(1) while the device follows the route, and the match
/// stays on the right pass of a route that comes back near itself.
///
/// Immutable once built; share one among all devices following the route.
public struct RouteGeometry: Sendable {
    /// Projection of a point onto the route.
    public struct Projection: Sendable, Hashable {
        /// Index of the segment (vertex `segment` to `segment + 1`).
        public var segment: Int
        /// Distance from the point to the route, metres.
        public var distanceMeters: Double
        /// Along-route position of the projected point from the first vertex, metres.
        public var alongMeters: Double
    }

    struct Node: Sendable {
        var minX, minY, maxX, maxY: Double
        var lo, hi: Int  // segments lo..<hi
        var left = -1
        var right = -1
    }

    static let leafSegments = 8
    /// Segments tried around the hint: a few back (noise, a U-turn) and more ahead (travel).
    static let hintBack = 2
    static let hintAhead = 8

    public let plane: LocalTangentPlane
    let xs: [Double]
    let ys: [Double]
    /// Along-route distance of each vertex, metres.
    let along: [Double]
    var nodes: [Node] = []

    /// Total length, metres.
    public var lengthMeters: Double { along.last ?? 0 }
    /// Number of segments.
    public var segmentCount: Int { xs.count - 1 }

    /// - Precondition: at least two points.
    public init(points: [PlannedRoute.Point]) {
        precondition(points.count >= 2, "a route needs at least two points")
        var minLat = Double.infinity
        var maxLat = -Double.infinity
        var minLon = Double.infinity
        var maxLon = -Double.infinity
        for p in points {
            minLat = min(minLat, p.latitude)
            maxLat = max(maxLat, p.latitude)
            minLon = min(minLon, p.longitude)
            maxLon = max(maxLon, p.longitude)
        }
        plane = LocalTangentPlane(originLatitude: (minLat + maxLat) / 2, originLongitude: (minLon + maxLon) / 2)
        var xs: [Double] = []
        var ys: [Double] = []
        var along: [Double] = []
        xs.reserveCapacity(points.count)
        ys.reserveCapacity(points.count)
        along.reserveCapacity(points.count)
        for p in points {
            let q = plane.project(latitude: p.latitude, longitude: p.longitude)
            if let lx = xs.last, let ly = ys.last {
                let dx = q.eastM - lx
                let dy = q.northM - ly
                along.append(along.last! + (dx * dx + dy * dy).squareRoot())
            } else {
                along.append(0)
            }
            xs.append(q.eastM)
            ys.append(q.northM)
        }
        self.xs = xs
        self.ys = ys
        self.along = along
        nodes.reserveCapacity(2 * (xs.count / Self.leafSegments + 1))
        _ = build(lo: 0, hi: xs.count - 1)
    }

    public init(route: PlannedRoute) { self.init(points: route.points) }

    private mutating func build(lo: Int, hi: Int) -> Int {
        var node = Node(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity, lo: lo, hi: hi)
        for v in lo...hi {
            node.minX = min(node.minX, xs[v])
            node.maxX = max(node.maxX, xs[v])
            node.minY = min(node.minY, ys[v])
            node.maxY = max(node.maxY, ys[v])
        }
        let index = nodes.count
        nodes.append(node)
        if hi - lo > Self.leafSegments {
            let mid = (lo + hi) / 2
            let left = build(lo: lo, hi: mid)
            let right = build(lo: mid, hi: hi)
            nodes[index].left = left
            nodes[index].right = right
        }
        return index
    }

    /// Squared distance and segment parameter of a point to segment `s`.
    @inline(__always)
    func project(x: Double, y: Double, segment s: Int) -> (squared: Double, t: Double) {
        let ax = xs[s]
        let ay = ys[s]
        let dx = xs[s + 1] - ax
        let dy = ys[s + 1] - ay
        let length2 = dx * dx + dy * dy
        var t = length2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / length2 : 0
        t = min(1, max(0, t))
        let ex = ax + t * dx - x
        let ey = ay + t * dy - y
        return (ex * ex + ey * ey, t)
    }

    /// The projection of a plane point (east `x`, north `y`, metres) onto the route.
    ///
    /// With a `hint` (the previous fix's segment), segments around it are tried first, and a
    /// match within `acceptMeters` is returned without searching the rest.
    public func project(x: Double, y: Double, hint: Int? = nil, acceptMeters: Double = 0) -> Projection {
        var best = (squared: Double.infinity, segment: 0, t: 0.0)
        if let hint {
            let lo = max(0, hint - Self.hintBack)
            let hi = min(segmentCount - 1, hint + Self.hintAhead)
            if lo <= hi {
                for s in lo...hi {
                    let p = project(x: x, y: y, segment: s)
                    if p.squared < best.squared { best = (p.squared, s, p.t) }
                }
            }
        }
        if best.squared > acceptMeters * acceptMeters { search(node: 0, x: x, y: y, best: &best) }
        let s = best.segment
        return Projection(
            segment: s, distanceMeters: best.squared.squareRoot(),
            alongMeters: along[s] + best.t * (along[s + 1] - along[s]))
    }

    /// The projection of a position in degrees.
    public func project(latitude: Double, longitude: Double, hint: Int? = nil, acceptMeters: Double = 0) -> Projection {
        let q = plane.project(latitude: latitude, longitude: longitude)
        return project(x: q.eastM, y: q.northM, hint: hint, acceptMeters: acceptMeters)
    }

    @inline(__always)
    private func boxDistanceSquared(_ n: Node, x: Double, y: Double) -> Double {
        let dx = max(n.minX - x, 0, x - n.maxX)
        let dy = max(n.minY - y, 0, y - n.maxY)
        return dx * dx + dy * dy
    }

    /// Branch and bound: nearer child first, prune boxes farther than the best so far. The
    /// tree is balanced, so the recursion is at most log2(n / 8) + 1 deep.
    private func search(node index: Int, x: Double, y: Double, best: inout (squared: Double, segment: Int, t: Double)) {
        let node = nodes[index]
        guard boxDistanceSquared(node, x: x, y: y) < best.squared else { return }
        if node.left < 0 {
            for s in node.lo..<node.hi {
                let p = project(x: x, y: y, segment: s)
                if p.squared < best.squared { best = (p.squared, s, p.t) }
            }
            return
        }
        let dl = boxDistanceSquared(nodes[node.left], x: x, y: y)
        let dr = boxDistanceSquared(nodes[node.right], x: x, y: y)
        if dl <= dr {
            search(node: node.left, x: x, y: y, best: &best)
            search(node: node.right, x: x, y: y, best: &best)
        } else {
            search(node: node.right, x: x, y: y, best: &best)
            search(node: node.left, x: x, y: y, best: &best)
        }
    }
}
