/// The fine uniform grid behind `GeofenceIndex` for the fences of one area (a city's fences):
/// one dense table of cells over their extent, and per cell only what a point there still
/// has to test.
///
/// Each (cell, fence) pair is classified once at build time against the fence's exact test
/// (`GeofenceShapes.contains`, Float arithmetic included), conservatively:
/// - the fence contains the whole cell: an `inside` entry, counted without any test;
/// - the fence misses the whole cell: no entry at all;
/// - otherwise a boundary entry: a circle keeps its full test (one multiply-add); a polygon
///   keeps only the edges that can change the crossing parity of a point in the cell (edges
///   near the cell's row to its right, that end inside that row or reach into the cell), plus
///   the parity of the edges that span the whole row to the right of the cell (one bit); a
///   corridor keeps only the segments whose capsule reaches the cell.
/// Boundary entries run the same expressions on the same Float values as the full test, and
/// every edge or segment left out provably contributes the same to every point of the cell
/// (bounds from the monotone projection of the cell's corners, plus a margin far above the
/// Float rounding), so the answers are identical to the full test, bit for bit.
///
/// A lookup: two integer divisions to find the cell, one contiguous run of 32-bit entries.
/// Fences that would cover too many cells (large ones) or that cross the antimeridian stay in
/// the hashed grid (`GeofenceGrid`); so do all fences when they are too sparse for one dense
/// table (see `init`). Immutable; raw memory owned by this object.
final class GeofenceCellGrid: @unchecked Sendable {
    /// Entry tags (low 3 bits of an entry's first word; the fence is the rest).
    static let tagInside: UInt32 = 0
    /// A circle crossing the cell: its test inline (the same Double arithmetic as `contains`).
    static let tagCircle: UInt32 = 1
    /// Anything else: the fence's full test (`GeofenceShapes.contains`).
    static let tagTest: UInt32 = 2
    /// Tags from here on have a list. A corridor with its segments that reach the cell.
    static let tagCorridor: UInt32 = 3
    /// A polygon with its edge list, after the record's shortcuts (raster, inner and outer
    /// circles) as `contains` runs them; the low bit is the parity of the spanning edges.
    static let tagPolygonEven: UInt32 = 4
    static let tagPolygonOdd: UInt32 = 5
    /// The same for a cell well inside the polygon's raster, where the shortcuts agree with
    /// the crossing parity (they differ only within rounding of the raster's outer border):
    /// the edge list alone decides.
    static let tagPolygonListEven: UInt32 = 6
    static let tagPolygonListOdd: UInt32 = 7
    static let tagBits: UInt32 = 3
    /// Longer edge lists fall back to the full test (a cell crossed by that many edges of one
    /// fence is better served by the fence's own raster).
    static let maxListCount = 255

    /// Grid origin (south-west corner, 1e-7 degree), cell size and extent in cells.
    let originLatitudeE7: Int64
    let originLongitudeE7: Int64
    let cellLatitudeE7: UInt32
    let cellLongitudeE7: UInt32
    let width: Int
    let height: Int
    /// `width * height + 1` offsets into `entries`: cell `c` is `entries[starts[c] ..< starts[c + 1]]`.
    let starts: UnsafeMutablePointer<UInt32>
    /// Per entry: `fence << 3 | tag`; for polygon and corridor tags then the list's length and
    /// the vertex index (into `GeofenceShapes.vertices`) of the first vertex of each listed edge
    /// or segment, inline, so a lookup reads one contiguous run.
    let entries: UnsafeMutablePointer<UInt32>
    let entryWords: Int
    /// Whether fence `i` is indexed here (else the hashed grid has it).
    let holds: [Bool]

    /// Bytes of the grid's tables.
    var byteCount: Int { 4 * (width * height + 1) + 4 * entryWords + holds.count }

