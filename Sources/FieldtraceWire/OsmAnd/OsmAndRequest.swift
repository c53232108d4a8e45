/// Where the parameters of a request are: OsmAnd requests arrive as a query string
/// (`id=...&lat=...`, `?id=...`, `/path?id=...`), a whole request line
/// (`GET /?id=... HTTP/1.1`), or a JSON body starting with `{`.
public enum OsmAndRequest {
    public enum Form {
        /// The query string, without `?` and without a `#fragment`.
        case query(UnsafeRawBufferPointer)
        /// A JSON body.
        case json(UnsafeRawBufferPointer)
    }

    /// Classifies a request and cuts out its parameters. Leading and trailing whitespace (a
    /// line ending) is ignored.
    public static func form(of request: UnsafeRawBufferPointer) throws(OsmAndError) -> Form {
        var start = 0
        var end = request.count
        while start < end, isSpace(request[start]) { start += 1 }
        while end > start, isSpace(request[end - 1]) { end -= 1 }
        guard start < end else { throw .badRequest("empty request") }
        if request[start] == UInt8(ascii: "{") {
            return .json(UnsafeRawBufferPointer(rebasing: request[start..<end]))
        }
        var target = UnsafeRawBufferPointer(rebasing: request[start..<end])
        if let afterMethod = methodEnd(target) {
            // `METHOD SP target [SP HTTP/x.y]`
            var targetEnd = afterMethod
            while targetEnd < target.count, target[targetEnd] != UInt8(ascii: " ") { targetEnd += 1 }
            if targetEnd < target.count {
                let version = UnsafeRawBufferPointer(rebasing: target[(targetEnd + 1)...])
                guard version.starts(with: "HTTP/".utf8) else { throw .badRequest("not a request line") }
            }
            target = UnsafeRawBufferPointer(rebasing: target[afterMethod..<targetEnd])
        }
        guard let first = target.first else { throw .badRequest("empty request target") }
        var queryStart = 0
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "?") || target.starts(with: "http".utf8) {
            guard let mark = target.firstIndex(of: UInt8(ascii: "?")) else {
                return .query(UnsafeRawBufferPointer(rebasing: target[target.count...]))
            }
            queryStart = mark + 1
        }
        var queryEnd = queryStart
        while queryEnd < target.count, target[queryEnd] != UInt8(ascii: "#") { queryEnd += 1 }
        return .query(UnsafeRawBufferPointer(rebasing: target[queryStart..<queryEnd]))
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// For `GET /x`, the offset of the target (after the method and one space); `nil` when
    /// the text does not start with an upper-case method token and a space.
    static func methodEnd(_ text: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < text.count, i < 16, text[i] >= UInt8(ascii: "A"), text[i] <= UInt8(ascii: "Z") { i += 1 }
        guard i > 0, i < text.count, text[i] == UInt8(ascii: " ") else { return nil }
        return i + 1
    }
}
