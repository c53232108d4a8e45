import FieldtraceCore

extension TrackStore {
    /// A device's fixes with `from <= time <= to`, in time order, duplicates dropped (the
    /// first stored copy of a fix time wins), from segments of `level` and, at level 0, the
    /// fixes still buffered. Segments that overlap (late data lands in its own) are merged.
    public func replay(device: DeviceID, from: Int64 = .min, to: Int64 = .max, level: Int = 0) throws -> [Fix] {
        let (entries, blobs, buffered) = try snapshot(device: device, from: from, to: to, level: level)
        // The common case: segments that do not overlap and nothing buffered before their end.
        // Decode straight into the result, with no merge and no intermediate copies.
        let disjoint = zip(entries, entries.dropFirst()).allSatisfy { $0.t1 < $1.t0 }
        let bufferedAfter =
            buffered.isEmpty
            || (buffered.first!.timeMs > (entries.last?.t1 ?? .min)
                && zip(buffered, buffered.dropFirst()).allSatisfy { $0.timeMs < $1.timeMs })
        guard disjoint && bufferedAfter else {
            var out: [Fix] = []
            try replay(device: device, from: from, to: to, level: level) { out += $0 }
            return out
        }
        var out: [Fix] = []
        out.reserveCapacity(entries.reduce(buffered.count) { $0 + $1.count })
        var decoder = SegmentDecoder()
        for (entry, bytes) in zip(entries, blobs) {
            if entry.t0 >= from && entry.t1 <= to {
                try decodeSegment(bytes, of: entry, with: &decoder, into: &out)
            } else {
                // Only the first and last segment of a range reach past it.
                var part: [Fix] = []
                try decodeSegment(bytes, of: entry, with: &decoder, into: &part)
                out += part.lazy.filter { $0.timeMs >= from && $0.timeMs <= to }
            }
        }
        out += buffered
        return out
    }

    /// Streams the replay in chunks: one chunk per run of overlapping segments, so memory stays
    /// bounded by the largest overlap, not the whole range.
    public func replay(
        device: DeviceID, from: Int64 = .min, to: Int64 = .max, level: Int = 0, _ body: ([Fix]) throws -> Void
    ) throws {
        let (entries, blobs, buffered) = try snapshot(device: device, from: from, to: to, level: level)
        let bytesByID = Dictionary(uniqueKeysWithValues: zip(entries.map(\.id), blobs))
        // Sources in start-time order: segments, and the buffer as one more source.
        var sources: [(t0: Int64, t1: Int64, entry: SegmentEntry?)] = entries.map { ($0.t0, $0.t1, $0) }
        if let first = buffered.map(\.timeMs).min(), let last = buffered.map(\.timeMs).max() {
            sources.append((first, last, nil))
            sources.sort { ($0.t0, $0.entry == nil ? 1 : 0) < ($1.t0, $1.entry == nil ? 1 : 0) }
        }
        var decoder = SegmentDecoder()
        var cluster: [Fix] = []
        var ranks: [Int64] = []
        var clusterEnd = Int64.min
        func emit() throws {
            guard !cluster.isEmpty else { return }
            var merged = Self.mergeSorted(cluster, ranks: ranks)
            cluster.removeAll(keepingCapacity: true)
            ranks.removeAll(keepingCapacity: true)
            merged.removeAll { $0.timeMs < from || $0.timeMs > to }
            if !merged.isEmpty { try body(merged) }
        }
        for source in sources {
            if source.t0 > clusterEnd { try emit() }
            clusterEnd = max(clusterEnd, source.t1)
            guard let entry = source.entry else {
                cluster += buffered
                ranks += Array(repeating: Int64.max, count: buffered.count)
                continue
            }
            let bytes = bytesByID[entry.id] ?? []
            try decodeSegment(bytes, of: entry, with: &decoder, into: &cluster)
            ranks += Array(repeating: entry.id, count: cluster.count - ranks.count)
        }
        try emit()
    }

    /// The segments of a range, their bytes and the buffered fixes, read under the store lock:
    /// a consistent view (a concurrent cut moves fixes from the buffer into a segment, a
    /// concurrent garbage collection moves segments between packs, both under the same lock).
    func snapshot(device: DeviceID, from: Int64, to: Int64, level: Int) throws -> (
        entries: [SegmentEntry], blobs: [[UInt8]], buffered: [Fix]
    ) {
        lock.lock()
        defer { lock.unlock() }
        let entries = try catalog.segments(device: device, level: level, from: from, to: to)
        let blobs = try entries.map { try packs.read(file: $0.file, offset: $0.offset, length: $0.length) }
        let buffered =
            level == 0 ? buffers[device]?.fixes(from: from, to: to) ?? [] : []
        return (entries, blobs, buffered)
    }

    /// Sorts by time; of equal times keeps the copy stored first (lowest rank: segment id, the
    /// buffer last).
    static func mergeSorted(_ fixes: [Fix], ranks: [Int64]) -> [Fix] {
        var sorted = true
        for i in fixes.indices.dropFirst() where fixes[i].timeMs <= fixes[i - 1].timeMs {
            sorted = false
            break
        }
        if sorted { return fixes }
        let order = fixes.indices.sorted { (fixes[$0].timeMs, ranks[$0], $0) < (fixes[$1].timeMs, ranks[$1], $1) }
        var out: [Fix] = []
        out.reserveCapacity(fixes.count)
        for i in order where out.last?.timeMs != fixes[i].timeMs { out.append(fixes[i]) }
        return out
    }

    /// Devices that had a fix inside the box during `[from, to]` (segments and buffers).
    public func devicesInside(
        minLatitudeE7: Int32, maxLatitudeE7: Int32, minLongitudeE7: Int32, maxLongitudeE7: Int32, from: Int64,
        to: Int64
    ) throws -> [DeviceID] {
        func inside(_ f: Fix) -> Bool {
            f.timeMs >= from && f.timeMs <= to && f.latitudeE7 >= minLatitudeE7 && f.latitudeE7 <= maxLatitudeE7
                && f.longitudeE7 >= minLongitudeE7 && f.longitudeE7 <= maxLongitudeE7
        }
        var found = Set<DeviceID>()
        var decoder = SegmentDecoder()
        lock.lock()
        defer { lock.unlock() }  // a consistent view of catalog, packs and buffers
        for entry in try catalog.candidateDevices(
            minLatitudeE7: minLatitudeE7, maxLatitudeE7: maxLatitudeE7, minLongitudeE7: minLongitudeE7,
            maxLongitudeE7: maxLongitudeE7, from: from, to: to)
        where !found.contains(entry.device) {
            var fixes: [Fix] = []
            try readSegment(entry, with: &decoder, into: &fixes)
            if fixes.contains(where: inside) { found.insert(entry.device) }
        }
        for (device, buffer) in buffers
        where !found.contains(device)
            && buffer.hasFix(
                from: from, to: to, minLatitudeE7: minLatitudeE7, maxLatitudeE7: maxLatitudeE7,
                minLongitudeE7: minLongitudeE7, maxLongitudeE7: maxLongitudeE7)
        {
            found.insert(device)
        }
        return found.sorted()
    }
}

public enum StoreError: Error, Sendable, CustomStringConvertible {
    case damagedSegment(entry: SegmentEntry, detail: String)
    public var description: String {
        switch self {
        case .damagedSegment(let e, let detail):
            "segment \(e.id) of \(e.device) in \(e.file) at \(e.offset) is damaged: \(detail)"
        }
    }
}