    /// An empty grid (no fence held).
    private init(empty count: Int) {
        originLatitudeE7 = 0
        originLongitudeE7 = 0
        cellLatitudeE7 = 1
        cellLongitudeE7 = 1
        width = 0
        height = 0
        starts = .allocate(capacity: 1)
        starts.initialize(to: 0)
        entries = .allocate(capacity: 1)
        entryWords = 0
        holds = Array(repeating: false, count: count)
    }

    /// Chooses the cell size from the fences' density: about `cellsPerFence` cells per fence
    /// over the extent of all fences (the table's size is then proportional to the fence count,
    /// whatever the area). A fence goes into the grid when its box covers at most
    /// `maxCellsPerFence` cells. When the fences are so sparse that the median fence box is
    /// smaller than a cell (fences in a few far-apart towns), the grid holds nothing and the
    /// hashed grid does all the work, as it is built for that.
    static func build(
        shapes: GeofenceShapes, cellsPerFence: Int, maxCellsPerFence: Int
    ) -> GeofenceCellGrid {
        // Candidate fences: one box (not across the antimeridian).
        var boxes: [(fence: Int, box: GeofenceShapes.BoxE7)] = []
        for (fence, parts) in shapes.parts.enumerated() {
            guard var box = parts.first?.box else { continue }
            for part in parts.dropFirst() {
                box.minLatitude = min(box.minLatitude, part.box.minLatitude)
                box.maxLatitude = max(box.maxLatitude, part.box.maxLatitude)
                box.minLongitude = min(box.minLongitude, part.box.minLongitude)
                box.maxLongitude = max(box.maxLongitude, part.box.maxLongitude)
            }
            // A box split at the antimeridian makes the union span the globe: not here.
            if Int64(box.maxLongitude) - Int64(box.minLongitude) < 1_800_000_000 { boxes.append((fence, box)) }
        }
        guard boxes.count >= 2 else { return GeofenceCellGrid(empty: shapes.count) }
        var minLat = Int64.max
        var maxLat = Int64.min
        var minLon = Int64.max
        var maxLon = Int64.min
        for (_, box) in boxes {
            minLat = min(minLat, Int64(box.minLatitude))
            maxLat = max(maxLat, Int64(box.maxLatitude))
            minLon = min(minLon, Int64(box.minLongitude))
            maxLon = max(maxLon, Int64(box.maxLongitude))
        }
        let kLat = GeofenceShapes.metersPerE7Latitude
        let midLatitude = Double(minLat + maxLat) / 2e7 * Double.pi / 180
        let kLon = max(kLat * cos(midLatitude), kLat * 1e-3)
        let areaM2 = Double(maxLat - minLat + 1) * kLat * Double(maxLon - minLon + 1) * kLon
        // Heavily overlapping fences would cover many cells each: a cell is at least an eighth of
        // the median fence (about 80 cells for it).
        let sizes = boxes.map { max(Int64($0.box.maxLatitude) - Int64($0.box.minLatitude), 0) }.sorted()
        let medianM = Double(sizes[sizes.count / 2]) * kLat
        let cellM = max(1.0, (areaM2 / Double(max(1, cellsPerFence) * boxes.count)).squareRoot(), medianM / 8)
        let cellLat = Int64(max(1, (cellM / kLat).rounded()))
        let cellLon = Int64(max(1, (cellM / kLon).rounded()))
        // Too sparse: the median fence is smaller than a cell.
        guard sizes[sizes.count / 2] >= cellLat else { return GeofenceCellGrid(empty: shapes.count) }
        let width = Int((maxLon - minLon) / cellLon + 1)
        let height = Int((maxLat - minLat) / cellLat + 1)
        guard width * height <= 1 << 26 else { return GeofenceCellGrid(empty: shapes.count) }
        return GeofenceCellGrid(
            shapes: shapes, boxes: boxes, originLat: minLat, originLon: minLon, cellLat: cellLat, cellLon: cellLon,
            width: width, height: height, maxCellsPerFence: maxCellsPerFence)
    }

