import FieldtraceCore

/// Fences compiled for distance tests: every fence in its own local tangent plane (east, north
/// in metres around its centre, `LocalTangentPlane`'s equirectangular projection), stored in
/// flat arrays so a lookup touches a few cache lines and allocates nothing.
///
/// Accuracy: the projection is exact at the fence's centre and within about 0.1% over 50 km
/// (scale change with latitude), so a 5 km fence has sub-metre distance error. Fences much
/// larger than 100 km (a province) are accepted but their distances degrade accordingly.
/// Longitudes are unwrapped around each fence's centre, so a fence crossing the antimeridian
/// works (its bounding box is split in two for the index). Fences reaching a pole do not.
///
/// Polygons: all rings of all polygons of a fence are one vertex run with NaN separators; the
/// crossing-number (even-odd) test and the edge-distance loop skip the separator edges because
/// every comparison with NaN is false. Even-odd over all rings makes holes outside, and is
/// correct for valid MultiPolygons (non-overlapping parts).
final class GeofenceShapes: @unchecked Sendable {
    enum Kind: UInt8 {
        case circle = 0
        case polygon = 1
        case corridor = 2
    }

    /// Metres per 1e-7 degree of latitude.
    static let metersPerE7Latitude = Geodesy.earthRadiusM * Double.pi / 180 / 1e7

    /// Laid out to fit one 64-byte cache line (the raster first for its 8-byte alignment).
    struct Record {
        /// Polygons: an 8 x 8 raster over the polygon's extent, 2 bits per cell (0 outside,
        /// 1 inside, 2 boundary: the vertex loop decides). Most points fall in a cell that no
        /// edge crosses and are answered without touching the vertices.
        var raster: (UInt64, UInt64) = (0, 0)
        var originLatitudeE7: Int32
        var originLongitudeE7: Int32
        /// Metres per 1e-7 degree of longitude at the origin's latitude.
        var metersPerE7Longitude: Float
        /// Circle radius or corridor half width, metres (0 for polygons).
        var radiusM: Float
        /// Vertex range (pairs of east, north metres) in `vertices`.
        var vertexStart: Int32
        var vertexEnd: Int32
        /// Polygons: squared radii (m^2) of circles around the origin entirely inside (0 if the
        /// origin is outside) and entirely containing the polygon; a point in the first is inside
        /// and one beyond the second outside without the vertex loop.
        var innerRadiusSquared: Float = 0
        var outerRadiusSquared: Float = .infinity
        /// The raster's corner (metres) and cells per metre (cells are square).
        var rasterMinX: Float = 0
        var rasterMinY: Float = 0
        var rasterScale: Float = 0
        var kind: Kind
    }

    static let rasterSide = 8

    /// A piece of a fence the index stores: its box and which test decides it (`segment` = the
    /// corridor segment starting at that vertex, or -1 for the whole fence).
    struct Part {
        var box: BoxE7
        var segment: Int32
    }

    /// A box in 1e-7 degrees, inclusive.
    struct BoxE7 {
        var minLatitude: Int32
        var maxLatitude: Int32
        var minLongitude: Int32
        var maxLongitude: Int32
    }

    let count: Int
    let records: UnsafeMutablePointer<Record>
    /// Interleaved east, north metres from the fence's origin, as `Float` (a 4 mm step at 50 km:
    /// far below GPS error, and half the memory traffic of `Double` in the lookup loop).
    let vertices: UnsafeMutablePointer<Float>
    let vertexCount: Int
    /// Index parts per fence: the whole fence's box for circles and polygons, one box per segment
    /// for corridors (a diagonal corridor's box is mostly empty); boxes crossing the
    /// antimeridian are split in two.
    let parts: [[Part]]
    /// How deep inside each fence a point can be, metres: a circle's radius, a corridor's half
    /// width, a polygon's 2 x area / perimeter (its inradius for a circle or a regular polygon,
    /// close to it for compact shapes; the largest part of a MultiPolygon).
    let depthsM: [Double]

