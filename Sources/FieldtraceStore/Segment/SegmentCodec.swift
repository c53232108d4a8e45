import FieldtraceCore

/// Encodes one device's fixes into a segment: header, then the columns, in one of two bodies.
///
/// Packed (version 1), for tracks of a fix every few seconds or faster: an LZ4 block of
/// bit-packed columns, decoded at tens of millions of fixes per second.
///
/// Modelled (version 2, `ModelledBody`), for slower tracks: every column range-coded with
/// adaptive models, latitude and longitude predicted from the reported speed and course.
/// Smaller (on the simulated 0.1 Hz fleet about two thirds of the packed size) and slower to
/// decode per fix, but a slow track has few fixes per hour, so a day of it still replays in
/// well under the budget (see `modelledMinIntervalMs`).
///
/// Packed body columns, in order: time, latitude, longitude, flags, source (always present), then receive
/// lag (receive time minus fix time), altitude, speed, course, HDOP, accuracy and satellites,
/// each with a presence map. Each column is transformed (delta or delta-of-delta, whichever packs
/// smaller) and bit-packed in blocks of 32 (`BlockPacking`).
///
/// Both are lossless for canonicalised fixes (`Fix.canonicalized()`): decode returns exactly
/// what was encoded.
public enum SegmentEncoder {
    /// Segments whose fixes are this far apart on average (first to last time over count - 1),
    /// or farther, get a modelled body when it is smaller. 8 s: a device-day at this rate is
    /// 10,800 fixes, which the modelled decoder turns into columns in about 2.5 ms (at about
    /// 4.5 million fixes/s on this machine), leaving room within the 5 ms replay budget to build
    /// the fixes; a 0.1 Hz tracker whose interval jitters below 10 s still qualifies. Faster
    /// tracks keep the packed body (a 1 Hz day, 86,400 fixes, decodes at over 50 million/s).
    /// Since a modelled segment of k fixes spans at least 8 (k - 1) seconds, a day of one
    /// device holds at most about 10,800 modelled fixes whatever its rate (plus one per segment;
    /// late data in overlapping segments aside, until compaction merges it).
    public static let modelledMinIntervalMs: Int64 = 8_000

    /// Encodes `fixes`, which must be non-empty, of one device, strictly increasing in time.
    public static func encode(_ input: [Fix], level: UInt8 = 0) -> [UInt8] {
        encodeSegment(input, level: level).bytes
    }

    /// Which body a segment gets: by rate and size (`automatic`), or forced (tests).
    enum BodyChoice {
        case automatic, packed, modelled
    }

    /// Encodes and also returns the header written (what the catalog records).
    public static func encodeSegment(_ input: [Fix], level: UInt8 = 0) -> (bytes: [UInt8], header: SegmentHeader) {
        encodeSegment(input, level: level, body: .automatic)
    }

    static func encodeSegment(
        _ input: [Fix], level: UInt8, body choice: BodyChoice
    ) -> (bytes: [UInt8], header: SegmentHeader) {
        precondition(!input.isEmpty && input.count <= SegmentLimits.maxFixes, "segment size \(input.count)")
        let device = input[0].device
        precondition(input.allSatisfy { $0.device == device }, "one device per segment")
        precondition(zip(input, input.dropFirst()).allSatisfy { $0.timeMs < $1.timeMs }, "strictly increasing time")
        let fixes = input.map { $0.canonicalized() }
        var version = SegmentHeader.packedVersion
        var (body, uncompressed) = packedBody(fixes)
        let span = fixes.last!.timeMs &- fixes.first!.timeMs
        let slow = fixes.count > 1 && span / Int64(fixes.count - 1) >= modelledMinIntervalMs
        if choice == .modelled || (choice == .automatic && slow) {
            let modelled = ModelledBody.encode(fixes)
            if modelled.count < body.count || choice == .modelled {
                version = SegmentHeader.modelledVersion
                body = modelled
                uncompressed = modelled.count
            }
        }
        var box = (fixes[0].latitudeE7, fixes[0].latitudeE7, fixes[0].longitudeE7, fixes[0].longitudeE7)
        for fix in fixes {
            box = (
                min(box.0, fix.latitudeE7), max(box.1, fix.latitudeE7), min(box.2, fix.longitudeE7),
                max(box.3, fix.longitudeE7)
            )
        }
        let header = SegmentHeader(
            version: version, level: level, count: fixes.count, t0: fixes.first!.timeMs, t1: fixes.last!.timeMs,
            minLatitudeE7: box.0, maxLatitudeE7: box.1, minLongitudeE7: box.2, maxLongitudeE7: box.3,
            uncompressedBytes: uncompressed, compressedBytes: body.count, bodyCRC: CRC32C.checksum(body),
            device: device)
        var out = ByteWriter(capacity: header.encodedBytes + body.count)
        header.encode(into: &out)
        out.append(body)
        return (out.bytes, header)
    }

    /// The packed body, LZ4-compressed, and its size before compression.
    static func packedBody(_ fixes: [Fix]) -> (bytes: [UInt8], uncompressed: Int) {
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

        return (LZ4.compress(body.bytes), body.bytes.count)
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
