/// An immutable spatial index over all fences of a tenant: rebuilt (O(n)) when a fence changes,
/// shared freely between threads afterwards.
///
/// Structure: a hierarchy of hashed uniform grids over the fences' bounding boxes in 1e-7
/// degree. The finest grid's cell is the median fence box; a fence goes into the finest level
/// where its box covers at most `maxCellsPerFence` cells (each coarser level is 4x the cell
/// size), into every cell it covers. Only occupied cells are stored (open addressing), so a
/// tenant with fences in two cities costs no more than one with fences in one. A lookup hashes
/// the point's cell on each populated level (usually one or two), checks the boxes stored with
/// the cell's entries, then runs the exact test on the survivors. No allocation.
///
/// Fence `i` in every API is the position in `fences`; ids are in `fences[i].id`.
public struct GeofenceIndex: Sendable {
    /// The fences, in the order given.
    public let fences: [Geofence]
    let shapes: GeofenceShapes
    let grid: GeofenceGrid
    private let positionByID: [String: Int]

    /// Builds the index. `maxCellsPerFence` bounds the duplication of a fence over cells: 16
    /// (4 x 4) keeps the index within a few entries per fence while a point's cell holds few
    /// fences that do not actually cover it.
    public init(fences: [Geofence], maxCellsPerFence: Int = 16) {
        self.fences = fences
        self.shapes = GeofenceShapes(fences)
        self.grid = GeofenceGrid(parts: shapes.parts, maxCellsPerFence: max(1, maxCellsPerFence))
        var byID: [String: Int] = [:]
        for (i, fence) in fences.enumerated() where byID[fence.id] == nil { byID[fence.id] = i }
        self.positionByID = byID
    }

    /// Number of fences.
    public var count: Int { fences.count }

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

    /// Calls `body` with every fence whose bounding box contains the point (a superset of the
    /// fences containing it; each at most once). No allocation.
    public func forEachCandidate(latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void) {
        grid.forEachPart(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, _ in
            body(i)
            return true
        }
    }

    /// Calls `body` with every fence containing the point (each at most once, in index order
    /// within a grid level). No allocation.
    public func forEachContaining(latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void) {
        let shapes = shapes
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
        grid.forEachPart(latitudeE7: latitudeE7, longitudeE7: longitudeE7) { i, segment in
            guard shapes.contains(i, segment: segment, latitudeE7: latitudeE7, longitudeE7: longitudeE7) else {
                return false
            }
            result.append(Int32(i))
            return true
        }
        return result.count
    }

    /// Number of fences containing the point (the benchmark's unit of work). No allocation.
    public func countContaining(latitudeE7: Int32, longitudeE7: Int32) -> Int {
        var n = 0
        let shapes = shapes
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
