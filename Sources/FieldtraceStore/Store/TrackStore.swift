import FieldtraceAnalytics
import FieldtraceCore
import Foundation

/// Settings of a data directory. Each default says why.
public struct StoreOptions: Sendable {
    /// Most fixes per segment: an hour at 1 Hz. Small enough that a replay window decodes
    /// little beyond it, large enough that the 60-odd header bytes vanish per fix.
    public var segmentMaxFixes = 3600
    /// Longest time span of a segment: 12 hours. A slow tracker's segment is then cut by
    /// `segmentMaxFixes` (3,600 fixes are 10 hours at 0.1 Hz), so its header and the coder's
    /// learning are spread over many fixes (0.1 Hz: 4.2 bytes per fix in hour-long segments,
    /// 3.63 in 10-hour ones), while replaying any window still decodes at most 3,600 fixes beyond
    /// it, as for a 1 Hz hour. The cap keeps a sparse tracker's segment within half a day, so
    /// retention by days drops data close to its age.
    public var segmentMaxSpanMs: Int64 = 43_200_000
    /// Pack file size before rolling: 256 MiB keeps file counts low and GC rewrites bounded.
    public var packMaxBytes = 256 << 20
    /// WAL group commit window, microseconds (see `WALConfiguration`).
    public var walGroupCommitMicroseconds = 1000
    public var walMaxFileBytes = 64 << 20
    /// Tolerance of the level-1 simplified copy written beside every level-0 segment when it is
    /// sealed (`TimeAwareSimplifier`, synchronized Euclidean distance), metres; `nil` writes none.
    /// 5 m: below the error of a phone or tracker fix, so the copy draws the same street, and it
    /// keeps about 1 fix in 4 to 1 in 20 of a field worker's day, which is what map views and
    /// day overviews read (`level=1`). Retention keeps these copies after dropping raw data.
    public var levelOneToleranceMeters: Double? = TimeAwareSimplifier.defaultToleranceMeters
    public var fileSystem: StoreFileSystem = PosixFileSystem()

    public init() {}
}

/// A data directory: `wal/`, `segments/*.pack`, `catalog.sqlite`.
///
/// `append` makes a batch durable in the WAL and buffers it per device; full buffers (and
/// `flush`) become segments in a pack file, then catalog rows, then the WAL checkpoint moves past
/// them. Opening replays the WAL after the checkpoint into the buffers, so nothing acknowledged
/// is lost whatever moment a crash hits.
public final class TrackStore: @unchecked Sendable {
    public let directory: String
    let options: StoreOptions
    let fs: StoreFileSystem
    public let catalog: Catalog
    let wal: WriteAheadLog
    let packs: PackFiles
    /// What WAL recovery found when the store opened.
    public let recovery: WALRecovery
    let lock = NSLock()
    /// Fixes durable in the WAL, not yet in segments, by device; guarded by `lock`.
    var buffers: [DeviceID: DeviceBuffer] = [:]
    /// Every WAL sequence up to this one is buffered or in segments; guarded by `lock`. Appends
    /// finish out of order, so later sequences wait in `appliedAhead` until the gap closes.
    var appliedThrough: UInt64 = 0
    var appliedAhead: Set<UInt64> = []
    /// Erased devices and the last WAL sequence their erasure covers: older WAL fixes of
    /// theirs are never buffered again; guarded by `lock`.
    var erasures: [DeviceID: UInt64] = [:]

    public init(directory: String, options: StoreOptions = .init()) throws {
        self.directory = directory
        self.options = options
        self.fs = options.fileSystem
        try fs.makeDirectory(directory)
        catalog = try Catalog(path: directory + "/catalog.sqlite")
        packs = try PackFiles(directory: directory + "/segments", fs: fs, maxBytes: options.packMaxBytes)
        var walConfiguration = WALConfiguration(directory: directory + "/wal")
        walConfiguration.groupCommitWindowMicroseconds = options.walGroupCommitMicroseconds
        walConfiguration.maxFileBytes = options.walMaxFileBytes
        let checkpoint = try catalog.walCheckpoint()
        (wal, recovery) = try WriteAheadLog.open(walConfiguration, fs: fs, checkpoint: checkpoint)
        appliedThrough = checkpoint
        erasures = try catalog.erasures()
        for batch in recovery.batches { buffer(batch.fixes, sequence: batch.sequence) }
        appliedThrough = max(appliedThrough, recovery.lastSequence)
        // An erasure interrupted before its packs were rewritten finishes now.
        if try !catalog.pendingScrubs().isEmpty {
            lock.lock()
            defer { lock.unlock() }
            try collectGarbage()
        }
    }