    init(_ fences: [Geofence]) {
        count = fences.count
        // One cache line per record where the layout allows (64 bytes, aligned).
        records = UnsafeMutableRawPointer.allocate(
            byteCount: max(1, fences.count) * MemoryLayout<Record>.stride, alignment: 64
        ).bindMemory(to: Record.self, capacity: max(1, fences.count))
        var allVertices: [Double] = []
        var allParts: [[Part]] = []
        allParts.reserveCapacity(fences.count)
        var depths: [Double] = []
        for (i, fence) in fences.enumerated() {
            let (record, fenceParts) = Self.compile(fence, into: &allVertices)
            (records + i).initialize(to: record)
            allParts.append(fenceParts)
            let plane = LocalTangentPlane(
                originLatitude: Double(record.originLatitudeE7) / 1e7,
                originLongitude: Double(record.originLongitudeE7) / 1e7)
            depths.append(Self.depthM(fence.shape, plane))
        }
        depthsM = depths
        vertexCount = allVertices.count
        vertices = .allocate(capacity: max(1, allVertices.count))
        vertices.initialize(from: allVertices.map { Float($0) }, count: allVertices.count)
        parts = allParts
    }

    /// Bytes of the records and vertices (not the build-time `parts` and `depthsM`).
    var byteCount: Int { count * MemoryLayout<Record>.stride + 4 * vertexCount }

    deinit {
        records.deinitialize(count: count)
        records.deallocate()
        vertices.deallocate()
    }

    static func depthM(_ shape: GeofenceShape, _ plane: LocalTangentPlane) -> Double {
        func measure(_ ring: [GeoPosition]) -> (area: Double, perimeter: Double) {
            let xy = ring.map { plane.project(latitude: $0.latitude, longitude: $0.longitude) }
            var area = 0.0
            var perimeter = 0.0
            for (a, b) in zip(xy, xy.dropFirst()) {
                area += a.eastM * b.northM - b.eastM * a.northM
                perimeter += ((b.eastM - a.eastM) * (b.eastM - a.eastM) + (b.northM - a.northM) * (b.northM - a.northM))
                    .squareRoot()
            }
            return (abs(area) / 2, perimeter)
        }
        func polygonDepth(_ rings: [[GeoPosition]]) -> Double {
            var area = 0.0
            var perimeter = 0.0
            for (i, ring) in rings.enumerated() {
                let m = measure(ring)
                area += i == 0 ? m.area : -m.area
                perimeter += m.perimeter
            }
            return perimeter > 0 ? max(0, 2 * area / perimeter) : 0
        }
        switch shape {
        case .circle(_, let radius): return radius
        case .corridor(_, let width): return width / 2
        case .polygon(let rings): return polygonDepth(rings)
        case .multiPolygon(let parts): return parts.map(polygonDepth).max() ?? 0
        }
    }

    private static func compile(_ fence: Geofence, into vertices: inout [Double]) -> (Record, [Part]) {
        var kind = Kind.polygon
        var radius = 0.0
        var runs: [[GeoPosition]]
        switch fence.shape {
        case .circle(let center, let r):
            kind = .circle
            radius = r
            runs = [[center]]
        case .polygon(let rings): runs = rings
        case .multiPolygon(let polygons): runs = polygons.flatMap { $0 }
        case .corridor(let line, let width):
            kind = .corridor
            radius = width / 2
            runs = [line]
        }
        // Origin: the centre of the longitude-unwrapped extent.
        let first = runs[0][0]
        var minLat = Double.infinity
        var maxLat = -Double.infinity
        var minLon = Double.infinity
        var maxLon = -Double.infinity
        for p in runs.joined() {
            var lon = p.longitude - first.longitude
            if lon > 180 { lon -= 360 } else if lon < -180 { lon += 360 }
            minLat = min(minLat, p.latitude)
            maxLat = max(maxLat, p.latitude)
            minLon = min(minLon, lon)
            maxLon = max(maxLon, lon)
        }
        var originLon = first.longitude + (minLon + maxLon) / 2
        if originLon > 180 { originLon -= 360 } else if originLon < -180 { originLon += 360 }
        let originLatE7 = CoordinateE7.fromDegrees((minLat + maxLat) / 2)
        let originLonE7 = CoordinateE7.fromDegrees(originLon)
        let plane = LocalTangentPlane(
            originLatitude: Double(originLatE7) / 1e7, originLongitude: Double(originLonE7) / 1e7)
        let start = vertices.count
        var minX = Double.infinity
        var maxX = -Double.infinity
        var minY = Double.infinity
        var maxY = -Double.infinity
        for (r, run) in runs.enumerated() {
            if r > 0 { vertices.append(contentsOf: [.nan, .nan]) }
            for p in run {
                let (x, y) = plane.project(latitude: p.latitude, longitude: p.longitude)
                if kind != .circle { vertices.append(contentsOf: [x, y]) }
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
            }
        }
        var record = Record(
            originLatitudeE7: originLatE7, originLongitudeE7: originLonE7,
            metersPerE7Longitude: Float(plane.metersPerDegreeLongitude / 1e7), radiusM: Float(radius),
            vertexStart: Int32(start / 2), vertexEnd: Int32(vertices.count / 2), kind: kind)
        if kind == .polygon {
            var outer = 0.0
            var inner = Double.infinity
            var inside = false
            var j = start
            while j + 3 < vertices.count {
                let (x0, y0, x1, y1) = (vertices[j], vertices[j + 1], vertices[j + 2], vertices[j + 3])
                if x0.isFinite { outer = max(outer, x0 * x0 + y0 * y0) }
                if x0.isFinite && x1.isFinite {
                    inner = min(inner, segmentDistanceSquared(0, 0, x0, y0, x1, y1))
                    if (y0 > 0) != (y1 > 0), 0 < x0 + (0 - y0) * (x1 - x0) / (y1 - y0) { inside.toggle() }
                }
                j += 2
            }
            // Float rounding margins: shrink the inner circle, grow the outer one, by 1 cm.
            record.innerRadiusSquared =
                inside ? Float(max(0, inner.squareRoot() - 0.01) * max(0, inner.squareRoot() - 0.01)) : 0
            record.outerRadiusSquared = Float((outer.squareRoot() + 0.01) * (outer.squareRoot() + 0.01))
            Self.rasterize(&record, Array(vertices[start...]), minX, maxX, minY, maxY)
        }
        var parts: [Part] = []
        if kind == .corridor && vertices.count - start >= 4 {
            var j = start
            while j + 3 < vertices.count {
                let (x0, y0, x1, y1) = (vertices[j], vertices[j + 1], vertices[j + 2], vertices[j + 3])
                for box in Self.boxes(
                    originLatE7, originLonE7, plane.metersPerDegreeLongitude / 1e7, min(x0, x1), max(x0, x1),
                    min(y0, y1),
                    max(y0, y1), pad: radius + 1)
                {
                    parts.append(Part(box: box, segment: Int32(j / 2)))
                }
                j += 2
            }
        } else {
            for box in Self.boxes(
                originLatE7, originLonE7, plane.metersPerDegreeLongitude / 1e7, minX, maxX, minY, maxY, pad: radius + 1)
            {
                parts.append(Part(box: box, segment: -1))
            }
        }
        return (record, parts)
    }

