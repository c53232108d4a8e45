import FieldtraceCore

/// What `verify` found: counts and every problem, each with where it is.
public struct VerifyReport: Sendable {
    public var segmentsChecked = 0
    public var fixesChecked = 0
    public var walRecordsChecked = 0
    public var problems: [String] = []
    public var isClean: Bool { problems.isEmpty }
}

/// Sizes and counts of a data directory.
public struct StoreStats: Sendable {
    public var devices = 0
    public var segments = 0
    public var fixes = 0
    public var segmentBytes = 0
    public var packFiles = 0
    public var packBytes = 0
    public var walBytes = 0
    public var bufferedFixes = 0
    public var levelOneSegments = 0
    /// Segment bytes per level-0 fix.
    public var bytesPerFix: Double { fixes == 0 ? 0 : Double(segmentBytes) / Double(fixes) }
}

extension TrackStore {
    /// Checks every segment the catalog points at (both CRCs, a full decode, and that the
    /// header agrees with the catalog row), that no two rows claim the same bytes, and that
    /// every WAL record's CRC holds. Reads only.
    public func verify() throws -> VerifyReport {
        var report = VerifyReport()
        var decoder = SegmentDecoder()
        var lastEnd: [String: Int] = [:]
        var sizes: [String: Int] = [:]
        for entry in try catalog.allSegments() {
            report.segmentsChecked += 1
            let place = "segment \(entry.id) (\(entry.device), \(entry.file)@\(entry.offset))"
            if sizes[entry.file] == nil { sizes[entry.file] = (try? packs.size(of: entry.file)) ?? -1 }
            guard let size = sizes[entry.file], size >= 0 else {
                report.problems.append("\(place): pack file missing")
                continue
            }
            guard entry.offset >= 0, entry.length > 0, entry.offset + entry.length <= size else {
                report.problems.append("\(place): beyond the end of its pack (\(size) bytes)")
                continue
            }
            if let end = lastEnd[entry.file], entry.offset < end {
                report.problems.append("\(place): overlaps the previous segment in its pack")
            }
            lastEnd[entry.file] = entry.offset + entry.length
            let bytes = try packs.read(file: entry.file, offset: entry.offset, length: entry.length)
            var fixes: [Fix] = []
            do {
                let header = try bytes.withUnsafeBytes { try decoder.decode($0, into: &fixes) }
                if header.device != entry.device || header.count != entry.count || header.t0 != entry.t0
                    || header.t1 != entry.t1 || Int(header.level) != entry.level
                    || header.minLatitudeE7 != entry.minLatitudeE7 || header.maxLatitudeE7 != entry.maxLatitudeE7
                    || header.minLongitudeE7 != entry.minLongitudeE7 || header.maxLongitudeE7 != entry.maxLongitudeE7
                {
                    report.problems.append("\(place): header disagrees with the catalog")
                }
                if header.totalBytes != entry.length {
                    report.problems.append("\(place): length \(entry.length), segment says \(header.totalBytes)")
                }
                report.fixesChecked += fixes.count
            } catch {
                report.problems.append("\(place): \(error)")
            }
        }
        // The WAL, read-only: every record's framing and CRC, sequences contiguous.
        let walDirectory = directory + "/wal"
        var expected: UInt64?
        for name in try fs.list(walDirectory).filter({ $0.hasSuffix(".wal") }).sorted() {
            let file = try fs.open(walDirectory + "/" + name, create: false)
            let bytes = try file.read(at: 0, count: try file.size())
            file.close()
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    guard
                        case .record(let payload, let end) = WALRecord.parse(
                            raw, at: offset, maxPayload: wal.configuration.maxRecordBytes)
                    else {
                        report.problems.append("wal \(name) at \(offset): damaged or incomplete record")
                        break
                    }
                    let sequence = UInt64(
                        littleEndian: raw.loadUnaligned(fromByteOffset: payload.lowerBound, as: UInt64.self))
                    if let e = expected, sequence != e {
                        report.problems.append("wal \(name) at \(offset): sequence \(sequence), expected \(e)")
                    }
                    expected = sequence + 1
                    report.walRecordsChecked += 1
                    offset = end
                }
            }
        }
        return report
    }

    public func stats() throws -> StoreStats {
        var stats = StoreStats()
        stats.devices = try catalog.devices().count
        for entry in try catalog.allSegments() {
            if entry.level == 0 {
                stats.segments += 1
                stats.fixes += entry.count
                stats.segmentBytes += entry.length
            } else {
                stats.levelOneSegments += 1
            }
        }
        for name in try packs.packNames() {
            stats.packFiles += 1
            stats.packBytes += (try? packs.size(of: name)) ?? 0
        }
        for name in try fs.list(directory + "/wal") where name.hasSuffix(".wal") {
            let file = try fs.open(directory + "/wal/" + name, create: false)
            stats.walBytes += try file.size()
            file.close()
        }
        lock.lock()
        stats.bufferedFixes = buffers.values.reduce(0) { $0 + $1.count }
        lock.unlock()
        return stats
    }
}
