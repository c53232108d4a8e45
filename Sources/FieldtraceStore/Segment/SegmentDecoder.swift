import FieldtraceCore

/// Decodes segments. Keeps its scratch buffers between calls, so decoding a stream of segments
/// allocates only the output fixes.
public struct SegmentDecoder {
    private var body: [UInt8] = []
    private var columns: [Int64] = []
    private var modelled = ModelledScratch()

    public init() {}

    /// Decodes a whole segment (header and body) and appends its fixes to `output`.
    /// Verifies both checksums; never traps on corrupt input.
    @discardableResult
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into output: inout [Fix]) throws(SegmentError)
        -> SegmentHeader
    {
        let header = try decodeColumnsIntoScratch(bytes)
        do {
            try materialize(header: header, into: &output)
        } catch {
            throw .malformed("\(error)")
        }
        return header
    }

    /// Checks the header and the body's CRC, then decodes the body's columns into `columns`
    /// and `presence`: a packed body after LZ4 into `body`, a modelled one where it lies.
    private mutating func decodeColumnsIntoScratch(_ bytes: UnsafeRawBufferPointer) throws(SegmentError)
        -> SegmentHeader
    {
        let header = try SegmentHeader.decode(bytes)
        let start = header.encodedBytes
        guard bytes.count - start >= header.compressedBytes else { throw .truncated }
        let stored = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + header.compressedBytes)])
        guard CRC32C.checksum(stored) == header.bodyCRC else { throw .badBodyChecksum }
        prepareScratch(count: header.count)
        do {
            if header.version == SegmentHeader.modelledVersion {
                try columns.withUnsafeMutableBufferPointer { c throws(PackingError) in
                    try presence.withUnsafeMutableBufferPointer { p throws(PackingError) in
                        try ModelledBody.decode(
                            count: header.count, body: stored, columns: c.baseAddress!, presence: p.baseAddress!,
                            scratch: &modelled)
                    }
                }
            } else {
                guard LZ4.decompress(stored, size: header.uncompressedBytes, into: &body) else {
                    throw SegmentError.malformed("LZ4 body")
                }
                try decodePackedColumns(header: header)
            }
        } catch let error as SegmentError {
            throw error
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
    enum Slot: Int, CaseIterable {
        case time, latitude, longitude, flags, source, lag, altitude, speed, course, hdop, accuracy, satellites
        static let firstOptional = Slot.lag.rawValue
    }

    /// Presence bitmaps of the optional slots, `(count + 7) / 8` bytes each; a slot whose
    /// values are all present (or all absent) has every bit set (or clear).
    private var presence: [UInt8] = []

    /// Decodes a segment's columns without building `Fix` values, and calls `body` with a view
    /// of them (valid only inside `body`): the fastest path, for scans and aggregates.
    public mutating func decodeColumns<R>(
        _ bytes: UnsafeRawBufferPointer, _ visit: (SegmentColumns) throws -> R
    ) throws -> R {
        let header = try decodeColumnsIntoScratch(bytes)
        return try columns.withUnsafeBufferPointer { c in
            try presence.withUnsafeBufferPointer { p in
                try visit(SegmentColumns(header: header, columns: c.baseAddress!, presence: p.baseAddress!))
            }
        }
    }

    /// Column and presence buffers for `n` fixes.
    private mutating func prepareScratch(count n: Int) {
        let slots = Slot.allCases.count
        let bitmapBytes = (n + 7) / 8
        if columns.count < n * slots { columns = [Int64](repeating: 0, count: n * slots) }
        if presence.count < bitmapBytes * (slots - Slot.firstOptional) {
            presence = [UInt8](repeating: 0, count: bitmapBytes * (slots - Slot.firstOptional))
        }
    }

    private mutating func decodePackedColumns(header: SegmentHeader) throws {
        let n = header.count
        let slots = Slot.allCases.count
        let bitmapBytes = (n + 7) / 8
        try body.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            try columns.withUnsafeMutableBufferPointer { all in
                try presence.withUnsafeMutableBufferPointer { bits in
                    for slot in 0..<slots {
                        let column = UnsafeMutableBufferPointer(rebasing: all[(slot * n)..<((slot + 1) * n)])
                        guard slot >= Slot.firstOptional else {
                            try ColumnCoding.decode(count: n, from: &reader, into: column)
                            continue
                        }
                        let map = UnsafeMutableBufferPointer(
                            rebasing: bits[
                                ((slot - Slot.firstOptional) * bitmapBytes)..<((slot - Slot.firstOptional + 1)
                                    * bitmapBytes)])
                        let m = try Self.decodePresence(count: n, from: &reader, into: map)
                        guard m > 0 else { continue }
                        let unit = Int(try reader.u8())
                        guard unit < ColumnUnit.table.count else { throw PackingError.malformed("unit") }
                        try ColumnCoding.decode(count: m, from: &reader, into: column)
                        if unit != 0 {
                            for k in 0..<m { column[k] = ColumnUnit.expand(column[k], unit) }
                        }
                        if m < n {
                            // Spread the m present values to their fix positions, from the back.
                            var j = m - 1
                            var i = n - 1
                            while i >= 0 && j >= 0 {
                                if map[i >> 3] & (1 << UInt8(i & 7)) != 0 {
                                    column[i] = column[j]
                                    j -= 1
                                }
                                i -= 1
                            }
                        }
                    }
                }
            }
            guard reader.remaining == 0 else {
                throw PackingError.malformed("\(reader.remaining) bytes after the columns")
            }
        }
    }

    private func materialize(header: SegmentHeader, into output: inout [Fix]) throws {
        let n = header.count
        let bitmapBytes = (n + 7) / 8
        output.reserveCapacity(output.count + n)
        let device = header.device
        try columns.withUnsafeBufferPointer { c in
            try presence.withUnsafeBufferPointer { bits in
                let time = c.baseAddress!
                let lat = time + n
                let lon = time + 2 * n
                let flags = time + 3 * n
                let source = time + 4 * n
                let lag = time + 5 * n
                let altitude = time + 6 * n
                let speed = time + 7 * n
                let course = time + 8 * n
                let hdop = time + 9 * n
                let accuracy = time + 10 * n
                let sats = time + 11 * n
                let p = bits.baseAddress!
                var previous = Int64.min
                for i in 0..<n {
                    let t = time[i]
                    let la = lat[i]
                    let lo = lon[i]
                    guard t > previous, la >= -900_000_000, la <= 900_000_000, lo >= -1_800_000_000,
                        lo <= 1_800_000_000
                    else { throw PackingError.malformed("fix \(i) out of order or range") }
                    previous = t
                    let byte = i >> 3
                    let bit = UInt8(1) << UInt8(i & 7)
                    @inline(__always) func has(_ k: Int) -> Bool { p[k * bitmapBytes + byte] & bit != 0 }
                    output.append(
                        Fix(
                            device: device, timeMs: t, receivedMs: has(0) ? t &+ lag[i] : nil,
                            latitudeE7: Int32(truncatingIfNeeded: la), longitudeE7: Int32(truncatingIfNeeded: lo),
                            altitudeM: has(1) ? Double(altitude[i]) / StorageResolution.altitudePerMeter : nil,
                            speedMps: has(2) ? Double(speed[i]) / StorageResolution.speedPerMeterPerSecond : nil,
                            courseDeg: has(3) ? Double(course[i]) / StorageResolution.coursePerDegree : nil,
                            hdop: has(4) ? Double(hdop[i]) / StorageResolution.hdopPerUnit : nil,
                            accuracyM: has(5) ? Double(accuracy[i]) / StorageResolution.accuracyPerMeter : nil,
                            satellites: has(6) ? UInt8(truncatingIfNeeded: sats[i]) : nil,
                            flags: FixFlags(rawValue: UInt16(truncatingIfNeeded: flags[i])),
                            source: SourceProtocol(rawValue: UInt8(truncatingIfNeeded: source[i])) ?? .unknown))
                }
            }
        }
    }

    /// Reads a presence map (mode 0 none, 1 all, 2 bitmap) into `map`; returns how many are set.
    private static func decodePresence(
        count n: Int, from reader: inout ByteReader, into map: UnsafeMutableBufferPointer<UInt8>
    ) throws -> Int {
        switch try reader.u8() {
        case 0:
            for k in map.indices { map[k] = 0 }
            return 0
        case 1:
            for k in map.indices { map[k] = 0xFF }
            return n
        case 2:
            let bitmap = try reader.take(map.count)
            var m = 0
            for k in map.indices {
                var byte = bitmap[k]
                if k == map.count - 1 && n & 7 != 0 { byte &= UInt8((1 << (n & 7)) - 1) }
                map[k] = byte
                m += byte.nonzeroBitCount
            }
            return m
        default:
            throw PackingError.malformed("presence mode")
        }
    }
}