    private func buffer(_ fixes: [Fix], sequence: UInt64) {
        for fix in fixes where erasures[fix.device].map({ sequence > $0 }) ?? true {
            buffers[fix.device, default: DeviceBuffer(device: fix.device)].append(
                fix.canonicalized(), sequence: sequence)
        }
        appliedAhead.insert(sequence)
        while appliedAhead.remove(appliedThrough + 1) != nil { appliedThrough += 1 }
    }

    /// Makes `fixes` durable; returns their WAL sequence. Blocks the calling thread for the
    /// group commit (about a millisecond).
    @discardableResult
    public func append(_ fixes: [Fix]) throws -> UInt64 {
        guard !fixes.isEmpty else { return wal.lastDurableSequence }
        let sequence = try wal.appendAndWait(fixes)
        try afterAppend(fixes, sequence: sequence)
        return sequence
    }

    /// Makes `fixes` durable without blocking a thread; returns their WAL sequence.
    @discardableResult
    public func append(_ fixes: [Fix]) async throws -> UInt64 {
        guard !fixes.isEmpty else { return wal.lastDurableSequence }
        let sequence = try await wal.append(fixes)
        try afterAppend(fixes, sequence: sequence)
        return sequence
    }

    private func afterAppend(_ fixes: [Fix], sequence: UInt64) throws {
        lock.lock()
        defer { lock.unlock() }
        buffer(fixes, sequence: sequence)
        // Only this batch's devices can have filled up: O(batch), not O(devices buffered).
        var full: [DeviceID] = []
        for fix in fixes where !full.contains(fix.device) {
            if let buffer = buffers[fix.device], buffer.count >= options.segmentMaxFixes {
                full.append(fix.device)
            }
        }
        if !full.isEmpty { try cutSegments(devices: full, keepPartial: true) }
    }

    /// Writes every buffered fix to segments and moves the WAL checkpoint past them.
    public func flush() throws {
        lock.lock()
        defer { lock.unlock() }
        try cutSegments(devices: Array(buffers.keys), keepPartial: false)
    }

    /// Cuts the buffers of `devices` into segments (lock held). With `keepPartial`, a last
    /// chunk smaller than a full segment stays buffered.
    func cutSegments(devices: [DeviceID], keepPartial: Bool) throws {
        // If writing the segments or the catalog fails, the fixes go back to the buffers: they
        // must stay counted by the checkpoint until a segment holds them.
        let saved = buffers
        var encoded: [[UInt8]] = []
        var headers: [SegmentEntry] = []
        for device in devices.sorted() {
            guard let buffer = buffers[device], !buffer.isEmpty else { continue }
            // Time order, first arrival wins on equal fix times (the natural key).
            let order = buffer.records.indices.sorted {
                (buffer.timeMs(at: $0), $0) < (buffer.timeMs(at: $1), $1)
            }
            var fixes: [Fix] = []
            var sequences: [UInt64] = []
            for i in order where fixes.last?.timeMs != buffer.timeMs(at: i) {
                fixes.append(buffer.fix(at: i))
                sequences.append(buffer.sequences[i])
            }
            var ranges = chunkRanges(fixes)
            if keepPartial, let last = ranges.last, last.count < options.segmentMaxFixes { ranges.removeLast() }
            let (chunkBytes, chunkEntries) = encodeSegments(fixes, ranges, level: 0)
            encoded += chunkBytes
            headers += chunkEntries
            if let tolerance = options.levelOneToleranceMeters {
                // The simplified copy of each sealed range, in the same pack write and catalog
                // transaction: a level-0 segment never exists without its level-1 copy.
                for range in ranges {
                    let simplified = TimeAwareSimplifier.simplify(Array(fixes[range]), toleranceMeters: tolerance)
                    let (copyBytes, copyEntries) = encodeSegments(simplified, chunkRanges(simplified), level: 1)
                    encoded += copyBytes
                    headers += copyEntries
                }
            }
            let start = ranges.last?.upperBound ?? 0
            let rest = DeviceBuffer(device: device, fixes: fixes[start...], sequences: sequences[start...])
            buffers[device] = rest.isEmpty ? nil : rest
        }
        guard !encoded.isEmpty else { return }
        let checkpoint = checkpointCandidate()
        do {
            try writeAndSwap(encoded: encoded, headers: headers, removing: [], walCheckpoint: checkpoint)
        } catch {
            buffers = saved
            throw error
        }
        try wal.checkpoint(through: checkpoint)
    }