    /// Fills a polygon's raster: a cell crossed by an edge (its rectangle grown by a rounding
    /// margin) is boundary, any other cell takes the side of its centre.
    private static func rasterize(
        _ record: inout Record, _ xy: [Double], _ minX: Double, _ maxX: Double, _ minY: Double, _ maxY: Double
    ) {
        let n = Double(rasterSide)
        let w = max(maxX - minX, maxY - minY, 1e-3) / n
        let h = w
        let epsilon = max(0.01, 1e-5 * max(maxX - minX, maxY - minY))
        var cells: (UInt64, UInt64) = (0, 0)
        for cy in 0..<rasterSide {
            for cx in 0..<rasterSide {
                let rx0 = minX + Double(cx) * w - epsilon
                let rx1 = minX + Double(cx + 1) * w + epsilon
                let ry0 = minY + Double(cy) * h - epsilon
                let ry1 = minY + Double(cy + 1) * h + epsilon
                var state: UInt64 = 0
                var crossed = false
                var j = 0
                while j + 3 < xy.count {
                    let (x0, y0, x1, y1) = (xy[j], xy[j + 1], xy[j + 2], xy[j + 3])
                    j += 2
                    guard x0.isFinite, x1.isFinite else { continue }
                    if max(x0, x1) < rx0 || min(x0, x1) > rx1 || max(y0, y1) < ry0 || min(y0, y1) > ry1 { continue }
                    let dx = x1 - x0
                    let dy = y1 - y0
                    let sides = [(rx0, ry0), (rx1, ry0), (rx0, ry1), (rx1, ry1)].map {
                        dx * ($0.1 - y0) - dy * ($0.0 - x0)
                    }
                    if !(sides.allSatisfy { $0 > 0 } || sides.allSatisfy { $0 < 0 }) {
                        crossed = true
                        break
                    }
                }
                if crossed {
                    state = 2
                } else {
                    // Centre of the cell: parity of crossings to its right.
                    let px = minX + (Double(cx) + 0.5) * w
                    let py = minY + (Double(cy) + 0.5) * h
                    var inside = false
                    var k = 0
                    while k + 3 < xy.count {
                        let (x0, y0, x1, y1) = (xy[k], xy[k + 1], xy[k + 2], xy[k + 3])
                        k += 2
                        guard x0.isFinite, x1.isFinite, (y0 > py) != (y1 > py) else { continue }
                        if px < x0 + (py - y0) * (x1 - x0) / (y1 - y0) { inside.toggle() }
                    }
                    state = inside ? 1 : 0
                }
                let bit = 2 * (cy * rasterSide + cx)
                if bit < 64 { cells.0 |= state << UInt64(bit) } else { cells.1 |= state << UInt64(bit - 64) }
            }
        }
        record.rasterMinX = Float(minX)
        record.rasterMinY = Float(minY)
        record.rasterScale = Float(1 / w)
        record.raster = cells
    }

