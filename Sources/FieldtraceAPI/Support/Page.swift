import Foundation
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
        after = try query["cursor"].map { text throws(APIError) in try Cursor.decode(String(text)) }
    }
}

/// Opaque cursors: base64url (no padding) of `v1:` + a position string chosen by the route
/// (e.g. the last id). Clients must not build them; a malformed one is `bad_request`.
public enum Cursor {
    public static func encode(_ position: String) -> String {
        Data(("v1:" + position).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ cursor: String) throws(APIError) -> String {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text += "=" }
        guard cursor.utf8.count <= 1024, let data = Data(base64Encoded: text),
            let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("v1:")
        else { throw APIError.badRequest("cursor is not one this server issued") }
        return String(decoded.dropFirst(3))
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
