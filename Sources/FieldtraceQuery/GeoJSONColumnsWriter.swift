import FieldtraceCore
import FieldtraceStore

/// The GeoJSON document of `TrackRenderer` (the same bytes; see its shape there), written
/// straight from `TrackColumns` into caller-supplied memory: no `Fix` per fix, no intermediate
/// array, so an HTTP response fills its buffers in place. Altitudes are written from their
/// integer centimetres (`FastText.centimetres`), the text `FastText.number` writes for the
/// `Double` a replayed fix holds.
///
/// Pull-based like `TrackRenderer`: `write(into:)` fills a buffer and says how much it wrote,
/// until `isFinished`. O(bytes written); allocates nothing per call.
public struct GeoJSONColumnsWriter: Sendable {
    /// Bytes one item may take: `[` + two coordinates of at most 13 bytes + an altitude of at
    /// most 17 (15 digits, sign, point) + `,` `]` and the separating comma; or a 26-byte time
    /// with quotes and comma. 64 leaves room.
    static let maxItemBytes = 64
    /// Smallest buffer `write(into:)` accepts.
    public static let minimumBufferBytes = 2 * maxItemBytes

    let columns: TrackColumns
    private let sections: [TrackRenderer.Section]
    private var section = 0
    /// Within the current section: the next item, or the next byte of a text.
    private var index = 0
    private var time = TimeText()

    public init(device: DeviceID, columns: TrackColumns) {
        self.columns = columns
        sections = TrackRenderer.sections(.geojson, device: device, count: columns.count, range: nil)
    }

    public var isFinished: Bool { section == sections.count }

    /// Writes the next part of the document into `buffer` (at least `minimumBufferBytes`),
    /// filling it but for less than one item; returns the bytes written (0 only when finished).
    public mutating func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= Self.minimumBufferBytes, "buffer too small")
        let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let end = base + buffer.count
        var p = base
        while section < sections.count {
            switch sections[section] {
            case .text(let text):
                let n = min(text.count - index, end - p)
                text.withUnsafeBufferPointer { p.update(from: $0.baseAddress! + index, count: n) }
                p += n
                index += n
                guard index == text.count else { return p - base }
            case .each(let item, _):
                p = item == .geoTime ? writeTimes(p, end) : writePositions(p, end)
                guard index == columns.count else { return p - base }
            }
            section += 1
            index = 0
        }
        return p - base
    }

    /// `"time"` items, comma-separated, from `index` until the columns end or the room does.
    private mutating func writeTimes(_ start: FastText.Cursor, _ end: FastText.Cursor) -> FastText.Cursor {
        let limit = end - Self.maxItemBytes
        var p = start
        var i = index
        var time = self.time
        self.time = TimeText()  // the local copy owns the prefix buffer (no copy on write)
        let count = columns.count
        columns.timesMs.withUnsafeBufferPointer { times in
            while i < count && p <= limit {
                if i > 0 { p = FastText.byte(UInt8(ascii: ","), p) }
                p = FastText.byte(UInt8(ascii: "\""), time.write(times[i], FastText.byte(UInt8(ascii: "\""), p)))
                i += 1
            }
        }
        index = i
        self.time = time
        return p
    }

    /// `[lon,lat]` or `[lon,lat,alt_m]` items, comma-separated, from `index` on.
    private mutating func writePositions(_ start: FastText.Cursor, _ end: FastText.Cursor) -> FastText.Cursor {
        let limit = end - Self.maxItemBytes
        var p = start
        var i = index
        let count = columns.count
        columns.latitudesE7.withUnsafeBufferPointer { lat in
            columns.longitudesE7.withUnsafeBufferPointer { lon in
                columns.altitudesCm.withUnsafeBufferPointer { alt in
                    while i < count && p <= limit {
                        if i > 0 { p = FastText.byte(UInt8(ascii: ","), p) }
                        p = FastText.byte(UInt8(ascii: "["), p)
                        p = FastText.e7(lon[i], p)
                        p = FastText.e7(lat[i], FastText.byte(UInt8(ascii: ","), p))
                        let cm = alt[i]
                        if cm != TrackColumns.noAltitude {
                            p = FastText.centimetres(cm, FastText.byte(UInt8(ascii: ","), p))
                        }
                        p = FastText.byte(UInt8(ascii: "]"), p)
                        i += 1
                    }
                }
            }
        }
        index = i
        return p
    }

    /// The whole document at once (tests, small tracks).
    public static func render(device: DeviceID, columns: TrackColumns) -> [UInt8] {
        var writer = GeoJSONColumnsWriter(device: device, columns: columns)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !writer.isFinished {
            let n = chunk.withUnsafeMutableBytes { writer.write(into: $0) }
            out += chunk[..<n]
        }
        return out
    }
}