    /// The box of a local extent (metres around the origin) padded by `pad` metres, in E7
    /// rounded outwards; two boxes if it crosses the antimeridian.
    private static func boxes(
        _ originLatE7: Int32, _ originLonE7: Int32, _ metersPerE7Longitude: Double, _ minX: Double, _ maxX: Double,
        _ minY: Double, _ maxY: Double, pad: Double
    ) -> [BoxE7] {
        let kLat = metersPerE7Latitude
        let kLon = max(metersPerE7Longitude, 1e-9)
        let latLo = max(-900_000_000, Double(originLatE7) + ((minY - pad) / kLat).rounded(.down))
        let latHi = min(900_000_000, Double(originLatE7) + ((maxY + pad) / kLat).rounded(.up))
        let lonLo = Double(originLonE7) + ((minX - pad) / kLon).rounded(.down)
        let lonHi = Double(originLonE7) + ((maxX + pad) / kLon).rounded(.up)
        let e7 = 1_800_000_000.0
        func box(_ lo: Double, _ hi: Double) -> BoxE7 {
            BoxE7(
                minLatitude: Int32(latLo), maxLatitude: Int32(latHi), minLongitude: Int32(lo), maxLongitude: Int32(hi))
        }
        if lonHi - lonLo >= 2 * e7 { return [box(-e7, e7)] }
        if lonLo < -e7 { return [box(-e7, lonHi), box(lonLo + 2 * e7, e7)] }
        if lonHi > e7 { return [box(lonLo, e7), box(-e7, lonHi - 2 * e7)] }
        return [box(lonLo, lonHi)]
    }
}

extension GeofenceShapes {
    /// The point's east, north metres in fence `i`'s plane.
    @inline(__always)
    func project(_ r: UnsafeMutablePointer<Record>, latitudeE7: Int32, longitudeE7: Int32) -> (Double, Double) {
        var dLon = Int64(longitudeE7) - Int64(r.pointee.originLongitudeE7)
        if dLon > 1_800_000_000 { dLon -= 3_600_000_000 } else if dLon < -1_800_000_000 { dLon += 3_600_000_000 }
        let y = Double(Int64(latitudeE7) - Int64(r.pointee.originLatitudeE7)) * Self.metersPerE7Latitude
        return (Double(dLon) * Double(r.pointee.metersPerE7Longitude), y)
    }

    /// Whether the point is inside fence `i` (on the boundary counts as inside for circles and
    /// corridors; for polygons the crossing-number's half-open rule decides). O(vertices).
    @inline(__always)
    func contains(_ i: Int, latitudeE7: Int32, longitudeE7: Int32) -> Bool {
        let r = records + i
        let (x, y) = project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        switch r.pointee.kind {
        case .circle:
            let radius = Double(r.pointee.radiusM)
            return x * x + y * y <= radius * radius
        case .polygon:
            let (fx, fy) = (Float(x), Float(y))
            let state = Self.polygonShortcut(r, fx, fy)
            if state != 2 { return state == 1 }
            return crossingParity(r, fx, fy)
        case .corridor:
            let limit = r.pointee.radiusM * r.pointee.radiusM
            let (fx, fy) = (Float(x), Float(y))
            var v = vertices + 2 * Int(r.pointee.vertexStart)
            let end = vertices + 2 * Int(r.pointee.vertexEnd) - 2
            while v < end {
                if Self.segmentDistanceSquared(fx, fy, v[0], v[1], v[2], v[3]) <= limit { return true }
                v += 2
            }
            return r.pointee.vertexEnd - r.pointee.vertexStart == 1 && fx * fx + fy * fy <= limit
        }
    }

