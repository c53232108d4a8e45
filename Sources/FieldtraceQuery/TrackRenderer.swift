import FieldtraceCore

/// Writes a track as JSON, GeoJSON, GPX or CSV in chunks of bytes, so an HTTP response streams
/// a device-day without building one large string: `fill` appends the next part of the document
/// until the buffer holds a chunk, and returns whether more remains (pull-based, so a slow
/// client holds back the writer).
///
/// Every number is written straight as digits into the buffer: coordinates exactly from their
/// 1e-7 degree integers, times as ISO 8601 UTC with milliseconds, other values in Swift's
/// shortest round-tripping form; parsing the output gives back the stored values.
///
/// GeoJSON shape (RFC 7946): `{"type":"FeatureCollection","features":[F]}` with one Feature
/// `F = {"type":"Feature","properties":{"device":…,"times":[t…]},"geometry":G}`, `G` a
/// LineString of `[lon, lat]` or `[lon, lat, alt_m]` positions (a Point for a single fix; no
/// feature at all for an empty track), and `times[i]` the fix time of position `i`. One
/// LineString is what map tools draw as a track, and parallel per-point arrays keep it about
/// 60 bytes per fix (a FeatureCollection of Points would be about 150).
public struct TrackRenderer: Sendable {
    /// The CSV columns (`fieldtrace import` reads them back).
    public static let csvHeader =
        "device,time,lat,lon,alt_m,speed_mps,course_deg,hdop,accuracy_m,sats,valid,late,received"
    /// Chunk size of `write`: 64 KiB, a few TCP windows' worth, so a chunk costs one syscall and
    /// the buffer stays small next to the fixes it renders.
    public static let defaultChunkBytes = 65_536

    public let format: TrackFormat
    public let device: DeviceID
    let fixes: [Fix]
    private let sections: [Section]
    private var section = 0
    private var index = 0
    /// The track's device id as JSON string content and as a CSV field, written once.
    let deviceJSON: [UInt8]
    let deviceCSV: [UInt8]
    var time = TimeText()

    /// Scratch space per `fill` step, and the room kept free for one more item: an item is at
    /// most a 64-byte device id escaped (128 bytes), about 150 bytes of keys and 8 numbers of at
    /// most 32 bytes, well under 1 KiB.
    static let scratchBytes = 32_768
    static let maxItemBytes = 1024

    enum Item: Sendable {
        case jsonFix, geoTime, geoPosition, gpxPoint, csvRow
    }

    enum Section: Sendable {
        case text([UInt8])
        /// One item per fix; `separated`: a comma between items.
        case each(Item, separated: Bool)
    }

    /// `range`: the queried `[from, to)`, written in the JSON header when given.
    public init(format: TrackFormat, device: DeviceID, fixes: [Fix], range: Range<Int64>? = nil) {
        self.format = format
        self.device = device
        self.fixes = fixes
        sections = Self.sections(format, device: device, count: fixes.count, range: range)
        var json: [UInt8] = []
        JSONText.appendEscaped(device.rawValue, to: &json)
        deviceJSON = json
        var csv: [UInt8] = []
        ByteText.appendCSVField(device.rawValue, to: &csv)
        deviceCSV = csv
    }

    /// Whether the whole document has been written.
    public var isFinished: Bool { section == sections.count }

    /// Appends the next part of the document to `out` until `out` holds at least `chunkBytes`
    /// bytes (it may pass it by one fix) or the document is complete. Returns `true` while more
    /// remains. O(bytes appended).
    public mutating func fill(_ out: inout [UInt8], chunkBytes: Int = defaultChunkBytes) -> Bool {
        while section < sections.count {
            if out.count >= chunkBytes { return true }
            switch sections[section] {
            case .text(let bytes):
                out.append(contentsOf: bytes)
            case .each(let item, let separated):
                if appendItems(item, separated: separated, to: &out, chunkBytes: chunkBytes) { return true }
                index = 0
            }
            section += 1
        }
        return false
    }

    /// Appends items from `index` on through a scratch buffer until the fixes end (`false`) or
    /// `out` reaches `chunkBytes` (`true`: more remain).
    private mutating func appendItems(
        _ item: Item, separated: Bool, to out: inout [UInt8], chunkBytes: Int
    ) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.scratchBytes) { scratch -> Bool in
            let base = scratch.baseAddress!
            let limit = base + (Self.scratchBytes - Self.maxItemBytes)
            var p = base
            let end = fixes.count
            while index < end {
                if out.count + (p - base) >= chunkBytes {
                    out.append(contentsOf: UnsafeBufferPointer(start: base, count: p - base))
                    return true
                }
                if separated && index > 0 { p = FastText.byte(UInt8(ascii: ","), p) }
                p = write(item, fixes[index], p)
                index += 1
                if p >= limit {
                    out.append(contentsOf: UnsafeBufferPointer(start: base, count: p - base))
                    p = base
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base, count: p - base))
            return false
        }
    }

    /// Writes the rest of the document, handing each chunk of about `chunkBytes` to `flush`
    /// (which takes the bytes; the buffer is emptied, keeping its capacity, after each call).
    public mutating func write(
        chunkBytes: Int = defaultChunkBytes, to flush: (inout [UInt8]) throws -> Void
    ) rethrows {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkBytes + 1024)
        while fill(&buffer, chunkBytes: chunkBytes) {
            try flush(&buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        if !buffer.isEmpty { try flush(&buffer) }
    }

    /// `write` for an asynchronous sink (an HTTP response body).
    public mutating func write(
        chunkBytes: Int = defaultChunkBytes, to flush: (inout [UInt8]) async throws -> Void
    ) async rethrows {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkBytes + 1024)
        while fill(&buffer, chunkBytes: chunkBytes) {
            try await flush(&buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        if !buffer.isEmpty { try await flush(&buffer) }
    }

    /// The whole document at once (small tracks, tests, the CLI).
    public static func render(
        _ format: TrackFormat, device: DeviceID, fixes: [Fix], range: Range<Int64>? = nil
    ) -> [UInt8] {
        var renderer = TrackRenderer(format: format, device: device, fixes: fixes, range: range)
        var out: [UInt8] = []
        _ = renderer.fill(&out, chunkBytes: .max)
        return out
    }
}
