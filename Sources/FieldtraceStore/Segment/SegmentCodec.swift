import FieldtraceCore

/// Encodes one device's fixes into a segment: header, then an LZ4 block of columns.
///
/// Columns, in order: time, latitude, longitude, flags, source (always present), then receive
/// lag (receive time minus fix time), altitude, speed, course, HDOP, accuracy and satellites,
/// each with a presence map. Each column is transformed (delta or delta-of-delta, whichever packs
/// smaller) and bit-packed in blocks of 32 (`BlockPacking`). Lossless for canonicalised fixes
/// (`Fix.canonicalized()`): decode returns exactly what was encoded.
public enum SegmentEncoder {
    /// Encodes `fixes`, which must be non-empty, of one device, strictly increasing in time.
    public static func encode(_ input: [Fix], level: UInt8 = 0) -> [UInt8] {
        encodeSegment(input, level: level).bytes
    }

    /// Encodes and also returns the header written (what the catalog records).
    public static func encodeSegment(_ input: [Fix], level: UInt8 = 0) -> (bytes: [UInt8], header: SegmentHeader) {
        precondition(!input.isEmpty && input.count <= SegmentLimits.maxFixes, "segment size \(input.count)")
        let device = input[0].device
        precondition(input.allSatisfy { $0.device == device }, "one device per segment")
        precondition(zip(input, input.dropFirst()).allSatisfy { $0.timeMs < $1.timeMs }, "strictly increasing time")
        let fixes = input.map { $0.canonicalized() }
        var body = ByteWriter(capacity: fixes.count * 8)
        let motion: [ColumnTransform] = [.delta, .deltaOfDelta, .adaptive]
        ColumnCoding.encode(fixes.map(\.timeMs), transforms: motion, into: &body)
        ColumnCoding.encode(fixes.map { Int64($0.latitudeE7) }, transforms: motion, into: &body)
        ColumnCoding.encode(fixes.map { Int64($0.longitudeE7) }, transforms: motion, into: &body)
        ColumnCoding.encode(fixes.map { Int64($0.flags.rawValue) }, transforms: [.raw, .delta], into: &body)
        ColumnCoding.encode(fixes.map { Int64($0.source.rawValue) }, transforms: [.raw], into: &body)
        let decimal = [1, 2, 3]
        optional(fixes, &body, [.raw, .delta], units: decimal) { fix in fix.receivedMs.map { $0 &- fix.timeMs } }
        optional(fixes, &body, [.delta], units: [1, 2]) {
            $0.altitudeM.map { StorageResolution.quantize($0, StorageResolution.altitudePerMeter) }
        }
        optional(fixes, &body, [.delta, .raw], units: [1, 2, 3, 4, 5, 6, 7, 8]) {
            $0.speedMps.map { StorageResolution.quantize($0, StorageResolution.speedPerMeterPerSecond) }
        }
        optional(fixes, &body, [.delta, .raw], units: [1, 2]) {
            $0.courseDeg.map { StorageResolution.quantize($0, StorageResolution.coursePerDegree) }
        }
        optional(fixes, &body, [.delta, .raw], units: [1, 2]) {
            $0.hdop.map { StorageResolution.quantize($0, StorageResolution.hdopPerUnit) }
        }
        optional(fixes, &body, [.delta, .raw], units: [1, 2]) {
            $0.accuracyM.map { StorageResolution.quantize($0, StorageResolution.accuracyPerMeter) }
        }
        optional(fixes, &body, [.delta, .raw], units: []) { $0.satellites.map { Int64($0) } }

        let compressed = LZ4.compress(body.bytes)
        var box = (fixes[0].latitudeE7, fixes[0].latitudeE7, fixes[0].longitudeE7, fixes[0].longitudeE7)
        for fix in fixes {
            box = (
                min(box.0, fix.latitudeE7), max(box.1, fix.latitudeE7), min(box.2, fix.longitudeE7),
                max(box.3, fix.longitudeE7)
            )
        }
        let header = SegmentHeader(
            level: level, count: fixes.count, t0: fixes.first!.timeMs, t1: fixes.last!.timeMs,
            minLatitudeE7: box.0, maxLatitudeE7: box.1, minLongitudeE7: box.2, maxLongitudeE7: box.3,
            uncompressedBytes: body.bytes.count, compressedBytes: compressed.count,
            bodyCRC: CRC32C.checksum(compressed), device: device)
        var out = ByteWriter(capacity: header.encodedBytes + compressed.count)
        header.encode(into: &out)
        out.append(compressed)
        return (out.bytes, header)
    }

    /// An optional column: presence map, then (if any value is present) the unit index and the
    /// values in that unit.
    private static func optional(
        _ fixes: [Fix], _ body: inout ByteWriter, _ transforms: [ColumnTransform], units: [Int],
        _ value: (Fix) -> Int64?
    ) {
        let values = fixes.map(value)
        Presence.encode(values.map { $0 != nil }, into: &body)
        let present = values.compactMap { $0 }
        guard !present.isEmpty else { return }
        let unit = ColumnUnit.choose(present, candidates: units)
        body.u8(UInt8(unit))
        ColumnCoding.encode(present.map { ColumnUnit.reduce($0, unit) }, transforms: transforms, into: &body)
    }
}
