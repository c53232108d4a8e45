import FieldtraceCore

/// A polyline in the plane with a bounding box per segment, for distance queries.
struct ScenarioPolyline: Sendable {
    let points: [PlanePoint]
    private let boxes: [(minE: Double, maxE: Double, minN: Double, maxN: Double)]

    init(_ points: [PlanePoint]) {
        self.points = points
        boxes = points.indices.dropFirst().map { i in
            let a = points[i - 1]
            let b = points[i]
            return (min(a.east, b.east), max(a.east, b.east), min(a.north, b.north), max(a.north, b.north))
        }
    }

    static func segmentDistance(_ p: PlanePoint, _ a: PlanePoint, _ b: PlanePoint) -> Double {
        let ab = b - a
        let lengthSquared = ab.east * ab.east + ab.north * ab.north
        guard lengthSquared > 0 else { return p.distance(to: a) }
        let t = max(0, min(1, ((p.east - a.east) * ab.east + (p.north - a.north) * ab.north) / lengthSquared))
        return p.distance(to: a + ab * t)
    }

    /// Distance in metres from `p` to the nearest segment. Segments whose bounding box is farther
    /// than the best so far are skipped; `hint` (the last nearest segment) makes the first guess
    /// good for a moving point. O(segments) worst case.
    func distance(to p: PlanePoint, hint: inout Int) -> Double {
        guard points.count > 1 else { return points.first.map { p.distance(to: $0) } ?? .infinity }
        hint = min(max(hint, 0), boxes.count - 1)
        var best = Self.segmentDistance(p, points[hint], points[hint + 1])
        for i in boxes.indices where i != hint {
            let box = boxes[i]
            let dx = max(box.minE - p.east, 0, p.east - box.maxE)
            let dy = max(box.minN - p.north, 0, p.north - box.maxN)
            guard dx * dx + dy * dy < best * best else { continue }
            let d = Self.segmentDistance(p, points[i], points[i + 1])
            if d < best {
                best = d
                hint = i
            }
        }
        return best
    }

    func distance(to p: PlanePoint) -> Double {
        var hint = 0
        return distance(to: p, hint: &hint)
    }
}

/// A fence in the scenario's plane, its points already snapped to what its GeoJSON says.
struct ScenarioFence: Sendable {
    enum Shape: Sendable {
        case circle(center: PlanePoint, radiusM: Double)
        /// Outer ring counter-clockwise, holes clockwise; rings closed (first == last).
        case polygon(rings: [[PlanePoint]])
        /// `widthM` is the full width: inside within `widthM / 2` of the line.
        case corridor(line: ScenarioPolyline, widthM: Double)
    }

    var id: String
    var shape: Shape

    /// A circle; the centre is snapped to 1e-7 degree and the radius rounded to 0.1 m.
    static func circle(id: String, center: PlanePoint, radiusM: Double, plane: ScenarioPlane) -> ScenarioFence {
        .init(id: id, shape: .circle(center: plane.snapped(center), radiusM: (radiusM * 10).rounded() / 10))
    }

    /// A polygon from an outer ring and holes (open or closed, either orientation).
    static func polygon(id: String, outer: [PlanePoint], holes: [[PlanePoint]] = [], plane: ScenarioPlane)
        -> ScenarioFence
    {
        func ring(_ points: [PlanePoint], counterClockwise: Bool) -> [PlanePoint] {
            var r = points.map(plane.snapped)
            if r.first != r.last { r.append(r[0]) }
            var area = 0.0
            for i in r.indices.dropFirst() { area += r[i - 1].east * r[i].north - r[i].east * r[i - 1].north }
            if (area > 0) != counterClockwise { r.reverse() }
            return r
        }
        return .init(
            id: id,
            shape: .polygon(
                rings: [ring(outer, counterClockwise: true)] + holes.map { ring($0, counterClockwise: false) }))
    }

    /// A corridor along a polyline; the width is rounded to 0.1 m.
    static func corridor(id: String, line: [PlanePoint], widthM: Double, plane: ScenarioPlane) -> ScenarioFence {
        .init(
            id: id,
            shape: .corridor(line: ScenarioPolyline(line.map(plane.snapped)), widthM: (widthM * 10).rounded() / 10))
    }

    /// Whether `p` is inside (even-odd rule over all rings for polygons, so holes are outside).
    func contains(_ p: PlanePoint) -> Bool {
        switch shape {
        case .circle(let center, let radius):
            return p.distance(to: center) <= radius
        case .polygon(let rings):
            var inside = false
            for ring in rings {
                for i in ring.indices.dropFirst() {
                    let a = ring[i - 1]
                    let b = ring[i]
                    if (a.north > p.north) != (b.north > p.north),
                        p.east < a.east + (p.north - a.north) / (b.north - a.north) * (b.east - a.east)
                    {
                        inside.toggle()
                    }
                }
            }
            return inside
        case .corridor(let line, let width):
            return line.distance(to: p) <= width / 2
        }
    }

    /// Distance from `p` to the fence's boundary, metres.
    func boundaryDistance(_ p: PlanePoint) -> Double {
        switch shape {
        case .circle(let center, let radius):
            return abs(p.distance(to: center) - radius)
        case .polygon(let rings):
            return rings.map { ScenarioPolyline($0).distance(to: p) }.min() ?? .infinity
        case .corridor(let line, let width):
            return abs(line.distance(to: p) - width / 2)
        }
    }
}

/// A planned route assigned to the scenario's device.
struct ScenarioRoute: Sendable {
    var id: String
    var line: ScenarioPolyline
    var widthM: Double
    var fromMs: Int64
    var toMs: Int64

    init(id: String, points: [PlanePoint], widthM: Double, fromMs: Int64, toMs: Int64, plane: ScenarioPlane) {
        self.id = id
        line = ScenarioPolyline(points.map(plane.snapped))
        self.widthM = widthM
        self.fromMs = fromMs
        self.toMs = toMs
    }
}