    /// Whether the point is inside fence `i` as decided by one index part: the corridor segment
    /// starting at vertex `segment`, or the whole fence for `segment < 0`.
    @inline(__always)
    func contains(_ i: Int, segment: Int32, latitudeE7: Int32, longitudeE7: Int32) -> Bool {
        guard segment >= 0 else { return contains(i, latitudeE7: latitudeE7, longitudeE7: longitudeE7) }
        let r = records + i
        let (x, y) = project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        let v = vertices + 2 * Int(segment)
        let limit = r.pointee.radiusM * r.pointee.radiusM
        return Self.segmentDistanceSquared(Float(x), Float(y), v[0], v[1], v[2], v[3]) <= limit
    }

    /// Signed distance in metres from the point to fence `i`'s boundary: negative inside,
    /// positive outside. O(vertices).
    func signedDistanceM(_ i: Int, latitudeE7: Int32, longitudeE7: Int32) -> Double {
        let r = records + i
        let (x, y) = project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        switch r.pointee.kind {
        case .circle:
            return (x * x + y * y).squareRoot() - Double(r.pointee.radiusM)
        case .polygon:
            let d = minimumEdgeDistanceSquared(r, x, y).squareRoot()
            return crossingParity(r, Float(x), Float(y)) ? -d : d
        case .corridor:
            return minimumEdgeDistanceSquared(r, x, y).squareRoot() - Double(r.pointee.radiusM)
        }
    }

    /// A polygon's answer without its vertices where the record decides it: 0 outside, 1 inside
    /// (raster cell off the boundary, or the inner / outer circle), 2 undecided (the crossing
    /// parity decides). The cell grid runs the same shortcuts before its per-cell edge list.
    @inline(__always)
    static func polygonShortcut(_ r: UnsafeMutablePointer<Record>, _ fx: Float, _ fy: Float) -> UInt64 {
        let cx = ((fx - r.pointee.rasterMinX) * r.pointee.rasterScale).rounded(.down)
        let cy = ((fy - r.pointee.rasterMinY) * r.pointee.rasterScale).rounded(.down)
        let side = Float(Self.rasterSide)
        guard cx >= 0, cx < side, cy >= 0, cy < side else { return 0 }
        let bit = 2 * (Int(cy) * Self.rasterSide + Int(cx))
        let state = (bit < 64 ? r.pointee.raster.0 >> UInt64(bit) : r.pointee.raster.1 >> UInt64(bit - 64)) & 3
        if state != 2 { return state }
        let d2 = fx * fx + fy * fy
        if d2 > r.pointee.outerRadiusSquared { return 0 }
        if d2 < r.pointee.innerRadiusSquared { return 1 }
        return 2
    }

    /// Whether the edge (x0, y0)-(x1, y1) crosses the ray from (x, y) towards +x (half-open in
    /// y): one term of the crossing parity, shared by every caller so all compute it alike.
    @inline(__always)
    static func crosses(_ x: Float, _ y: Float, _ x0: Float, _ y0: Float, _ x1: Float, _ y1: Float) -> Bool {
        // NaN separators never get here with a finite crossing: the compares are false.
        (y0 > y) != (y1 > y) && x < x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    }

    @inline(__always)
    func crossingParity(_ r: UnsafeMutablePointer<Record>, _ x: Float, _ y: Float) -> Bool {
        var inside = false
        var v = vertices + 2 * Int(r.pointee.vertexStart)
        let end = vertices + 2 * Int(r.pointee.vertexEnd) - 2
        while v < end {
            if Self.crosses(x, y, v[0], v[1], v[2], v[3]) { inside.toggle() }
            v += 2
        }
        return inside
    }

    func minimumEdgeDistanceSquared(_ r: UnsafeMutablePointer<Record>, _ x: Double, _ y: Double) -> Double {
        var best = Double.infinity
        var v = vertices + 2 * Int(r.pointee.vertexStart)
        let end = vertices + 2 * Int(r.pointee.vertexEnd) - 2
        if v == end {  // a one-point corridor
            return (x - Double(v[0])) * (x - Double(v[0])) + (y - Double(v[1])) * (y - Double(v[1]))
        }
        while v < end {
            let d = Self.segmentDistanceSquared(x, y, Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]))
            if d < best { best = d }
            v += 2
        }
        return best
    }

    @inline(__always)
    static func segmentDistanceSquared<F: BinaryFloatingPoint>(
        _ px: F, _ py: F, _ ax: F, _ ay: F, _ bx: F, _ by: F
    ) -> F {
        let dx = bx - ax
        let dy = by - ay
        let length2 = dx * dx + dy * dy
        var t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0
        t = t < 0 ? 0 : (t > 1 ? 1 : t)
        let ex = ax + t * dx - px
        let ey = ay + t * dy - py
        return ex * ex + ey * ey
    }
}
