import FieldtraceCore
import FieldtraceStore

/// The newest fix of each device in a set, a page at a time (`GET /v1/positions/latest`).
///
/// The caller passes the devices the token may see (its tenant, its group scope); pages walk
/// them in id order, `limit` devices per page (devices without a fix take no item), and the
/// cursor is the hex of the last device id of the page (opaque to clients). One
/// `LatestPositions` per store and process: its `SegmentTailCache` makes repeated fleet queries
/// decode only segments written since the last one.
public struct LatestPositions: Sendable {
    public let store: TrackStore
    public let cache: SegmentTailCache

    /// Page size when `limit` is absent: 100 devices (the API convention).
    public static let defaultLimit = 100
    /// Largest page: 1,000 devices (the API convention), about 200 KB of JSON.
    public static let maxLimit = 1000

    public init(store: TrackStore, cache: SegmentTailCache = SegmentTailCache()) {
        self.store = store
        self.cache = cache
    }

    public struct Page: Sendable, Hashable {
        /// Newest fixes, in device order.
        public var fixes: [Fix]
        /// The cursor of the next page, `nil` on the last one.
        public var nextCursor: String?
    }

    /// One page of the newest fixes of `devices` (any order, duplicates ignored), after `cursor`.
    public func page(devices: [DeviceID], cursor: String?, limit: Int) throws -> Page {
        precondition(limit >= 1, "limit is at least 1")
        var sorted = Array(Set(devices)).sorted()
        if let cursor {
            guard let last = Self.decodeCursor(cursor) else {
                throw QueryError.bad("cursor", cursor, "expected a cursor returned by an earlier page")
            }
            sorted.removeSubrange(..<(sorted.firstIndex { $0 > last } ?? sorted.endIndex))
        }
        let slice = Array(sorted.prefix(limit))
        let newest = try store.latestFixes(devices: slice, cache: cache)
        return Page(
            fixes: slice.compactMap { newest[$0] },
            nextCursor: sorted.count > limit ? Self.encodeCursor(slice.last!) : nil)
    }

    /// Reads `limit` (1 ... `maxLimit`, default `defaultLimit`) and `cursor` from query parameters.
    public static func pageParameters(_ parameters: QueryParameters) throws(QueryError) -> (
        cursor: String?, limit: Int
    ) {
        (parameters["cursor"], try parameters.integer("limit", in: 1...maxLimit) ?? defaultLimit)
    }

    static func encodeCursor(_ device: DeviceID) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in device.rawValue.utf8 {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeCursor(_ text: String) -> DeviceID? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count % 2 == 0, bytes.count <= 2 * Limits.deviceIDMaxBytes else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var raw: [UInt8] = []
        for i in stride(from: 0, to: bytes.count, by: 2) {
            guard let high = nibble(bytes[i]), let low = nibble(bytes[i + 1]) else { return nil }
            raw.append(high << 4 | low)
        }
        return DeviceID(ascii: raw)
    }
}
