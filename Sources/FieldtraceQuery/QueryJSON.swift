import FieldtraceCore
import FieldtraceStore

/// The JSON bodies of the position, latest and activity answers (snake_case keys, times as ISO
/// 8601 UTC with ms, coordinates exact, absent values `null`).
public enum QueryJSON {
    /// `{"device","at","status","exact","lat","lon","radius_m","assumed_speed_mps","before","after"}`;
    /// `before`/`after` are fixes in the JSON-lines shape, or `null`. `radius_m` is rounded to
    /// 0.1 m.
    public static func position(_ p: PositionEstimate) -> [UInt8] {
        var out = Array(#"{"device":""#.utf8)
        JSONText.appendEscaped(p.device.rawValue, to: &out)
        out.append(contentsOf: #"","at":""#.utf8)
        ISO8601.append(ms: p.atMs, to: &out)
        out.append(contentsOf: #"","status":""#.utf8)
        out.append(contentsOf: p.status.rawValue.utf8)
        out.append(contentsOf: (p.status == .exact ? #"","exact":true"# : #"","exact":false"#).utf8)
        out.append(contentsOf: #","lat":"#.utf8)
        appendCoordinate(p.latitudeE7, to: &out)
        out.append(contentsOf: #","lon":"#.utf8)
        appendCoordinate(p.longitudeE7, to: &out)
        out.append(contentsOf: #","radius_m":"#.utf8)
        appendNumber(p.radiusMeters.map { ($0 * 10).rounded() / 10 }, to: &out)
        out.append(contentsOf: #","assumed_speed_mps":"#.utf8)
        appendNumber(p.assumedSpeedMps.map { ($0 * 100).rounded() / 100 }, to: &out)
        out.append(contentsOf: #","before":"#.utf8)
        appendFix(p.before, to: &out)
        out.append(contentsOf: #","after":"#.utf8)
        appendFix(p.after, to: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// `{"items":[fix…],"next_cursor":…}`, each item a fix in the JSON-lines shape.
    public static func latest(_ fixes: [Fix], nextCursor: String?) -> [UInt8] {
        var out = Array(#"{"items":["#.utf8)
        out.reserveCapacity(64 + fixes.count * 200)
        for (i, fix) in fixes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            fix.appendJSONLine(to: &out)
        }
        out.append(contentsOf: #"],"next_cursor":"#.utf8)
        appendString(nextCursor, to: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// `{"items":[interval…],"next_cursor":null}`: every interval of the range (the range cap
    /// bounds the list, so it is one page). An interval is `{"kind","subject","start","end",
    /// "open","duration_s","start_event","end_event"}`, the events as stored (`kind`, `time`,
    /// `confirmed_at`, attributes) with their log `id`, or `null`. `duration_s` is `null` while open.
    public static func activity(_ intervals: [ActivityInterval]) -> [UInt8] {
        var out = Array(#"{"items":["#.utf8)
        for (i, interval) in intervals.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"kind":""#.utf8)
            out.append(contentsOf: interval.kind.singular.utf8)
            out.append(contentsOf: #"","subject":"#.utf8)
            appendString(interval.subject, to: &out)
            out.append(contentsOf: #","start":"#.utf8)
            appendTime(interval.startMs, to: &out)
            out.append(contentsOf: #","end":"#.utf8)
            appendTime(interval.endMs, to: &out)
            out.append(contentsOf: (interval.isOpen ? #","open":true"# : #","open":false"#).utf8)
            out.append(contentsOf: #","duration_s":"#.utf8)
            appendNumber(interval.endMs.map { Double($0 - interval.startMs) / 1000 }, to: &out)
            out.append(contentsOf: #","start_event":"#.utf8)
            appendEvent(interval.startEvent, to: &out)
            out.append(contentsOf: #","end_event":"#.utf8)
            appendEvent(interval.endEvent, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"next_cursor":null}"#.utf8)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// A logged event as `{"id":N,…payload}` (the payload is the event's stored JSON object).
    static func appendEvent(_ event: LoggedEvent?, to out: inout [UInt8]) {
        guard let event else { return out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #"{"id":"#.utf8)
        ByteText.append(event.id, to: &out)
        let payload = event.payload.utf8
        if payload.first == UInt8(ascii: "{"), payload.count > 2 {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: payload.dropFirst())
        } else {
            out.append(UInt8(ascii: "}"))
        }
    }

    static func appendFix(_ fix: Fix?, to out: inout [UInt8]) {
        if let fix { fix.appendJSONLine(to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    static func appendCoordinate(_ e7: Int32?, to out: inout [UInt8]) {
        if let e7 { CoordinateE7.appendDecimal(e7, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    static func appendNumber(_ value: Double?, to out: inout [UInt8]) {
        if let value { JSONText.appendNumber(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    static func appendTime(_ ms: Int64?, to out: inout [UInt8]) {
        guard let ms else { return out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "\""))
        ISO8601.append(ms: ms, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    static func appendString(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "\""))
        JSONText.appendEscaped(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }
}

extension ActivityKind {
    /// The kind of one interval in JSON: `stop`, `trip`, `visit`, `deviation`.
    public var singular: String { String(rawValue.dropLast()) }
}
