/// The hashed multi-level grid behind `GeofenceIndex` (see there). Immutable after `init`;
/// storage is raw memory owned by this object so lookups run without bounds checks or
/// reference counting in the loop.
final class GeofenceGrid: @unchecked Sendable {
    /// One entry: a fence and its box, stored in every cell the box covers.
    struct Entry {
        var fence: Int32
        /// The corridor segment this entry stands for, or -1 for the whole fence.
        var segment: Int32
        var box: GeofenceShapes.BoxE7
    }

    /// One cell's entries: `count` entries from `start`; `key` identifies the cell in a hashed
    /// level (`UInt64.max` = empty slot).
    struct Slot {
        var key: UInt64
        var start: UInt32
        var count: UInt32
    }

    /// A level is dense (a plain array of cells over its extent, when the extent is small: one
    /// load, no probing, and the table stays in cache) or hashed (open addressing, for fences
    /// spread far apart).
    struct Level {
        var cellLatitudeE7: Int64
        var cellLongitudeE7: Int64
        var dense: Bool
        /// Dense: first cell column/row and the extent in cells.
        var originX: Int64
        var originY: Int64
        var width: Int64
        var height: Int64
        /// Hashed: slot = hash >> shift, linear probing under `mask`.
        var tableShift: UInt64
        var tableMask: Int
        var slots: UnsafeMutablePointer<Slot>
        var entries: UnsafeMutablePointer<Entry>
        var entryCount: Int
    }

    /// Coarser levels multiply the cell size by this.
    static let levelFactor: Int64 = 4
    /// Levels beyond the finest; 4^11 x a 100 m cell covers the globe.
    static let maxLevels = 12

    let levels: [Level]
    private let levelPointer: UnsafeMutablePointer<Level>

    init(parts: [[GeofenceShapes.Part]], maxCellsPerFence: Int) {
        // Finest cell: the median part box size (at least 100 x 1e-7 degree, about 1 m).
        let heights = parts.flatMap { $0.map { Int64($0.box.maxLatitude) - Int64($0.box.minLatitude) } }.sorted()
        let widths = parts.flatMap { $0.map { Int64($0.box.maxLongitude) - Int64($0.box.minLongitude) } }.sorted()
        let baseLat = max(100, heights.isEmpty ? 10_000 : heights[heights.count / 2])
        let baseLon = max(100, widths.isEmpty ? 10_000 : widths[widths.count / 2])

        // Assign every box to a level, then fill each level's cells.
        // All parts of a fence share one level (the coarsest any part needs), so a point meets
        // a fence's parts in one cell, next to each other: lookups report each fence once.
        var perLevel: [[Entry]] = Array(repeating: [], count: Self.maxLevels)
        for (fence, fenceParts) in parts.enumerated() {
            var level = 0
            for part in fenceParts {
                while level < Self.maxLevels - 1 {
                    let (cellLat, cellLon) = Self.cellSize(baseLat, baseLon, level)
                    let (x0, y0) = Self.cell(part.box.minLatitude, part.box.minLongitude, cellLat, cellLon)
                    let (x1, y1) = Self.cell(part.box.maxLatitude, part.box.maxLongitude, cellLat, cellLon)
                    if (x1 - x0 + 1) * (y1 - y0 + 1) <= Int64(maxCellsPerFence) { break }
                    level += 1
                }
            }
            for part in fenceParts {
                perLevel[level].append(Entry(fence: Int32(fence), segment: part.segment, box: part.box))
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

    /// Bytes of the levels' slot tables and entries.
    var byteCount: Int {
        levels.reduce(0) {
            $0 + ($1.tableMask + 1) * MemoryLayout<Slot>.stride + $1.entryCount * MemoryLayout<Entry>.stride
        }
    }

    deinit {
        for level in levels {
            level.slots.deallocate()
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
    static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private static func buildLevel(_ items: [Entry], cellLat: Int64, cellLon: Int64) -> Level {
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
                    cellEntries[k, default: []].append(item)
                }
            }
        }
        let total = cellEntries.values.reduce(0) { $0 + $1.count }
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(1, total))
        var minX = Int64.max
        var maxX = Int64.min
        var minY = Int64.max
        var maxY = Int64.min
        for k in cellOrder {
            let x = Int64(k & 0xFFFF_FFFF)
            let y = Int64(k >> 32)
            minX = min(minX, x)
            maxX = max(maxX, x)
            minY = min(minY, y)
            maxY = max(maxY, y)
        }
        let width = maxX - minX + 1
        let height = maxY - minY + 1
        // Dense when the extent costs at most 8 cells per occupied cell (or 64 Ki cells).
        let dense = width * height <= max(65_536, 8 * Int64(cellOrder.count)) && width * height <= 1 << 26
        var bits: UInt64 = 1
        while (1 << bits) < 2 * cellOrder.count { bits += 1 }
        let size = dense ? Int(width * height) : 1 << Int(bits)
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: size)
        slots.initialize(repeating: Slot(key: .max, start: 0, count: 0), count: size)
        var next = 0
        let shift = 64 - bits
        for k in cellOrder {
            let list = cellEntries[k]!
            var s: Int
            if dense {
                s = Int((Int64(k >> 32) - minY) * width + (Int64(k & 0xFFFF_FFFF) - minX))
            } else {
                s = slot(k, shift)
                while slots[s].key != .max { s = (s + 1) & (size - 1) }
            }
            slots[s] = Slot(key: k, start: UInt32(next), count: UInt32(list.count))
            (entries + next).initialize(from: list, count: list.count)
            next += list.count
        }
        return Level(
            cellLatitudeE7: cellLat, cellLongitudeE7: cellLon, dense: dense, originX: minX, originY: minY,
            width: width, height: height, tableShift: shift, tableMask: size - 1, slots: slots, entries: entries,
            entryCount: total)
    }

    /// Calls `body(fence, segment)` for each part whose box contains the point, skipping a
    /// fence's further parts once `body` returns true for it. A fence is in one level only and
    /// the point in one cell per level, where the fence's parts are adjacent: so each fence is
    /// reported at most once if `body` returns true.
    @inline(__always)
    func forEachPart(latitudeE7: Int32, longitudeE7: Int32, _ body: (Int, Int32) -> Bool) {
        var l = levelPointer
        let end = levelPointer + levels.count
        while l < end {
            let level = l.pointee
            l += 1
            let (x, y) = Self.cell(latitudeE7, longitudeE7, level.cellLatitudeE7, level.cellLongitudeE7)
            let slot: Slot
            if level.dense {
                let dx = x &- level.originX
                let dy = y &- level.originY
                guard dx >= 0, dx < level.width, dy >= 0, dy < level.height else { continue }
                slot = level.slots[Int(dy &* level.width &+ dx)]
            } else {
                let k = Self.key(x, y)
                var s = Self.slot(k, level.tableShift)
                while true {
                    let stored = level.slots[s].key
                    if stored == k { break }
                    if stored == .max { s = -1; break }
                    s = (s + 1) & level.tableMask
                }
                guard s >= 0 else { continue }
                slot = level.slots[s]
            }
            var e = level.entries + Int(slot.start)
            let stop = e + Int(slot.count)
            var done: Int32 = -1
            while e < stop {
                let box = e.pointee.box
                if e.pointee.fence != done && latitudeE7 >= box.minLatitude && latitudeE7 <= box.maxLatitude
                    && longitudeE7 >= box.minLongitude && longitudeE7 <= box.maxLongitude
                {
                    if body(Int(e.pointee.fence), e.pointee.segment) { done = e.pointee.fence }
                }
                e += 1
            }
        }
    }
}