    /// Splits time-ordered fixes into segment-sized ranges: at most `segmentMaxFixes` fixes and
    /// less than `segmentMaxSpanMs` from first to last.
    func chunkRanges(_ fixes: [Fix]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < fixes.count {
            var end = start + 1
            while end < fixes.count, end - start < options.segmentMaxFixes,
                fixes[end].timeMs - fixes[start].timeMs < options.segmentMaxSpanMs
            {
                end += 1
            }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Encodes each range as a segment; returns the bytes and their catalog rows (not yet placed).
    func encodeSegments(_ fixes: [Fix], _ ranges: [Range<Int>], level: Int) -> ([[UInt8]], [SegmentEntry]) {
        var encoded: [[UInt8]] = []
        var entries: [SegmentEntry] = []
        for range in ranges {
            let (bytes, header) = SegmentEncoder.encodeSegment(Array(fixes[range]), level: UInt8(level))
            encoded.append(bytes)
            entries.append(SegmentEntry(header: header))
        }
        return (encoded, entries)
    }

    /// Appends segments to a pack and syncs it, then adds their rows, removes `removing` and
    /// (optionally) advances the WAL checkpoint in one catalog transaction.
    func writeAndSwap(
        encoded: [[UInt8]], headers: [SegmentEntry], removing: [Int64], walCheckpoint: UInt64? = nil
    ) throws {
        var headers = headers
        if !encoded.isEmpty {
            let placed = try packs.append(encoded)
            for i in headers.indices {
                headers[i].file = placed[i].file
                headers[i].offset = placed[i].offset
                headers[i].length = placed[i].length
            }
        }
        _ = try catalog.commit(
            adding: headers, removing: removing, walCheckpoint: walCheckpoint, createdMs: Self.clockMs())
    }

    /// Decodes a segment's bytes, appending its fixes; damage names the segment.
    func decodeSegment(
        _ bytes: [UInt8], of entry: SegmentEntry, with decoder: inout SegmentDecoder, into fixes: inout [Fix]
    ) throws {
        do {
            try bytes.withUnsafeBytes { raw in _ = try decoder.decode(raw, into: &fixes) }
        } catch {
            throw StoreError.damagedSegment(entry: entry, detail: "\(error)")
        }
    }

    /// Reads a segment from its pack and decodes it, appending its fixes.
    func readSegment(_ entry: SegmentEntry, with decoder: inout SegmentDecoder, into fixes: inout [Fix]) throws {
        let bytes = try packs.read(file: entry.file, offset: entry.offset, length: entry.length)
        try decodeSegment(bytes, of: entry, with: &decoder, into: &fixes)
    }

    /// The highest WAL sequence all of whose fixes are in segments (lock held).
    func checkpointCandidate() -> UInt64 {
        let pendingMin = buffers.values.compactMap { $0.sequences.min() }.min()
        return min(pendingMin.map { $0 - 1 } ?? .max, appliedThrough)
    }

    static func clockMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Flushes nothing; stops the WAL (pending appends complete) and closes files. Buffered
    /// fixes stay in the WAL and come back on the next open.
    public func close() throws {
        try wal.close()
        packs.close()
    }
}
