import FieldtraceCore

/// Decodes segments. Keeps its scratch buffers between calls, so decoding a stream of segments
/// allocates only the output fixes.
public struct SegmentDecoder {
    private var body: [UInt8] = []
    private var columns: [Int64] = []
    private var present: [Bool] = []

    public init() {}

    /// Decodes a whole segment (header and body) and appends its fixes to `output`.
    /// Verifies both checksums; never traps on corrupt input.
    @discardableResult
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into output: inout [Fix]) throws(SegmentError)
        -> SegmentHeader
    {
        let header = try SegmentHeader.decode(bytes)
        let start = header.encodedBytes
        guard bytes.count - start >= header.compressedBytes else { throw .truncated }
        let compressed = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + header.compressedBytes)])
        guard CRC32C.checksum(compressed) == header.bodyCRC else { throw .badBodyChecksum }
        guard LZ4.decompress(compressed, size: header.uncompressedBytes, into: &body) else {
            throw .malformed("LZ4 body")
        }
        do {
            try decodeBody(header: header, into: &output)
        } catch {
            throw .malformed("\(error)")
        }
        return header
    }

    public mutating func decode(_ bytes: [UInt8]) throws(SegmentError) -> [Fix] {
        var fixes: [Fix] = []
        do {
            try bytes.withUnsafeBytes { raw in _ = try decode(raw, into: &fixes) }
        } catch let error as SegmentError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
        return fixes
    }

    /// Column slots in `columns`, each `count` long.
    private enum Slot: Int, CaseIterable {
        case time, latitude, longitude, flags, source, lag, altitude, speed, course, hdop, accuracy, satellites
    }

    private mutating func decodeBody(header: SegmentHeader, into output: inout [Fix]) throws {
        let n = header.count
        let slots = Slot.allCases.count
        if columns.count < n * slots { columns = [Int64](repeating: 0, count: n * slots) }
        if present.count < n * slots { present = [Bool](repeating: false, count: n * slots) }
        var presentCount = [Int](repeating: n, count: slots)
        try body.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            try columns.withUnsafeMutableBufferPointer { all in
                for slot in Slot.allCases {
                    let column = UnsafeMutableBufferPointer(
                        rebasing: all[(slot.rawValue * n)..<((slot.rawValue + 1) * n)])
                    if slot.rawValue >= Slot.lag.rawValue {
                        var flags = [Bool](repeating: false, count: n)
                        let m = try Presence.decode(count: n, from: &reader, into: &flags)
                        for i in 0..<n { present[slot.rawValue * n + i] = flags[i] }
                        presentCount[slot.rawValue] = m
                        if m > 0 {
                            let unit = Int(try reader.u8())
                            guard unit < ColumnUnit.table.count else { throw PackingError.malformed("unit") }
                            try ColumnCoding.decode(count: m, from: &reader, into: column)
                            if unit != 0 {
                                for k in 0..<m { column[k] = ColumnUnit.expand(column[k], unit) }
                            }
                        }
                    } else {
                        try ColumnCoding.decode(count: n, from: &reader, into: column)
                    }
                }
            }
            guard reader.remaining == 0 else {
                throw PackingError.malformed("\(reader.remaining) bytes after the columns")
            }
        }
        output.reserveCapacity(output.count + n)
        var cursor = [Int](repeating: 0, count: slots)
        func next(_ slot: Slot, _ i: Int) -> Int64? {
            guard present[slot.rawValue * n + i] else { return nil }
            defer { cursor[slot.rawValue] += 1 }
            return columns[slot.rawValue * n + cursor[slot.rawValue]]
        }
        var previousTime = Int64.min
        for i in 0..<n {
            let time = columns[Slot.time.rawValue * n + i]
            let lat = columns[Slot.latitude.rawValue * n + i]
            let lon = columns[Slot.longitude.rawValue * n + i]
            guard time > previousTime, lat >= -900_000_000, lat <= 900_000_000, lon >= -1_800_000_000,
                lon <= 1_800_000_000
            else { throw PackingError.malformed("fix \(i) out of range") }
            previousTime = time
            let lag = next(.lag, i)
            let altitude = next(.altitude, i)
            let speed = next(.speed, i)
            let course = next(.course, i)
            let hdop = next(.hdop, i)
            let accuracy = next(.accuracy, i)
            let sats = next(.satellites, i)
            output.append(
                Fix(
                    device: header.device, timeMs: time, receivedMs: lag.map { time &+ $0 },
                    latitudeE7: Int32(lat), longitudeE7: Int32(lon),
                    altitudeM: altitude.map { Double($0) / StorageResolution.altitudePerMeter },
                    speedMps: speed.map { Double($0) / StorageResolution.speedPerMeterPerSecond },
                    courseDeg: course.map { Double($0) / StorageResolution.coursePerDegree },
                    hdop: hdop.map { Double($0) / StorageResolution.hdopPerUnit },
                    accuracyM: accuracy.map { Double($0) / StorageResolution.accuracyPerMeter },
                    satellites: sats.map { UInt8(truncatingIfNeeded: $0) },
                    flags: FixFlags(rawValue: UInt16(truncatingIfNeeded: columns[Slot.flags.rawValue * n + i])),
                    source: SourceProtocol(rawValue: UInt8(truncatingIfNeeded: columns[Slot.source.rawValue * n + i]))
                        ?? .unknown))
        }
        _ = presentCount
    }
}
