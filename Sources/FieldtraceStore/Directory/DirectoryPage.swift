/// Which page of a list to read: at most `limit` items after the `cursor` of the previous page.
public struct PageRequest: Sendable, Hashable {
    /// Items per page when the caller names no limit: enough for a screen, small enough to be fast.
    public static let defaultLimit = 100
    /// The largest page: 1,000 rows of the largest kind (geofences, up to `Directory.maxFeatureBytes`
    /// each) is the most one request may ask the catalog for.
    public static let maxLimit = 1000

    /// Items per page, 1...`maxLimit`.
    public var limit: Int
    /// The `nextCursor` of the previous page; `nil` for the first page.
    public var cursor: String?

    public init(limit: Int = PageRequest.defaultLimit, cursor: String? = nil) {
        self.limit = limit
        self.cursor = cursor
    }

    /// A page after the row with key `after` (the `nextAfter` of the previous page), for callers
    /// that keep their own cursor format (the HTTP API).
    public init(limit: Int, after: String?) {
        self.init(limit: limit, cursor: after.map(DirectoryCursor.encode))
    }
}

/// One page of a list, in id order, and the cursor of the next page (`nil` on the last page).
public struct DirectoryPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The key of the last item when another page follows (what `nextCursor` encodes).
    public var nextAfter: String? { nextCursor.flatMap { try? DirectoryCursor.decode($0) } }
}

extension DirectoryPage: Equatable where Item: Equatable {}

/// Cursor text: the last id of a page, hex-encoded UTF-8 so that it is opaque to callers and
/// safe in a URL query without escaping.
enum DirectoryCursor {
    static func encode(_ id: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(id.utf8.count * 2)
        for byte in id.utf8 {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The id a cursor encodes; throws `.invalid` for text this server never issued.
    static func decode(_ cursor: String) throws(DirectoryError) -> String {
        let bytes = Array(cursor.utf8)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        guard !bytes.isEmpty, bytes.count % 2 == 0, bytes.count <= 2 * Directory.maxIDBytes else {
            throw .invalid("cursor is not one this server issued")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var i = 0
        while i < bytes.count {
            guard let high = nibble(bytes[i]), let low = nibble(bytes[i + 1]) else {
                throw .invalid("cursor is not one this server issued")
            }
            out.append(high << 4 | low)
            i += 2
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw .invalid("cursor is not one this server issued")
        }
        return text
    }
}
