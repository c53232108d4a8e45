/// The fine uniform grid behind `GeofenceIndex` for the fences of one area (a city's fences):
/// one dense table of cells over their extent, and per cell only what a point there still
/// has to test, stored inline so a lookup reads one contiguous run and nothing else.
///
/// Each (cell, fence) pair is classified once at build time against the fence's exact test
/// (`GeofenceShapes.contains`, Float arithmetic included), conservatively:
/// - the fence contains the whole cell: an `inside` entry, counted without any test;
/// - the fence misses the whole cell: no entry at all;
/// - otherwise a boundary entry with the fence's projection (origin, metres per 1e-7 degree of
///   longitude) and: a circle its radius (one multiply-add); a polygon only the edges that
///   can change the crossing parity of a point in the cell (edges near the cell's row to its
///   right, that end inside that row or reach into the cell), plus the parity of the edges
///   that span the whole row to the right of the cell (one bit); a corridor only the segments
///   whose capsule reaches the cell. Edges and segments are copied as runs of consecutive
///   Float vertices (NaN pairs between runs, which no test counts), so no lookup follows an
///   index into the fence's own arrays.
/// Boundary entries run the same expressions on the same Float values as the full test, and
/// every edge or segment left out provably contributes the same to every point of the cell
/// (bounds from the monotone projection of the cell's corners, plus a margin far above the
/// Float rounding), so the answers are identical to the full test, bit for bit. The full
/// polygon test first asks the fence's 8 x 8 raster, which answers as the crossing parity
/// except at the raster's outer border, where points outside it are outside: a cell
/// reaching that border keeps the border as an exact box of 1e-7 degrees (the raster's Float
/// index is monotone in each coordinate, so the box is found by bisection at build time).
///
/// A lookup: two integer divisions to find the cell, one contiguous run of 32-bit words.
/// Fences that would cover too many cells (large ones) or that cross the antimeridian stay in
/// the hashed grid (`GeofenceGrid`); so do all fences when they are too sparse for one dense
/// table (see `init`). Immutable; raw memory owned by this object.
final class GeofenceCellGrid: @unchecked Sendable {
    /// Entry tags (low 3 bits of an entry's first word, `fence << 3 | tag`).
    /// The fence contains the whole cell: no test, one word.
    static let tagInside: UInt32 = 0
    /// A circle crossing the cell: its test with the fence's projection and radius (one word).
    static let tagCircle: UInt32 = 1
    /// Anything else: the fence's full test (`GeofenceShapes.contains`), one word.
    static let tagTest: UInt32 = 2
    /// A corridor: vertex count n, then its vertex runs (2 + 2n words).
    static let tagCorridor: UInt32 = 3
    /// A polygon: counts (vertices n | thresholds t << 16), t Float thresholds (the point's
    /// parity flips where `threshold > y`), then its edges' vertex runs (2 + t + 2n words);
    /// the tag's low bit is the parity of the edges not listed.
    static let tagPolygonEven: UInt32 = 4
    static let tagPolygonOdd: UInt32 = 5
    /// The same for a cell reaching the border of the polygon's raster, with the box of 1e-7
    /// degrees (latitude low, high, longitude low, high) within the raster after the counts
    /// (6 + t + 2n words). A point outside the box is outside the polygon.
    static let tagPolygonBoxedEven: UInt32 = 6
    static let tagPolygonBoxedOdd: UInt32 = 7
    static let tagBits: UInt32 = 3
    /// Fence numbers must fit in the rest of the first word; fences beyond go to the hashed grid.
    static let maxFence = 1 << 29
    /// Longer vertex runs or threshold lists fall back to the full test (a cell crossed by that
    /// many edges of one fence is better served by the fence's own raster).
    static let maxListCount = 255

