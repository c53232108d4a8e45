/// The hashed multi-level grid behind `GeofenceIndex` (see there). Immutable after `init`;
/// storage is raw memory owned by this object so lookups run without bounds checks or
/// reference counting in the loop.
final class GeofenceGrid: @unchecked Sendable {
    /// One entry: a fence and its box, stored in every cell the box covers.
    struct Entry {
        var fence: Int32
        var box: GeofenceShapes.BoxE7
    }

    struct Level {
        var cellLatitudeE7: Int64
        var cellLongitudeE7: Int64
        /// Open-addressing table: `tableSize` slots (a power of two), key `UInt64.max` = empty.
        var keys: UnsafeMutablePointer<UInt64>
        /// Per slot: first entry and number of entries.
        var starts: UnsafeMutablePointer<UInt32>
        var counts: UnsafeMutablePointer<UInt32>
        var tableShift: UInt64
        var tableMask: Int
        var entries: UnsafeMutablePointer<Entry>
        var entryCount: Int
    }

    /// Coarser levels multiply the cell size by this.
    static let levelFactor: Int64 = 4
    /// Levels beyond the finest; 4^11 x a 100 m cell covers the globe.
    static let maxLevels = 12

    let levels: [Level]
    private let levelPointer: UnsafeMutablePointer<Level>

    init(boxes: [[GeofenceShapes.BoxE7]], maxCellsPerFence: Int) {
        // Finest cell: the median box size (at least 100 x 1e-7 degree, about 1 m).
        let heights = boxes.flatMap { $0.map { Int64($0.maxLatitude) - Int64($0.minLatitude) } }.sorted()
        let widths = boxes.flatMap { $0.map { Int64($0.maxLongitude) - Int64($0.minLongitude) } }.sorted()
        let baseLat = max(100, heights.isEmpty ? 10_000 : heights[heights.count / 2])
        let baseLon = max(100, widths.isEmpty ? 10_000 : widths[widths.count / 2])

        // Assign every box to a level, then fill each level's cells.
        var perLevel: [[(fence: Int32, box: GeofenceShapes.BoxE7)]] = Array(repeating: [], count: Self.maxLevels)
        for (fence, fenceBoxes) in boxes.enumerated() {
            for box in fenceBoxes {
                var level = 0
                while level < Self.maxLevels - 1 {
                    let (cellLat, cellLon) = Self.cellSize(baseLat, baseLon, level)
                    let (x0, y0) = Self.cell(box.minLatitude, box.minLongitude, cellLat, cellLon)
                    let (x1, y1) = Self.cell(box.maxLatitude, box.maxLongitude, cellLat, cellLon)
                    if (x1 - x0 + 1) * (y1 - y0 + 1) <= Int64(maxCellsPerFence) { break }
                    level += 1
                }
                perLevel[level].append((Int32(fence), box))
            }
        }
        var built: [Level] = []
        for (level, items) in perLevel.enumerated() where !items.isEmpty {
            let (cellLat, cellLon) = Self.cellSize(baseLat, baseLon, level)
            built.append(Self.buildLevel(items, cellLat: cellLat, cellLon: cellLon))
        }
        levels = built
        levelPointer = .allocate(capacity: max(1, built.count))
        levelPointer.initialize(from: built, count: built.count)
    }

    deinit {
        for level in levels {
            level.keys.deallocate()
            level.starts.deallocate()
            level.counts.deallocate()
            level.entries.deallocate()
        }
        levelPointer.deallocate()
    }

    static func cellSize(_ baseLat: Int64, _ baseLon: Int64, _ level: Int) -> (Int64, Int64) {
        var factor: Int64 = 1
        for _ in 0..<level { factor *= levelFactor }
        return (min(baseLat * factor, 1_800_000_001), min(baseLon * factor, 3_600_000_001))
    }

