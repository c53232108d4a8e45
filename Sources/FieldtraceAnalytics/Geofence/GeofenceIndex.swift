/// An immutable spatial index over all fences of a tenant: rebuilt (O(n)) when a fence changes,
/// shared freely between threads afterwards.
///
/// Structure: a dense uniform cell grid (`GeofenceCellGrid`) over the fences of one area, its
/// cell size chosen from the fences' density, where each cell lists only the fences that can
/// contain its points: those containing the whole cell (counted without a test) and those
/// crossing it, each with just the edges or segments that matter in that cell, all in one cache
/// line per cell (crowded cells continue in an overflow table). Fences the cell
/// grid does not take (large ones, ones crossing the antimeridian, or all of them when they are
/// too sparse for one dense table) go to a hierarchy of hashed uniform grids over their bounding
/// boxes (`GeofenceGrid`): its finest cell is the median fence box; a fence goes into the finest
/// level where its box covers at most `maxCellsPerFence` cells (each coarser level is 4x the
/// cell size), into every cell it covers, and only occupied cells are stored (open addressing).
/// A lookup reads the point's cell in the cell grid, then hashes the point's cell on each
/// populated level of the hashed grid (none when the cell grid holds every fence). Each fence
/// is in exactly one of the two. No allocation. On a large fence set a random lookup mostly
/// waits for its cell's line from memory; `containing(_:fences:ends:)` answers many points with
/// those reads overlapped.
///
/// Fence `i` in every API is the position in `fences`; ids are in `fences[i].id`.
public struct GeofenceIndex: Sendable {
    /// The fences, in the order given.
    public let fences: [Geofence]
    let shapes: GeofenceShapes
    let grid: GeofenceGrid
    let cells: GeofenceCellGrid
    private let positionByID: [String: Int]

    /// Builds the index.
    /// - `maxCellsPerFence`: bounds the duplication of a fence over the hashed grid's cells
    ///   (fences the cell grid does not hold): 16 (4 x 4) keeps that grid within a few entries
    ///   per fence while a point's cell holds few fences that do not actually cover it.
    /// - `cellsPerFence`: the cell grid's size, cells per fence over the fences' extent
    ///   (default 16: for 20,000 fences covering a 40 km square once, 70 m cells; a point's
    ///   cell then holds about two fences, a third of them settled without a test, and fits
    ///   its line three times out of four; the index takes about 32 MB, 20 MB of it the
    ///   64-byte cells).
    /// - `maxCellGridCellsPerFence`: a fence covering more cells of the cell grid than this
    ///   goes to the hashed grid (default 4,096: a fence 64 cells wide, about 4 km at the
    ///   default density; larger ones are few and cheaper to test from their boxes).
    public init(
        fences: [Geofence], maxCellsPerFence: Int = 16, cellsPerFence: Int = 16, maxCellGridCellsPerFence: Int = 4_096
    ) {
        self.fences = fences
        self.shapes = GeofenceShapes(fences)
        let cells = GeofenceCellGrid.build(
            shapes: shapes, cellsPerFence: max(1, cellsPerFence), maxCellsPerFence: max(1, maxCellGridCellsPerFence))
        self.cells = cells
        let rest = shapes.parts.enumerated().map { cells.holds[$0.offset] ? [] : $0.element }
        self.grid = GeofenceGrid(parts: rest, maxCellsPerFence: max(1, maxCellsPerFence))
        var byID: [String: Int] = [:]
        for (i, fence) in fences.enumerated() where byID[fence.id] == nil { byID[fence.id] = i }
        self.positionByID = byID
    }

    /// Number of fences.
    public var count: Int { fences.count }

    /// Bytes of the index's own tables (compiled shapes, cell grid, hashed grid; not `fences`).
    public var byteCount: Int { shapes.byteCount + cells.byteCount + grid.byteCount }

    /// The position of the fence with this id.
    public func position(ofID id: String) -> Int? { positionByID[id] }

