import Hummingbird

/// `?limit=` and `?cursor=` of a list request: limit 1...1000 (default 100), the cursor
/// decoded back to the position it names (an opaque string to clients).
public struct PageRequest: Sendable, Hashable {
    public static let defaultLimit = 100
    public static let maxLimit = 1000

    public var limit: Int
    /// The decoded cursor (what `Page.make`'s `cursorOf` returned for the last item of the
    /// previous page); nil on the first page.
    public var after: String?

    public init(limit: Int = PageRequest.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads `limit` and `cursor` from the query; `bad_request` when either is malformed.
    public init(_ request: Request) throws(APIError) {
        let query = request.uri.queryParameters
        limit = Self.defaultLimit
        if let text = query["limit"] {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw APIError.badRequest("limit '\(text.prefix(32))': expected 1...\(Self.maxLimit)")
            }
            limit = value
        }
        // An empty cursor (`?cursor=` from a client passing on a null) is the first page.
        after = try query["cursor"].flatMap { text throws(APIError) in
            text.isEmpty ? nil : try Cursor.decode(String(text))
        }
    }
}

/// Opaque cursors: `c1` + the hex of a position string chosen by the route (e.g. the last
/// id). Clients must not build them; one that is not `c1` + hex pairs (at most 512 bytes of
/// position) is `bad_request`. Any well-formed cursor decodes, so a schema pattern
/// (`^c1([0-9a-f]{2})*$`) describes exactly the accepted ones.
public enum Cursor {
    public static let maxPositionBytes = 512

    public static func encode(_ position: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = Array("c1".utf8)
        for b in position.utf8.prefix(maxPositionBytes) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ cursor: String) throws(APIError) -> String {
        let bytes = Array(cursor.utf8)
        guard bytes.count >= 2, bytes.count <= 2 + 2 * maxPositionBytes, bytes.count % 2 == 0,
            bytes[0] == UInt8(ascii: "c"), bytes[1] == UInt8(ascii: "1")
        else { throw APIError.badRequest("cursor is not one this server issued") }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2 - 1)
        var i = 2
        while i < bytes.count {
            guard let high = hexValue(bytes[i]), let low = hexValue(bytes[i + 1]) else {
                throw APIError.badRequest("cursor is not one this server issued")
            }
            out.append(high << 4 | low)
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// A page of a list: `{"items": [...], "next_cursor": "..." | null}`.
public struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)  // null, not absent, on the last page
    }

    /// Builds a page from up to `limit + 1` fetched rows (fetch one more than the limit to know
    /// whether another page follows). `cursorOf` gives the position of an item.
    public static func make<Row>(
        _ rows: [Row], limit: Int, cursorOf: (Row) -> String, transform: (Row) throws -> Item
    ) rethrows -> Page {
        let kept = rows.prefix(limit)
        let next = rows.count > limit ? kept.last.map { Cursor.encode(cursorOf($0)) } : nil
        return Page(items: try kept.map(transform), nextCursor: next)
    }
}