    /// Grid origin (south-west corner, 1e-7 degree), cell size and extent in cells.
    let originLatitudeE7: Int64
    let originLongitudeE7: Int64
    let cellLatitudeE7: UInt32
    let cellLongitudeE7: UInt32
    let width: Int
    let height: Int
    /// One cache line per cell, `slotWords` words: the first is the number of words of the
    /// cell's entries (fences in order; see the tags), which follow inline when they fit; else
    /// it is `slotWords` and the second word is the offset in `overflow` of their number
    /// followed by the entries. A lookup reads one line, two for a
    /// crowded cell. One more, empty, slot follows the last cell.
    let slots: UnsafeMutablePointer<UInt32>
    let overflow: UnsafeMutablePointer<UInt32>
    private let slotTable: Table
    private let overflowTable: Table
    let overflowWords: Int
    /// Per fence: origin latitude and longitude (1e-7 degree), metres per 1e-7 degree of
    /// longitude and radius or half width (metres, Float bits): what `GeofenceShapes.project`
    /// and the tests read from the record, 16 bytes a fence so the table stays in cache.
    let projections: UnsafeMutablePointer<UInt32>
    let fenceCount: Int
    static let slotWords = 16
    /// Whether fence `i` is indexed here (else the hashed grid has it).
    let holds: [Bool]

    /// Bytes of the grid's tables.
    var byteCount: Int {
        4 * (Self.slotWords * (width * height + 1) + overflowWords + 4 * fenceCount) + holds.count
    }