    private init(
        shapes: GeofenceShapes, boxes: [(fence: Int, box: GeofenceShapes.BoxE7)], originLat: Int64, originLon: Int64,
        cellLat: Int64, cellLon: Int64, width: Int, height: Int, maxCellsPerFence: Int
    ) {
        originLatitudeE7 = originLat
        originLongitudeE7 = originLon
        cellLatitudeE7 = UInt32(cellLat)
        cellLongitudeE7 = UInt32(cellLon)
        self.width = width
        self.height = height
        var holds = Array(repeating: false, count: shapes.count)
        // (cell, first word, list start and length in `lists`), in fence order; then sorted by cell.
        var pending: [(cell: UInt32, word: UInt32, listStart: Int, listCount: Int)] = []
        var lists: [UInt32] = []
        var scratch: [UInt32] = []
        var words = 0
        for (fence, box) in boxes where fence < 1 << 29 && words < 1 << 30 {
            let x0 = (Int64(box.minLongitude) - originLon) / cellLon
            let x1 = (Int64(box.maxLongitude) - originLon) / cellLon
            let y0 = (Int64(box.minLatitude) - originLat) / cellLat
            let y1 = (Int64(box.maxLatitude) - originLat) / cellLat
            guard (x1 - x0 + 1) * (y1 - y0 + 1) <= Int64(maxCellsPerFence) else { continue }
            holds[fence] = true
            let classifier = Classifier(shapes: shapes, fence: fence)
            for y in y0...y1 {
                let latLo = originLat + y * cellLat
                for x in x0...x1 {
                    let lonLo = originLon + x * cellLon
                    let cell = UInt32(Int(y) * width + Int(x))
                    scratch.removeAll(keepingCapacity: true)
                    let tag = classifier.classify(
                        latitudeE7: latLo, latLo + cellLat - 1, longitudeE7: lonLo, lonLo + cellLon - 1, &scratch)
                    guard let tag else { continue }
                    let word = UInt32(fence) << Self.tagBits
                    if !Self.hasList(tag) {
                        pending.append((cell, word | tag, 0, -1))
                        words += 1
                    } else if scratch.count > Self.maxListCount {
                        pending.append((cell, word | Self.tagTest, 0, -1))
                        words += 1
                    } else {
                        words += 2 + scratch.count
                        pending.append((cell, word | tag, lists.count, scratch.count))
                        lists += scratch
                    }
                }
            }
        }
        self.holds = holds
        // Counting sort by cell (stable: fences stay in order within a cell).
        let cells = width * height
        starts = .allocate(capacity: cells + 1)
        starts.initialize(repeating: 0, count: cells + 1)
        for p in pending { starts[Int(p.cell) + 1] += UInt32(2 + p.listCount) }
        for c in 0..<cells { starts[c + 1] += starts[c] }
        entryWords = Int(starts[cells])
        entries = .allocate(capacity: max(1, entryWords))
        var fill = Array(UnsafeBufferPointer(start: starts, count: cells))
        for p in pending {
            let at = Int(fill[Int(p.cell)])
            entries[at] = p.word
            if p.listCount >= 0 {
                entries[at + 1] = UInt32(p.listCount)
                for k in 0..<p.listCount { entries[at + 2 + k] = lists[p.listStart + k] }
            }
            fill[Int(p.cell)] += UInt32(2 + p.listCount)
        }
    }

    deinit {
        starts.deallocate()
        entries.deallocate()
    }

    /// Whether entries with this tag have a second word (an edge or segment list).
    @inline(__always)
    static func hasList(_ tag: UInt32) -> Bool { tag >= tagCorridor }

