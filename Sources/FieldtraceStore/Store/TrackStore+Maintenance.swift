import FieldtraceAnalytics
import FieldtraceCore

/// What a maintenance pass did.
public struct MaintenanceReport: Sendable, Hashable {
    public var segmentsRemoved = 0
    public var segmentsWritten = 0
    public var packsDeleted = 0
    public var segmentsMoved = 0
}

extension TrackStore {
    // Every pass below follows the same crash-safe order: write new segments and sync their
    // pack; swap catalog rows in one transaction; only then delete what nothing references.
    // A crash before the swap leaves unreferenced bytes; after it, only garbage to collect.

    /// Merges a device's overlapping level-0 segments (late data, resends) and runs of small
    /// ones into clean segments, then collects garbage.
    @discardableResult
    public func compact(device: DeviceID) throws -> MaintenanceReport {
        lock.lock()
        defer { lock.unlock() }
        var report = MaintenanceReport()
        let entries = try catalog.segments(device: device, level: 0)
        let small = options.segmentMaxFixes / 2
        var groups: [[SegmentEntry]] = []
        var group: [SegmentEntry] = []
        var groupEnd = Int64.min
        for entry in entries {
            let overlaps = entry.t0 <= groupEnd
            let joinsSmall =
                !group.isEmpty && entry.count < small && group.allSatisfy { $0.count < small }
                && group.reduce(entry.count, { $0 + $1.count }) <= options.segmentMaxFixes
                && entry.t1 - group[0].t0 < options.segmentMaxSpanMs
            if overlaps || joinsSmall {
                group.append(entry)
            } else {
                if group.count > 1 { groups.append(group) }
                group = [entry]
            }
            groupEnd = max(groupEnd, entry.t1)
        }
        if group.count > 1 { groups.append(group) }
        var decoder = SegmentDecoder()
        for group in groups {
            var fixes: [Fix] = []
            var ranks: [Int64] = []
            for entry in group {
                try readSegment(entry, with: &decoder, into: &fixes)
                ranks += Array(repeating: entry.id, count: fixes.count - ranks.count)
            }
            let merged = Self.mergeSorted(fixes, ranks: ranks)
            let (encoded, headers) = encodeSegments(merged, chunkRanges(merged), level: 0)
            try writeAndSwap(encoded: encoded, headers: headers, removing: group.map(\.id))
            report.segmentsRemoved += group.count
            report.segmentsWritten += encoded.count
        }
        let gc = try collectGarbage()
        report.packsDeleted = gc.packsDeleted
        report.segmentsMoved = gc.segmentsMoved
        return report
    }

    /// Deletes packs nothing references, and rewrites packs that are mostly dead (or that
    /// held erased data, `forcing`) by copying their live segments verbatim to the current pack.
    @discardableResult
    func collectGarbage(forcing extra: Set<String> = []) throws -> (packsDeleted: Int, segmentsMoved: Int) {
        let forcing = extra.union(try catalog.pendingScrubs())
        if !forcing.isEmpty, let current = packs.currentName, forcing.contains(current) { packs.close() }
        var live: [String: [SegmentEntry]] = [:]
        for entry in try catalog.allSegments() { live[entry.file, default: []].append(entry) }
        var deleted = 0
        var moved = 0
        let names = try packs.packNames()
        for file in forcing where !names.contains(file) { try catalog.clearScrub(file) }  // already gone
        for name in names where name != packs.currentName {
            let entries = live[name] ?? []
            let liveBytes = entries.reduce(0) { $0 + $1.length }
            let size = try packs.size(of: name)
            guard entries.isEmpty || forcing.contains(name) || liveBytes * 2 < size else { continue }
            if !entries.isEmpty {
                let copies = try entries.map { try packs.read(file: name, offset: $0.offset, length: $0.length) }
                let placed = try packs.append(copies)
                var headers = entries
                for i in headers.indices {
                    headers[i].file = placed[i].file
                    headers[i].offset = placed[i].offset
                    headers[i].length = placed[i].length
                }
                // Same rows, new places: ids (the "stored first" rank of replay) do not change.
                try catalog.relocate(headers)
                moved += entries.count
            }
            try packs.remove(name)
            if forcing.contains(name) { try catalog.clearScrub(name) }
            deleted += 1
        }
        return (deleted, moved)
    }

    /// Applies retention: per device (its own policy, else its tenant's), level-0 segments
    /// older than `rawDays` are dropped, leaving their level-1 simplified copy (written at seal;
    /// made now, `TimeAwareSimplifier` at 5 m, for segments that have none: stores written
    /// without `levelOneToleranceMeters`), and everything older than `allDays` is dropped.
    @discardableResult
    public func applyRetention(nowMs: Int64) throws -> MaintenanceReport {
        lock.lock()
        defer { lock.unlock() }
        var report = MaintenanceReport()
        let day: Int64 = 86_400_000
        var decoder = SegmentDecoder()
        for (device, _) in try catalog.devices() {
            let policy = try catalog.retention(for: device)
            if let allDays = policy.allDays {
                let cutoff = nowMs - Int64(allDays) * day
                let expired =
                    (try catalog.segments(device: device, level: 0) + catalog.segments(device: device, level: 1))
                    .filter { $0.t1 < cutoff }
                if !expired.isEmpty {
                    try writeAndSwap(encoded: [], headers: [], removing: expired.map(\.id))
                    report.segmentsRemoved += expired.count
                }
            }
            if let rawDays = policy.rawDays {
                let cutoff = nowMs - Int64(rawDays) * day
                let copies = try catalog.segments(device: device, level: 1)
                for entry in try catalog.segments(device: device, level: 0) where entry.t1 < cutoff {
                    // Segments sealed with `levelOneToleranceMeters` set have their copy already.
                    if copies.contains(where: { $0.t0 <= entry.t1 && $0.t1 >= entry.t0 }) {
                        try writeAndSwap(encoded: [], headers: [], removing: [entry.id])
                        report.segmentsRemoved += 1
                        continue
                    }
                    var fixes: [Fix] = []
                    try readSegment(entry, with: &decoder, into: &fixes)
                    let simplified = TimeAwareSimplifier.simplify(fixes)
                    let (encoded, headers) = encodeSegments(simplified, chunkRanges(simplified), level: 1)
                    try writeAndSwap(encoded: encoded, headers: headers, removing: [entry.id])
                    report.segmentsRemoved += 1
                    report.segmentsWritten += encoded.count
                }
            }
        }
        let gc = try collectGarbage()
        report.packsDeleted = gc.packsDeleted
        report.segmentsMoved = gc.segmentsMoved
        return report
    }

    /// Erases a device: its catalog rows, its buffered fixes, and its bytes in every pack
    /// (packs that held them are rewritten without them and deleted). The erasure is recorded in
    /// the catalog, so its fixes still in the WAL are never replayed; the WAL files holding them
    /// are deleted by later checkpoints.
    @discardableResult
    public func erase(device: DeviceID) throws -> MaintenanceReport {
        lock.lock()
        defer { lock.unlock() }
        let through = wal.lastDurableSequence
        let removed = try catalog.eraseDevice(device, throughSequence: through, erasedMs: Self.clockMs())
        erasures[device] = through
        buffers.removeValue(forKey: device)
        let gc = try collectGarbage(forcing: Set(removed.map(\.file)))
        return MaintenanceReport(
            segmentsRemoved: removed.count, segmentsWritten: 0, packsDeleted: gc.packsDeleted,
            segmentsMoved: gc.segmentsMoved)
    }
}