/// A borrowed, columnar view of a decoded segment (see `SegmentDecoder.decodeColumns`).
/// Absent optional values read as `nil`.
public struct SegmentColumns {
    public let header: SegmentHeader
    let columns: UnsafePointer<Int64>
    let presence: UnsafePointer<UInt8>

    init(header: SegmentHeader, columns: UnsafePointer<Int64>, presence: UnsafePointer<UInt8>) {
        self.header = header
        self.columns = columns
        self.presence = presence
    }

    public var count: Int { header.count }

    @inline(__always) func slot(_ s: SegmentDecoder.Slot) -> UnsafePointer<Int64> { columns + s.rawValue * count }

    @inline(__always) func has(_ s: SegmentDecoder.Slot, _ i: Int) -> Bool {
        presence[(s.rawValue - SegmentDecoder.Slot.firstOptional) * ((count + 7) / 8) + (i >> 3)] & (1 << UInt8(i & 7))
            != 0
    }

    @inline(__always) public func timeMs(_ i: Int) -> Int64 { slot(.time)[i] }
    @inline(__always) public func latitudeE7(_ i: Int) -> Int32 { Int32(truncatingIfNeeded: slot(.latitude)[i]) }
    @inline(__always) public func longitudeE7(_ i: Int) -> Int32 { Int32(truncatingIfNeeded: slot(.longitude)[i]) }
    @inline(__always) public func flags(_ i: Int) -> FixFlags {
        FixFlags(rawValue: UInt16(truncatingIfNeeded: slot(.flags)[i]))
    }
    public func speedMps(_ i: Int) -> Double? {
        has(.speed, i) ? Double(slot(.speed)[i]) / StorageResolution.speedPerMeterPerSecond : nil
    }
    public func receivedMs(_ i: Int) -> Int64? { has(.lag, i) ? timeMs(i) &+ slot(.lag)[i] : nil }
}