    /// An empty grid (no fence held).
    private init(empty count: Int) {
        originLatitudeE7 = 0
        originLongitudeE7 = 0
        cellLatitudeE7 = 1
        cellLongitudeE7 = 1
        width = 0
        height = 0
        slotTable = Table(words: Self.slotWords)
        slots = slotTable.words
        overflowTable = Table(words: 1)
        overflow = overflowTable.words
        overflowWords = 0
        projections = .allocate(capacity: 1)
        fenceCount = 0
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
        // (cell, the entry's words in `payload`), in fence order; then sorted by cell.
        var pending: [(cell: UInt32, start: Int, count: Int)] = []
        var payload: [UInt32] = []
        var scratch: [UInt32] = []
        var thresholds: [Float] = []
        for (fence, box) in boxes where fence < Self.maxFence && payload.count < 1 << 31 {
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
                    thresholds.removeAll(keepingCapacity: true)
                    var rasterBox: (Int32, Int32, Int32, Int32)?
                    guard
                        var tag = classifier.classify(
                            latitudeE7: latLo, latLo + cellLat - 1, longitudeE7: lonLo, lonLo + cellLon - 1,
                            &scratch, &thresholds, &rasterBox)
                    else { continue }
                    // The listed edges as runs of consecutive vertices, NaN pairs between runs.
                    var run: [UInt32] = []
                    for (k, index) in scratch.enumerated() {
                        let v = shapes.vertices + 2 * Int(index)
                        if k == 0 || scratch[k - 1] + 1 != index {
                            if k > 0 { run += [Float.nan.bitPattern, Float.nan.bitPattern] }
                            run += [v[0].bitPattern, v[1].bitPattern]
                        }
                        run += [v[2].bitPattern, v[3].bitPattern]
                    }
                    let vertexCount = run.count / 2
                    if tag >= Self.tagCorridor && max(vertexCount, thresholds.count) > Self.maxListCount {
                        tag = Self.tagTest
                    }
                    let start = payload.count
                    payload.append(UInt32(fence) << Self.tagBits | tag)
                    switch tag {
                    case Self.tagInside, Self.tagTest, Self.tagCircle:
                        break
                    case Self.tagCorridor:
                        payload.append(UInt32(vertexCount))
                        payload += run
                    default:
                        payload.append(UInt32(vertexCount) | UInt32(thresholds.count) << 16)
                        if tag >= Self.tagPolygonBoxedEven, let (latA, latB, lonA, lonB) = rasterBox {
                            payload += [latA, latB, lonA, lonB].map { UInt32(bitPattern: $0) }
                        }
                        payload += thresholds.map(\.bitPattern)
                        payload += run
                    }
                    pending.append((cell, start, payload.count - start))
                }
            }
        }
        self.holds = holds
        // Counting sort by cell (stable: fences stay in order within a cell).
        let cells = width * height
        var starts = [Int](repeating: 0, count: cells + 1)
        for p in pending { starts[Int(p.cell) + 1] += p.count }
        for c in 0..<cells { starts[c + 1] += starts[c] }
        var entries = [UInt32](repeating: 0, count: starts[cells])
        var fill = starts
        for p in pending {
            let at = fill[Int(p.cell)]
            for k in 0..<p.count { entries[at + k] = payload[p.start + k] }
            fill[Int(p.cell)] += p.count
        }
        // Slots: inline when the run fits after the count word.
        let slotWords = Self.slotWords
        slotTable = Table(words: slotWords * (cells + 1))
        slots = slotTable.words
        var spill: [UInt32] = []
        for c in 0..<cells {
            let n = starts[c + 1] - starts[c]
            let slot = slots + slotWords * c
            if n < slotWords {
                slot[0] = UInt32(n)
                for k in 0..<n { slot[1 + k] = entries[starts[c] + k] }
            } else {
                slot[0] = UInt32(slotWords)
                slot[1] = UInt32(spill.count)
                spill.append(UInt32(n))
                spill += entries[starts[c]..<starts[c + 1]]
            }
        }
        overflowWords = spill.count
        overflowTable = Table(words: spill.count)
        overflow = overflowTable.words
        overflow.update(from: spill, count: spill.count)
        fenceCount = shapes.count
        projections = .allocate(capacity: max(1, 4 * shapes.count))
        for i in 0..<shapes.count {
            let r = shapes.records + i
            projections[4 * i] = UInt32(bitPattern: r.pointee.originLatitudeE7)
            projections[4 * i + 1] = UInt32(bitPattern: r.pointee.originLongitudeE7)
            projections[4 * i + 2] = r.pointee.metersPerE7Longitude.bitPattern
            projections[4 * i + 3] = r.pointee.radiusM.bitPattern
        }
    }

    deinit {
        projections.deallocate()
    }

    /// A table of `words` zeroed words, read at random by lookups: on Linux, large tables are
    /// mapped on their own and advised as huge pages (2 MiB), so a random lookup costs a cache
    /// miss but no TLB miss: with 4 KiB pages a 20 MB table misses the TLB on nearly every
    /// lookup, and under virtualisation the page walk costs more than the miss itself.
    final class Table {
        let words: UnsafeMutablePointer<UInt32>
        private let mapped: (UnsafeMutableRawPointer, Int)?

        init(words count: Int) {
            let bytes = 4 * max(1, count)
            #if os(Linux)
                let huge = 2 << 20
                if bytes >= huge / 2,
                    let base = mmap(nil, bytes + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                    base != MAP_FAILED
                {
                    let aligned = UnsafeMutableRawPointer(
                        bitPattern: (UInt(bitPattern: base) + UInt(huge) - 1) / UInt(huge) * UInt(huge))!
                    _ = madvise(aligned, (bytes + huge - 1) / huge * huge, MADV_HUGEPAGE)
                    words = aligned.bindMemory(to: UInt32.self, capacity: count)
                    mapped = (base, bytes + huge)
                    return
                }
            #endif
            words = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(
                to: UInt32.self, capacity: max(1, count))
            words.initialize(repeating: 0, count: max(1, count))
            mapped = nil
        }

        deinit {
            #if os(Linux)
                if let (base, length) = mapped {
                    munmap(base, length)
                    return
                }
            #endif
            words.deallocate()
        }
    }

    /// Words of the entry at `entry`.
    @inline(__always)
    static func entrySize(_ entry: UnsafeMutablePointer<UInt32>) -> Int {
        switch entry.pointee & 7 {
        case tagInside, tagTest, tagCircle: return 1
        case tagCorridor: return 2 + 2 * Int(entry[1])
        case tagPolygonEven, tagPolygonOdd: return 2 + Int(entry[1] >> 16) + 2 * Int(entry[1] & 0xFFFF)
        default: return 6 + Int(entry[1] >> 16) + 2 * Int(entry[1] & 0xFFFF)
        }
    }

    /// The fence of the entry starting with `word`.
    @inline(__always)
    static func fence(_ word: UInt32) -> Int { Int(word >> tagBits) }

    /// The point's cell's slot (the empty slot after the last cell when the point is off the grid).
    @inline(__always)
    func slot(latitudeE7: Int32, longitudeE7: Int32) -> UnsafeMutablePointer<UInt32> {
        let dy = Int64(latitudeE7) &- originLatitudeE7
        let dx = Int64(longitudeE7) &- originLongitudeE7
        let empty = slots + Self.slotWords &* (width &* height)
        guard dy >= 0, dx >= 0 else { return empty }
        let cy = Int(UInt32(truncatingIfNeeded: min(dy, 0xFFFF_FFFF)) / cellLatitudeE7)
        let cx = Int(UInt32(truncatingIfNeeded: min(dx, 0xFFFF_FFFF)) / cellLongitudeE7)
        guard cy < height, cx < width else { return empty }
        return slots + Self.slotWords &* (cy &* width &+ cx)
    }

    /// A slot's run of entries.
    @inline(__always)
    func run(_ slot: UnsafeMutablePointer<UInt32>) -> (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) {
        let n = Int(slot[0])
        if n < Self.slotWords { return (slot + 1, slot + 1 + n) }
        let run = overflow + Int(slot[1])
        return (run + 1, run + 1 + Int(run[0]))
    }

    /// Where a slot's entries are: the slot itself (`overflowed` false), or `overflow` at the
    /// returned offset (their number, then the entries). No read beyond the slot's line.
    @inline(__always)
    func place(_ slot: UnsafeMutablePointer<UInt32>) -> (overflowed: Bool, at: UnsafeMutablePointer<UInt32>) {
        slot[0] < UInt32(Self.slotWords) ? (false, slot) : (true, overflow + Int(slot[1]))
    }

    /// The point's cell's run of entries.
    @inline(__always)
    func run(latitudeE7: Int32, longitudeE7: Int32) -> (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) {
        run(slot(latitudeE7: latitudeE7, longitudeE7: longitudeE7))
    }

    /// Calls `body(fence, word, entry)` for each entry of the point's cell (`entry` points at
    /// the entry's first word, `word`).
    @inline(__always)
    func forEachEntry(
        latitudeE7: Int32, longitudeE7: Int32, _ body: (Int, UInt32, UnsafeMutablePointer<UInt32>) -> Void
    ) {
        var (e, end) = run(latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        while e < end {
            let word = e.pointee
            body(Self.fence(word), word, e)
            e += Self.entrySize(e)
        }
    }

    /// Calls `body` with every fence held here that contains the point (each once, in fence
    /// order). Answers exactly as `shapes.contains` does.
    @inline(__always)
    func forEachContaining(
        _ shapes: GeofenceShapes, latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void
    ) {
        forEachContaining(
            shapes, run: run(latitudeE7: latitudeE7, longitudeE7: longitudeE7), latitudeE7: latitudeE7,
            longitudeE7: longitudeE7, body)
    }

    /// The same for the point's cell's run (from `run`).
    @inline(__always)
    func forEachContaining(
        _ shapes: GeofenceShapes, run: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>),
        latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void
    ) {
        var (e, end) = run
        let latitude = Int64(latitudeE7)
        let longitude = Int64(longitudeE7)
        while e < end {
            let word = e.pointee
            let tag = word & 7
            let fence = Self.fence(word)
            if tag == Self.tagInside {
                body(fence)
                e += 1
                continue
            }
            if tag == Self.tagTest {
                if shapes.contains(fence, latitudeE7: latitudeE7, longitudeE7: longitudeE7) { body(fence) }
                e += 1
                continue
            }
            // `GeofenceShapes.project`; no antimeridian wrap within 90 degrees of the origin,
            // which every cell holding a boundary entry is (see `classify`).
            let projection = projections + 4 &* fence
            let x =
                Double(longitude &- Int64(Int32(bitPattern: projection[1]))) * Double(Float(bitPattern: projection[2]))
            let y = Double(latitude &- Int64(Int32(bitPattern: projection[0]))) * GeofenceShapes.metersPerE7Latitude
            switch tag {
            case Self.tagCircle:
                let radius = Double(Float(bitPattern: projection[3]))
                if x * x + y * y <= radius * radius { body(fence) }
                e += 1
            case Self.tagCorridor:
                let radius = Float(bitPattern: projection[3])
                let limit = radius * radius
                let count = Int(e[1])
                let (fx, fy) = (Float(x), Float(y))
                let v = UnsafeRawPointer(e + 2).assumingMemoryBound(to: Float.self)
                var k = 0
                while k &+ 1 < count {
                    let p = v + 2 &* k
                    if GeofenceShapes.segmentDistanceSquared(fx, fy, p[0], p[1], p[2], p[3]) <= limit {
                        body(fence)
                        break
                    }
                    k &+= 1
                }
                e += 2 &+ 2 &* count
            default:
                let count = Int(e[1] & 0xFFFF)
                let thresholdCount = Int(e[1] >> 16)
                var skip = 2
                if tag >= Self.tagPolygonBoxedEven {
                    skip = 6
                    guard latitude >= Int64(Int32(bitPattern: e[2])), latitude <= Int64(Int32(bitPattern: e[3])),
                        longitude >= Int64(Int32(bitPattern: e[4])), longitude <= Int64(Int32(bitPattern: e[5]))
                    else {
                        e += 6 &+ thresholdCount &+ 2 &* count
                        continue
                    }
                }
                let (fx, fy) = (Float(x), Float(y))
                var inside = word & 1 == 1
                let t = UnsafeRawPointer(e + skip).assumingMemoryBound(to: Float.self)
                var k = 0
                while k < thresholdCount {
                    if t[k] > fy { inside.toggle() }
                    k &+= 1
                }
                let v = t + thresholdCount
                k = 0
                while k &+ 1 < count {
                    let p = v + 2 &* k
                    if GeofenceShapes.crosses(fx, fy, p[0], p[1], p[2], p[3]) { inside.toggle() }
                    k &+= 1
                }
                if inside { body(fence) }
                e += skip &+ thresholdCount &+ 2 &* count
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
    /// (first vertex of each edge or segment) for polygon and corridor tags, `thresholds` (the
    /// Float y values where a point's parity flips, beyond the listed edges) for polygon tags
    /// and `rasterBox` for the boxed polygon tags.
    func classify(
        latitudeE7 latLo: Int64, _ latHi: Int64, longitudeE7 lonLo: Int64, _ lonHi: Int64, _ list: inout [UInt32],
        _ thresholds: inout [Float], _ rasterBox: inout (Int32, Int32, Int32, Int32)?
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
            // The parity of a point's crossings, edge by edge. An edge whose part within the
            // cell's rows (plus the margin) lies left of the cell never counts; one whose part
            // there lies right of it counts exactly when it straddles the point's y, which is
            // `(y0 > y) != (y1 > y)`: two thresholds. Every other edge is listed.
            var odd = false
            var ends: [Float] = []
            for e in edges {
                let yLo = min(e.y0, e.y1)
                let yHi = max(e.y0, e.y1)
                // Entirely above or below the cell's rows: never straddles a point's y.
                if yHi < ry0 - m || yLo > ry1 + m { continue }
                let (xLo, xHi) = Self.xExtent(e.x0, e.y0, e.x1, e.y1, ry0 - m, ry1 + m)
                if xHi < rx0 - m { continue }
                if xLo > rx1 + m {
                    ends += [Float(e.y0), Float(e.y1)]
                    continue
                }
                list.append(e.index)
            }
            // `y0 > y` for every point of the cell when above its highest Float y, never when at
            // or below its lowest; equal ends cancel (a vertex shared by two such edges).
            let (yMin, yMax) = (Float(ry0), Float(ry1))
            ends.sort()
            var k = 0
            while k < ends.count {
                if k + 1 < ends.count && ends[k + 1] == ends[k] {
                    k += 2
                    continue
                }
                if ends[k] > yMax {
                    odd.toggle()
                } else if ends[k] > yMin {
                    thresholds.append(ends[k])
                }
                k += 1
            }
            // Wherever the raster's Float cell index is in 0..<8, the record's shortcuts only
            // repeat the crossing parity (its cells and circles keep a margin from every edge);
            // elsewhere `contains` answers outside. The index is monotone in each coordinate,
            // so the points of the cell where it is in range form a box.
            let (latA, latB) = Self.inRange(latLo, latHi) { rasterIndex(latitudeE7: $0) }
            let (lonA, lonB) = Self.inRange(lonLo, lonHi) { rasterIndex(longitudeE7: $0) }
            if latA > latB || lonA > lonB { return nil }
            if latA == latLo && latB == latHi && lonA == lonLo && lonB == lonHi {
                return odd ? GeofenceCellGrid.tagPolygonOdd : GeofenceCellGrid.tagPolygonEven
            }
            rasterBox = (Int32(latA), Int32(latB), Int32(lonA), Int32(lonB))
            return odd ? GeofenceCellGrid.tagPolygonBoxedOdd : GeofenceCellGrid.tagPolygonBoxedEven
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

    /// The raster's column of a point at this longitude, exactly as `polygonShortcut` computes it.
    func rasterIndex(longitudeE7 lon: Int64) -> Float {
        let x = Double(lon - Int64(record.pointee.originLongitudeE7)) * Double(record.pointee.metersPerE7Longitude)
        return ((Float(x) - record.pointee.rasterMinX) * record.pointee.rasterScale).rounded(.down)
    }

    /// The raster's row of a point at this latitude, exactly as `polygonShortcut` computes it.
    func rasterIndex(latitudeE7 lat: Int64) -> Float {
        let y = Double(lat - Int64(record.pointee.originLatitudeE7)) * GeofenceShapes.metersPerE7Latitude
        return ((Float(y) - record.pointee.rasterMinY) * record.pointee.rasterScale).rounded(.down)
    }

    /// The coordinates in `lo...hi` whose raster index (monotone non-decreasing) is in 0..<8:
    /// `(first, last)`, with `first > last` when there are none. By bisection.
    static func inRange(_ lo: Int64, _ hi: Int64, _ index: (Int64) -> Float) -> (Int64, Int64) {
        let side = Float(GeofenceShapes.rasterSide)
        // First coordinate with index >= 0.
        var a = lo
        var b = hi + 1
        while a < b {
            let mid = a + (b - a) / 2
            if index(mid) >= 0 { b = mid } else { a = mid + 1 }
        }
        let first = a
        // First coordinate with index >= side; the last in range is just before it.
        a = lo
        b = hi + 1
        while a < b {
            let mid = a + (b - a) / 2
            if index(mid) >= side { b = mid } else { a = mid + 1 }
        }
        return (first, a - 1)
    }

    /// The x range of the segment's part with y in `yLo...yHi` (the whole segment's when level).
    static func xExtent(
        _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ yLo: Double, _ yHi: Double
    ) -> (Double, Double) {
        guard y0 != y1 else { return (min(x0, x1), max(x0, x1)) }
        let ta = min(max((yLo - y0) / (y1 - y0), 0), 1)
        let tb = min(max((yHi - y0) / (y1 - y0), 0), 1)
        let xa = x0 + ta * (x1 - x0)
        let xb = x0 + tb * (x1 - x0)
        return (min(xa, xb), max(xa, xb))
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
