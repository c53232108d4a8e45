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

    struct Record {
        var kind: Kind
        var originLatitudeE7: Int32
        var originLongitudeE7: Int32
        /// Metres per 1e-7 degree of longitude at the origin's latitude.
        var metersPerE7Longitude: Double
        /// Circle radius or corridor half width, metres (0 for polygons).
        var radiusM: Double
        /// Vertex range (pairs of east, north metres) in `vertices`.
        var vertexStart: Int32
        var vertexEnd: Int32
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
    /// Interleaved east, north metres.
    let vertices: UnsafeMutablePointer<Double>
    let vertexCount: Int
    /// Boxes per fence (two for a fence crossing the antimeridian).
    let boxes: [[BoxE7]]
    /// How deep inside each fence a point can be, metres: a circle's radius, a corridor's half
    /// width, a polygon's 2 x area / perimeter (its inradius for a circle or a regular polygon,
    /// close to it for compact shapes; the largest part of a MultiPolygon).
    let depthsM: [Double]

    init(_ fences: [Geofence]) {
        count = fences.count
        records = .allocate(capacity: max(1, fences.count))
        var allVertices: [Double] = []
        var allBoxes: [[BoxE7]] = []
        allBoxes.reserveCapacity(fences.count)
        var depths: [Double] = []
        for (i, fence) in fences.enumerated() {
            let (record, box) = Self.compile(fence, into: &allVertices)
            (records + i).initialize(to: record)
            allBoxes.append(box)
            let plane = LocalTangentPlane(
                originLatitude: Double(record.originLatitudeE7) / 1e7,
                originLongitude: Double(record.originLongitudeE7) / 1e7)
            depths.append(Self.depthM(fence.shape, plane))
        }
        depthsM = depths
        vertexCount = allVertices.count
        vertices = .allocate(capacity: max(1, allVertices.count))
        vertices.initialize(from: allVertices, count: allVertices.count)
        boxes = allBoxes
    }

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

    private static func compile(_ fence: Geofence, into vertices: inout [Double]) -> (Record, [BoxE7]) {
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
        let record = Record(
            kind: kind, originLatitudeE7: originLatE7, originLongitudeE7: originLonE7,
            metersPerE7Longitude: plane.metersPerDegreeLongitude / 1e7, radiusM: radius,
            vertexStart: Int32(start / 2), vertexEnd: Int32(vertices.count / 2))
        // Box: extent plus radius, plus 1 m for projection rounding, in E7 (rounded outwards).
        let pad = radius + 1
        let kLat = metersPerE7Latitude
        let kLon = max(record.metersPerE7Longitude, 1e-9)
        let latLo = max(-900_000_000, Double(originLatE7) + ((minY - pad) / kLat).rounded(.down))
        let latHi = min(900_000_000, Double(originLatE7) + ((maxY + pad) / kLat).rounded(.up))
        let lonLo = Double(originLonE7) + ((minX - pad) / kLon).rounded(.down)
        let lonHi = Double(originLonE7) + ((maxX + pad) / kLon).rounded(.up)
        let e7 = 1_800_000_000.0
        func box(_ lo: Double, _ hi: Double) -> BoxE7 {
            BoxE7(minLatitude: Int32(latLo), maxLatitude: Int32(latHi), minLongitude: Int32(lo), maxLongitude: Int32(hi))
        }
        var boxes: [BoxE7]
        if lonHi - lonLo >= 2 * e7 {
            boxes = [box(-e7, e7)]
        } else if lonLo < -e7 {
            boxes = [box(-e7, lonHi), box(lonLo + 2 * e7, e7)]
        } else if lonHi > e7 {
            boxes = [box(lonLo, e7), box(-e7, lonHi - 2 * e7)]
        } else {
            boxes = [box(lonLo, lonHi)]
        }
        return (record, boxes)
    }
}

extension GeofenceShapes {
    /// The point's east, north metres in fence `i`'s plane.
    @inline(__always)
    func project(_ r: UnsafeMutablePointer<Record>, latitudeE7: Int32, longitudeE7: Int32) -> (Double, Double) {
        var dLon = Int64(longitudeE7) - Int64(r.pointee.originLongitudeE7)
        if dLon > 1_800_000_000 { dLon -= 3_600_000_000 } else if dLon < -1_800_000_000 { dLon += 3_600_000_000 }
        let y = Double(Int64(latitudeE7) - Int64(r.pointee.originLatitudeE7)) * Self.metersPerE7Latitude
        return (Double(dLon) * r.pointee.metersPerE7Longitude, y)
    }

    /// Whether the point is inside fence `i` (on the boundary counts as inside for circles and
    /// corridors; for polygons the crossing-number's half-open rule decides). O(vertices).
    @inline(__always)
    func contains(_ i: Int, latitudeE7: Int32, longitudeE7: Int32) -> Bool {
        let r = records + i
        let (x, y) = project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        switch r.pointee.kind {
        case .circle:
            return x * x + y * y <= r.pointee.radiusM * r.pointee.radiusM
        case .polygon:
            return crossingParity(r, x, y)
        case .corridor:
            let limit = r.pointee.radiusM * r.pointee.radiusM
            var v = vertices + 2 * Int(r.pointee.vertexStart)
            let end = vertices + 2 * Int(r.pointee.vertexEnd) - 2
            while v < end {
                if Self.segmentDistanceSquared(x, y, v[0], v[1], v[2], v[3]) <= limit { return true }
                v += 2
            }
            return r.pointee.vertexEnd - r.pointee.vertexStart == 1 && x * x + y * y <= limit
        }
    }

    /// Signed distance in metres from the point to fence `i`'s boundary: negative inside,
    /// positive outside. O(vertices).
    func signedDistanceM(_ i: Int, latitudeE7: Int32, longitudeE7: Int32) -> Double {
        let r = records + i
        let (x, y) = project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        switch r.pointee.kind {
        case .circle:
            return (x * x + y * y).squareRoot() - r.pointee.radiusM
        case .polygon:
            let d = minimumEdgeDistanceSquared(r, x, y).squareRoot()
            return crossingParity(r, x, y) ? -d : d
        case .corridor:
            return minimumEdgeDistanceSquared(r, x, y).squareRoot() - r.pointee.radiusM
        }
    }

    @inline(__always)
    func crossingParity(_ r: UnsafeMutablePointer<Record>, _ x: Double, _ y: Double) -> Bool {
        var inside = false
        var v = vertices + 2 * Int(r.pointee.vertexStart)
        let end = vertices + 2 * Int(r.pointee.vertexEnd) - 2
        while v < end {
            let (x0, y0, x1, y1) = (v[0], v[1], v[2], v[3])
            if (y0 > y) != (y1 > y) {
                // NaN separators never get here with a finite crossing: the compare below is false.
                if x < x0 + (y - y0) * (x1 - x0) / (y1 - y0) { inside.toggle() }
            }
            v += 2
        }
        return inside
    }

    func minimumEdgeDistanceSquared(_ r: UnsafeMutablePointer<Record>, _ x: Double, _ y: Double) -> Double {
        var best = Double.infinity
        var v = vertices + 2 * Int(r.pointee.vertexStart)
        let end = vertices + 2 * Int(r.pointee.vertexEnd) - 2
        if v == end {  // a one-point corridor
            return (x - v[0]) * (x - v[0]) + (y - v[1]) * (y - v[1])
        }
        while v < end {
            let d = Self.segmentDistanceSquared(x, y, v[0], v[1], v[2], v[3])
            if d < best { best = d }
            v += 2
        }
        return best
    }

    @inline(__always)
    static func segmentDistanceSquared(
        _ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double
    ) -> Double {
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
