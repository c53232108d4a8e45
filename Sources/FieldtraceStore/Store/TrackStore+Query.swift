import FieldtraceCore
import GRDB
import Synchronization

/// What the query API needs beyond replay: each device's newest fix, and where a device's
/// stored track begins and ends.
extension TrackStore {
    /// The newest stored fix of each device (level-0 segments and the buffer; on equal times the
    /// copy stored first, as replay keeps); devices with no fix are absent from the result.
    ///
    /// Per device: one indexed catalog query (O(log segments)) and, when the newest fix is in a
    /// segment, that segment decoded once: `cache` keeps the newest fix of segments already
    /// decoded (segments are immutable), so repeated calls decode only segments new since.
    /// Devices are taken `devicesPerLock` at a time under the store lock (a consistent view of
    /// catalog, packs and buffers without holding appends back for long).
    public func latestFixes(devices: [DeviceID], cache: SegmentTailCache? = nil) throws -> [DeviceID: Fix] {
        let devicesPerLock = 256
        var result: [DeviceID: Fix] = [:]
        result.reserveCapacity(devices.count)
        var decoder = SegmentDecoder()
        var decoded: [Fix] = []
        for start in stride(from: 0, to: devices.count, by: devicesPerLock) {
            let slice = devices[start..<min(devices.count, start + devicesPerLock)]
            var reads: [(device: DeviceID, entry: SegmentEntry, bytes: [UInt8])] = []
            try withLock {
                let newest = try catalog.newestSegments(
                    devices: Array(slice), level: 0, maxSpanMs: options.segmentMaxSpanMs)
                for device in slice {
                    let buffered = buffers[device]?.newest
                    // A segment's copy was stored before the buffer's: it wins a tie.
                    if let entry = newest[device], entry.t1 >= (buffered?.timeMs ?? .min) {
                        if let fix = cache?.fix(segment: entry.id) {
                            result[device] = fix
                        } else {
                            reads.append(
                                (
                                    device, entry,
                                    try packs.read(file: entry.file, offset: entry.offset, length: entry.length)
                                ))
                        }
                    } else if let buffered {
                        result[device] = buffered
                    }
                }
            }
            for read in reads {
                decoded.removeAll(keepingCapacity: true)
                try decodeSegment(read.bytes, of: read.entry, with: &decoder, into: &decoded)
                guard var newest = decoded.first else { continue }
                for fix in decoded where fix.timeMs > newest.timeMs { newest = fix }
                cache?.insert(newest, segment: read.entry.id)
                result[read.device] = newest
            }
        }
        return result
    }

    /// The first and last fix times stored for a device at any level (segments and buffer),
    /// `nil` when it has none. Two indexed catalog queries per level.
    public func fixTimeBounds(device: DeviceID) throws -> ClosedRange<Int64>? {
        try withLock {
            var times: [Int64] = buffers[device]?.records.map(\.timeMs) ?? []
            for level in 0...1 {
                if let bounds = try catalog.segmentBounds(
                    device: device, level: level, maxSpanMs: options.segmentMaxSpanMs)
                {
                    times += [bounds.lowerBound, bounds.upperBound]
                }
            }
            guard let first = times.min(), let last = times.max() else { return nil }
            return first...last
        }
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// The newest fix of segments already decoded, by segment id (ids are never reused and a
/// segment's fixes never change, so an entry never goes stale). Bounded: at `capacity` entries
/// it is emptied and refills, which costs one decode per device.
public final class SegmentTailCache: Sendable {
    private let entries = Mutex<[Int64: Fix]>([:])
    /// Most segments remembered: 100,000, a fix each (about 15 MB), one per device of a large fleet.
    public let capacity: Int

    public init(capacity: Int = 100_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    public func fix(segment id: Int64) -> Fix? { entries.withLock { $0[id] } }

    public func insert(_ fix: Fix, segment id: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = fix
        }
    }

    public var count: Int { entries.withLock { $0.count } }
}

extension Catalog {
    /// For each device, its level segment with the greatest `t1` (lowest id on a tie). A
    /// segment spans at most `maxSpanMs`, so that segment starts at most `maxSpanMs` before the
    /// latest start: the query reads only that window of the (device, level, t0) index.
    public func newestSegments(devices: [DeviceID], level: Int, maxSpanMs: Int64) throws -> [DeviceID: SegmentEntry] {
        try pool.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT * FROM segments
                    WHERE device = ?1 AND level = ?2
                      AND t0 >= (SELECT max(t0) FROM segments WHERE device = ?1 AND level = ?2) - ?3
                    ORDER BY t1 DESC, id LIMIT 1
                    """)
            var out: [DeviceID: SegmentEntry] = [:]
            for device in devices {
                if let row = try Row.fetchOne(statement, arguments: [device.rawValue, level, maxSpanMs]) {
                    out[device] = try Self.entry(row)
                }
            }
            return out
        }
    }

    /// The smallest `t0` and greatest `t1` of a device's segments at a level (see `newestSegments`).
    public func segmentBounds(device: DeviceID, level: Int, maxSpanMs: Int64) throws -> ClosedRange<Int64>? {
        try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT min(t0) FROM segments WHERE device = ?1 AND level = ?2) AS first,
                           (SELECT max(t1) FROM segments WHERE device = ?1 AND level = ?2
                              AND t0 >= (SELECT max(t0) FROM segments WHERE device = ?1 AND level = ?2) - ?3) AS last
                    """, arguments: [device.rawValue, level, maxSpanMs])
            guard let first = row?["first"] as Int64?, let last = row?["last"] as Int64? else { return nil }
            return first...last
        }
    }
}