    @inline(__always)
    static func cell(_ latitudeE7: Int32, _ longitudeE7: Int32, _ cellLat: Int64, _ cellLon: Int64) -> (Int64, Int64) {
        ((Int64(longitudeE7) + 1_800_000_000) / cellLon, (Int64(latitudeE7) + 900_000_000) / cellLat)
    }

    @inline(__always)
    static func key(_ x: Int64, _ y: Int64) -> UInt64 { UInt64(y) << 32 | UInt64(x) }

    @inline(__always)
    static func slot(_ key: UInt64, _ shift: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    private static func buildLevel(
        _ items: [(fence: Int32, box: GeofenceShapes.BoxE7)], cellLat: Int64, cellLon: Int64
    ) -> Level {
        // Cells in first-seen order, with their entries; deterministic.
        var cellOrder: [UInt64] = []
        var cellEntries: [UInt64: [Entry]] = [:]
        for item in items {
            let (x0, y0) = cell(item.box.minLatitude, item.box.minLongitude, cellLat, cellLon)
            let (x1, y1) = cell(item.box.maxLatitude, item.box.maxLongitude, cellLat, cellLon)
            for y in y0...y1 {
                for x in x0...x1 {
                    let k = key(x, y)
                    if cellEntries[k] == nil { cellOrder.append(k) }
                    cellEntries[k, default: []].append(Entry(fence: item.fence, box: item.box))
                }
            }
        }
        var bits: UInt64 = 1
        while (1 << bits) < 2 * cellOrder.count { bits += 1 }
        let size = 1 << Int(bits)
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        keys.initialize(repeating: .max, count: size)
        let starts = UnsafeMutablePointer<UInt32>.allocate(capacity: size)
        starts.initialize(repeating: 0, count: size)
        let counts = UnsafeMutablePointer<UInt32>.allocate(capacity: size)
        counts.initialize(repeating: 0, count: size)
        let total = cellEntries.values.reduce(0) { $0 + $1.count }
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(1, total))
        var next = 0
        let shift = 64 - bits
        for k in cellOrder {
            let list = cellEntries[k]!
            var s = slot(k, shift)
            while keys[s] != .max { s = (s + 1) & (size - 1) }
            keys[s] = k
            starts[s] = UInt32(next)
            counts[s] = UInt32(list.count)
            (entries + next).initialize(from: list, count: list.count)
            next += list.count
        }
        return Level(
            cellLatitudeE7: cellLat, cellLongitudeE7: cellLon, keys: keys, starts: starts, counts: counts,
            tableShift: shift, tableMask: size - 1, entries: entries, entryCount: total)
    }

    /// Calls `body` with each fence whose box contains the point. A fence is in one level only
    /// and the point in one cell per level, so each fence is reported at most once (the two
    /// boxes of an antimeridian fence never both contain a point).
    @inline(__always)
    func forEachCandidate(latitudeE7: Int32, longitudeE7: Int32, _ body: (Int) -> Void) {
        var l = levelPointer
        let end = levelPointer + levels.count
        while l < end {
            let level = l.pointee
            l += 1
            let (x, y) = Self.cell(latitudeE7, longitudeE7, level.cellLatitudeE7, level.cellLongitudeE7)
            let k = Self.key(x, y)
            var s = Self.slot(k, level.tableShift)
            while true {
                let stored = level.keys[s]
                if stored == k { break }
                if stored == .max { s = -1; break }
                s = (s + 1) & level.tableMask
            }
            guard s >= 0 else { continue }
            var e = level.entries + Int(level.starts[s])
            let stop = e + Int(level.counts[s])
            while e < stop {
                let box = e.pointee.box
                if latitudeE7 >= box.minLatitude && latitudeE7 <= box.maxLatitude && longitudeE7 >= box.minLongitude
                    && longitudeE7 <= box.maxLongitude
                {
                    body(Int(e.pointee.fence))
                }
                e += 1
            }
        }
    }
}