    /// Signed distance, metres, from a point to fence `i`'s boundary: negative inside. O(vertices).
    public func signedDistanceM(fence i: Int, latitudeE7: Int32, longitudeE7: Int32) -> Double {
        precondition(i >= 0 && i < count, "fence index out of range")
        return shapes.signedDistanceM(i, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
    }

    /// Whether the point is inside fence `i`. O(vertices).
    public func contains(fence i: Int, latitudeE7: Int32, longitudeE7: Int32) -> Bool {
        precondition(i >= 0 && i < count, "fence index out of range")
        return shapes.contains(i, latitudeE7: latitudeE7, longitudeE7: longitudeE7)
    }

    /// Calls `body` with every fence that may contain the point: a superset of the fences
    /// containing it (those the cell grid settles as missing the point's cell are left out),
    /// each at most once. No allocation.
    public func forEachCandidate(latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void) {
        cells.forEachEntry(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, _, _ in body(i) }
        grid.forEachPart(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, _ in
            body(i)
            return true
        }
    }

    /// Calls `body` with every fence containing the point (each at most once, in index order
    /// within a grid level). No allocation.
    public func forEachContaining(latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void) {
        let shapes = shapes
        cells.forEachContaining(shapes, latitudeE7: latitudeE7, longitudeE7: longitudeE7, body)
        grid.forEachPart(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, segment in
            guard shapes.contains(i, segment: segment, latitudeE7: latitudeE7, longitudeE7: longitudeE7) else {
                return false
            }
            body(i)
            return true
        }
    }

    /// Replaces `result`'s contents with the fences containing the point; returns their number.
    /// Allocation-free once `result` has the capacity (keep one buffer per caller).
    @discardableResult
    public func containing(latitudeE7: Int32, longitudeE7: Int32, into result: inout [Int32]) -> Int {
        result.removeAll(keepingCapacity: true)
        let shapes = shapes
        cells.forEachContaining(shapes, latitudeE7: latitudeE7, longitudeE7: longitudeE7, { result.append(Int32($0)) })
        grid.forEachPart(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, segment in
            guard shapes.contains(i, segment: segment, latitudeE7: latitudeE7, longitudeE7: longitudeE7) else {
                return false
            }
            result.append(Int32(i))
            return true
        }
        return result.count
    }

    /// Points per group in `containing(_:fences:ends:)`: enough reads in flight to overlap
    /// most of the memory latency, few enough to stay within the processor's reorder window.
    static let batchGroup = 16

    /// The fences containing each of many points: afterwards point `i`'s fences (each at most
    /// once, as `containing(latitudeE7:longitudeE7:into:)` lists them) are
    /// `fences[(i == 0 ? 0 : ends[i - 1]) ..< ends[i]]`. The same answers as one lookup per
    /// point, several times faster on large fence sets read at random: a lookup mostly waits
    /// for its cell's cache line, so points go in groups of `batchGroup` whose cells are all
    /// read before any is tested, and the reads of a group overlap. Allocation-free once the
    /// arrays have the capacity (keep them per caller).
    public func containing(
        _ points: [(latitudeE7: Int32, longitudeE7: Int32)], fences: inout [Int32], ends: inout [Int]
    ) {
        fences.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        ends.reserveCapacity(points.count)
        let shapes = shapes
        let cells = cells
        let group = Self.batchGroup
        points.withUnsafeBufferPointer { points in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<UInt32>.self, capacity: 2 * group) { runs in
                var start = 0
                while start < points.count {
                    let n = min(group, points.count - start)
                    // Every cell of the group first, then the overflow runs of crowded cells:
                    // independent reads, in flight together.
                    for k in 0..<n {
                        let point = points[start + k]
                        let slot = cells.slot(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7)
                        let (overflowed, at) = cells.place(slot)
                        // An overflowed cell is marked by an end before its start.
                        (runs[2 * k], runs[2 * k + 1]) = overflowed ? (at, at - 1) : (at + 1, at + 1 + Int(at[0]))
                    }
                    for k in 0..<n where runs[2 * k + 1] < runs[2 * k] {
                        let at = runs[2 * k]
                        (runs[2 * k], runs[2 * k + 1]) = (at + 1, at + 1 + Int(at[0]))
                    }
                    for k in 0..<n {
                        let point = points[start + k]
                        cells.forEachContaining(
                            shapes, run: (runs[2 * k], runs[2 * k + 1]), latitudeE7: point.latitudeE7,
                            longitudeE7: point.longitudeE7, { fences.append(Int32($0)) })
                        grid.forEachPart(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) { i, segment in
                            guard
                                shapes.contains(
                                    i, segment: segment, latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7)
                            else { return false }
                            fences.append(Int32(i))
                            return true
                        }
                        ends.append(fences.count)
                    }
                    start += n
                }
            }
        }
    }

    /// Number of fences containing the point. No allocation.
    public func countContaining(latitudeE7: Int32, longitudeE7: Int32) -> Int {
        var n = 0
        let shapes = shapes
        cells.forEachContaining(shapes, latitudeE7: latitudeE7, longitudeE7: longitudeE7, { _ in n += 1 })
        grid.forEachPart(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, segment in
            guard shapes.contains(i, segment: segment, latitudeE7: latitudeE7, longitudeE7: longitudeE7) else {
                return false
            }
            n += 1
            return true
        }
        return n
    }
}