    /// Calls `body(fence, word, entry)` for each entry of the point's cell (`entry` points at
    /// the entry's first word; a list's length is `entry[1]`, its items from `entry + 2`).
    @inline(__always)
    func forEachEntry(
        latitudeE7: Int32, longitudeE7: Int32, _ body: (Int, UInt32, UnsafeMutablePointer<UInt32>) -> Void
    ) {
        let dy = Int64(latitudeE7) &- originLatitudeE7
        let dx = Int64(longitudeE7) &- originLongitudeE7
        guard dy >= 0, dx >= 0 else { return }
        let cy = Int(UInt32(truncatingIfNeeded: min(dy, 0xFFFF_FFFF)) / cellLatitudeE7)
        let cx = Int(UInt32(truncatingIfNeeded: min(dx, 0xFFFF_FFFF)) / cellLongitudeE7)
        guard cy < height, cx < width else { return }
        let cell = cy &* width &+ cx
        var e = entries + Int(starts[cell])
        let end = entries + Int(starts[cell &+ 1])
        while e < end {
            let word = e.pointee
            body(Int(word >> Self.tagBits), word, e)
            e += Self.hasList(word & 7) ? 2 + Int(e[1]) : 1
        }
    }

    /// Calls `body` with every fence held here that contains the point (each once, in fence
    /// order). Answers exactly as `shapes.contains` does.
    @inline(__always)
    func forEachContaining(
        _ shapes: GeofenceShapes, latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void
    ) {
        let vertices = shapes.vertices
        forEachEntry(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { fence, word, entry in
            switch word & 7 {
            case Self.tagInside:
                body(fence)
            case Self.tagCircle:
                let r = shapes.records + fence
                let (x, y) = shapes.project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
                let radius = Double(r.pointee.radiusM)
                if x * x + y * y <= radius * radius { body(fence) }
            case Self.tagTest:
                if shapes.contains(fence, latitudeE7: latitudeE7, longitudeE7: longitudeE7) { body(fence) }
            case Self.tagCorridor:
                let r = shapes.records + fence
                let (x, y) = shapes.project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
                let (fx, fy) = (Float(x), Float(y))
                let limit = r.pointee.radiusM * r.pointee.radiusM
                var p = entry + 2
                let stop = p + Int(entry[1])
                while p < stop {
                    let v = vertices + 2 * Int(p.pointee)
                    if GeofenceShapes.segmentDistanceSquared(fx, fy, v[0], v[1], v[2], v[3]) <= limit {
                        body(fence)
                        break
                    }
                    p += 1
                }
            default:
                let r = shapes.records + fence
                let (x, y) = shapes.project(r, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
                let (fx, fy) = (Float(x), Float(y))
                if word & 7 < Self.tagPolygonListEven {
                    let state = GeofenceShapes.polygonShortcut(r, fx, fy)
                    if state != 2 {
                        if state == 1 { body(fence) }
                        return
                    }
                }
                var inside = word & 1 == 1
                var p = entry + 2
                let stop = p + Int(entry[1])
                while p < stop {
                    let v = vertices + 2 * Int(p.pointee)
                    if GeofenceShapes.crosses(fx, fy, v[0], v[1], v[2], v[3]) { inside.toggle() }
                    p += 1
                }
                if inside { body(fence) }
            }
        }
    }
}

/// Classifies one fence against cells (see `GeofenceCellGrid`).
private struct Classifier {
    let shapes: GeofenceShapes
    let fence: Int
    let record: UnsafeMutablePointer<GeofenceShapes.Record>
    let kind: GeofenceShapes.Kind
    /// Edges (polygons) or segments (corridors): first vertex index and the Float ends.
    let edges: [(index: UInt32, x0: Double, y0: Double, x1: Double, y1: Double)]
    /// Margin, metres, between a cell and an edge for the edge to count as away from it: far
    /// above the Float rounding of the local coordinates (about 1e-7 of the fence's extent).
    let marginM: Double

    init(shapes: GeofenceShapes, fence: Int) {
        self.shapes = shapes
        self.fence = fence
        record = shapes.records + fence
        kind = record.pointee.kind
        var edges: [(index: UInt32, x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var extent = 0.0
        if kind != .circle {
            let start = Int(record.pointee.vertexStart)
            let end = Int(record.pointee.vertexEnd)
            var j = start
            while j + 1 < end {
                let v = shapes.vertices + 2 * j
                let e = (index: UInt32(j), x0: Double(v[0]), y0: Double(v[1]), x1: Double(v[2]), y1: Double(v[3]))
                if e.x0.isFinite && e.x1.isFinite {
                    edges.append(e)
                    extent = max(extent, abs(e.x0), abs(e.y0), abs(e.x1), abs(e.y1))
                }
                j += 1
            }
        }
        self.edges = edges
        marginM = max(0.05, 1e-5 * extent)
    }

    /// The cell's rectangle in the fence's plane, metres: exactly the arithmetic of
    /// `GeofenceShapes.project` on the corners, so by monotonicity every point of the cell
    /// projects inside it.
    func rectangle(_ latLo: Int64, _ latHi: Int64, _ lonLo: Int64, _ lonHi: Int64) -> (Double, Double, Double, Double) {
        let k = Double(record.pointee.metersPerE7Longitude)
        let lon0 = Int64(record.pointee.originLongitudeE7)
        let lat0 = Int64(record.pointee.originLatitudeE7)
        return (
            Double(lonLo - lon0) * k, Double(lonHi - lon0) * k,
            Double(latLo - lat0) * GeofenceShapes.metersPerE7Latitude,
            Double(latHi - lat0) * GeofenceShapes.metersPerE7Latitude
        )
    }

    /// The entry tag for the cell of latitudes `latLo...latHi`, longitudes `lonLo...lonHi`
    /// (1e-7 degree, inclusive), or nil when the fence misses the whole cell; fills `list`
    /// for polygon and corridor tags.
    func classify(
        latitudeE7 latLo: Int64, _ latHi: Int64, longitudeE7 lonLo: Int64, _ lonHi: Int64, _ list: inout [UInt32]
    ) -> UInt32? {
        // Far from the fence's origin the projection's wrap could apply: keep the full test.
        guard abs(lonLo - Int64(record.pointee.originLongitudeE7)) < 900_000_000,
            abs(lonHi - Int64(record.pointee.originLongitudeE7)) < 900_000_000
        else { return GeofenceCellGrid.tagTest }
        let (rx0, rx1, ry0, ry1) = rectangle(latLo, latHi, lonLo, lonHi)
        switch kind {
        case .circle:
            // `contains` compares x*x + y*y <= radius^2 in Double: monotone in |x| and |y|, so
            // the corners bound it exactly (no margin needed).
            let radius = Double(record.pointee.radiusM)
            let limit = radius * radius
            let far = max(rx0 * rx0, rx1 * rx1) + max(ry0 * ry0, ry1 * ry1)
            if far <= limit { return GeofenceCellGrid.tagInside }
            let nx = rx0 > 0 ? rx0 : (rx1 < 0 ? rx1 : 0)
            let ny = ry0 > 0 ? ry0 : (ry1 < 0 ? ry1 : 0)
            if nx * nx + ny * ny > limit { return nil }
            return GeofenceCellGrid.tagCircle
        case .polygon:
            let m = marginM
            var near = false
            for e in edges where Self.segmentMeetsRectangle(e.x0, e.y0, e.x1, e.y1, rx0 - m, rx1 + m, ry0 - m, ry1 + m)
            {
                near = true
                break
            }
            if !near {
                // No edge within the margin: the fence's answer is the same over the whole cell.
                let lat = Int32((latLo + latHi) / 2)
                let lon = Int32((lonLo + lonHi) / 2)
                return shapes.contains(fence, latitudeE7: lat, longitudeE7: lon) ? GeofenceCellGrid.tagInside : nil
            }
            var odd = false
            for e in edges {
                let yLo = min(e.y0, e.y1)
                let yHi = max(e.y0, e.y1)
                // Entirely above or below the cell's rows: never straddles a point's y.
                if yHi < ry0 - m || yLo > ry1 + m { continue }
                // Entirely left of the cell: never crosses a ray going right from it.
                if max(e.x0, e.x1) < rx0 - m { continue }
                // Right of the cell and spanning all its rows: crosses every point's ray.
                if min(e.x0, e.x1) > rx1 + m && yLo < ry0 - m && yHi > ry1 + m {
                    odd.toggle()
                    continue
                }
                list.append(e.index)
            }
            // Well inside the raster (its Float cell index surely in 0..<8 for every point):
            // the shortcuts can only repeat the parity there.
            let rasterX = Double(record.pointee.rasterMinX)
            let rasterY = Double(record.pointee.rasterMinY)
            let rasterSide = Double(GeofenceShapes.rasterSide) / Double(record.pointee.rasterScale)
            if rx0 - 2 * m > rasterX && rx1 + 2 * m < rasterX + rasterSide && ry0 - 2 * m > rasterY
                && ry1 + 2 * m < rasterY + rasterSide
            {
                return odd ? GeofenceCellGrid.tagPolygonListOdd : GeofenceCellGrid.tagPolygonListEven
            }
            return odd ? GeofenceCellGrid.tagPolygonOdd : GeofenceCellGrid.tagPolygonEven
        case .corridor:
            guard !edges.isEmpty else { return GeofenceCellGrid.tagTest }  // a one-point corridor
            let m = marginM
            let radius = Double(record.pointee.radiusM)
            let corners = [(rx0, ry0), (rx1, ry0), (rx0, ry1), (rx1, ry1)]
            let inner = max(0, radius - m)
            for e in edges {
                // The capsule is convex: all four corners in it puts the cell in it.
                if corners.allSatisfy({
                    GeofenceShapes.segmentDistanceSquared($0.0, $0.1, e.x0, e.y0, e.x1, e.y1) <= inner * inner
                }) {
                    return GeofenceCellGrid.tagInside
                }
            }
            let reach = radius + m
            for e in edges
            where Self.segmentRectangleDistanceSquared(e.x0, e.y0, e.x1, e.y1, rx0, rx1, ry0, ry1) <= reach * reach {
                list.append(e.index)
            }
            return list.isEmpty ? nil : GeofenceCellGrid.tagCorridor
        }
    }

    /// Whether the segment meets the closed rectangle.
    static func segmentMeetsRectangle(
        _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ rx0: Double, _ rx1: Double, _ ry0: Double,
        _ ry1: Double
    ) -> Bool {
        if max(x0, x1) < rx0 || min(x0, x1) > rx1 || max(y0, y1) < ry0 || min(y0, y1) > ry1 { return false }
        let dx = x1 - x0
        let dy = y1 - y0
        var positive = false
        var negative = false
        for (cx, cy) in [(rx0, ry0), (rx1, ry0), (rx0, ry1), (rx1, ry1)] {
            let side = dx * (cy - y0) - dy * (cx - x0)
            if side >= 0 { positive = true }
            if side <= 0 { negative = true }
        }
        return positive && negative
    }

    /// Squared distance between the segment and the closed rectangle (0 when they meet).
    static func segmentRectangleDistanceSquared(
        _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ rx0: Double, _ rx1: Double, _ ry0: Double,
        _ ry1: Double
    ) -> Double {
        if segmentMeetsRectangle(x0, y0, x1, y1, rx0, rx1, ry0, ry1) { return 0 }
        func pointToRectangle(_ x: Double, _ y: Double) -> Double {
            let dx = x < rx0 ? rx0 - x : (x > rx1 ? x - rx1 : 0)
            let dy = y < ry0 ? ry0 - y : (y > ry1 ? y - ry1 : 0)
            return dx * dx + dy * dy
        }
        var best = min(pointToRectangle(x0, y0), pointToRectangle(x1, y1))
        for (cx, cy) in [(rx0, ry0), (rx1, ry0), (rx0, ry1), (rx1, ry1)] {
            best = min(best, GeofenceShapes.segmentDistanceSquared(cx, cy, x0, y0, x1, y1))
        }
        return best
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
