import FieldtraceCore

/// Builds OsmAnd requests from fixes for tests and benchmarks, written from protocols.md
/// section 5 (independently of the decoder's parsing code).
public enum OsmAndEncoder {
    /// How the query form writes `timestamp`.
    public enum TimeStyle: CaseIterable, Sendable {
        /// Unix seconds with a `.mmm` fraction when the time has milliseconds.
        case seconds
        /// Unix milliseconds.
        case milliseconds
        /// ISO 8601 UTC with milliseconds, percent-encoded (`%3A` for `:`).
        case iso
    }

    /// How the query is wrapped.
    public enum Wrapping: CaseIterable, Sendable {
        case bare, questionMark, path, requestLine
    }

    /// A query-form request: `id`, `timestamp`, `lat`, `lon`, and `speed` (knots), `bearing`,
    /// `altitude`, `accuracy`, `hdop` when the fix has them; `valid=false` for invalid fixes.
    public static func query(_ fix: Fix, time: TimeStyle = .seconds, wrapping: Wrapping = .bare) -> String {
        var parts = ["id=" + percentEncoded(fix.device.rawValue), "timestamp=" + timestamp(fix.timeMs, time)]
        parts.append("lat=" + CoordinateE7.decimalString(fix.latitudeE7))
        parts.append("lon=" + CoordinateE7.decimalString(fix.longitudeE7))
        if let speed = fix.speedMps { parts.append("speed=\(speed / Units.metersPerSecondPerKnot)") }
        if let course = fix.courseDeg { parts.append("bearing=\(course)") }
        if let altitude = fix.altitudeM { parts.append("altitude=\(altitude)") }
        if let accuracy = fix.accuracyM { parts.append("accuracy=\(accuracy)") }
        if let hdop = fix.hdop { parts.append("hdop=\(hdop)") }
        if !fix.isValid { parts.append("valid=false") }
        parts.append("batt=87")
        let query = parts.joined(separator: "&")
        switch wrapping {
        case .bare: return query
        case .questionMark: return "?" + query
        case .path: return "/?" + query
        case .requestLine: return "GET /?" + query + " HTTP/1.1"
        }
    }

    /// A JSON-form request for one fix (`location` an object) or several (`location` an array).
    public static func json(_ fixes: [Fix], device: DeviceID, batch: Bool? = nil) -> String {
        let locations = fixes.map(location)
        let asArray = batch ?? (fixes.count != 1)
        let value = asArray ? "[" + locations.joined(separator: ",") + "]" : locations.joined()
        return #"{"location":"# + value + #","device_id":""# + device.rawValue + #""}"#
    }

    static func location(_ fix: Fix) -> String {
        var coords = [
            #""latitude":"# + CoordinateE7.decimalString(fix.latitudeE7),
            #""longitude":"# + CoordinateE7.decimalString(fix.longitudeE7),
        ]
        coords.append(#""speed":"# + (fix.speedMps.map { "\($0)" } ?? "-1"))
        coords.append(#""heading":"# + (fix.courseDeg.map { "\($0)" } ?? "-1"))
        coords.append(#""altitude":"# + (fix.altitudeM.map { "\($0)" } ?? "null"))
        if let accuracy = fix.accuracyM { coords.append(#""accuracy":\#(accuracy)"#) }
        return #"{"timestamp":""# + ISO8601.format(ms: fix.timeMs) + #"","coords":{"# + coords.joined(separator: ",")
            + #"},"battery":{"level":0.87,"is_charging":false},"is_moving":true,"extras":{}}"#
    }

    static func timestamp(_ ms: Int64, _ style: TimeStyle) -> String {
        switch style {
        case .milliseconds: return "\(ms)"
        case .seconds:
            let fraction = ms % 1000
            guard fraction != 0 else { return "\(ms / 1000)" }
            let digits = "\(1000 + fraction)".dropFirst()
            return "\(ms / 1000)." + digits
        case .iso: return ISO8601.format(ms: ms).replacingColons
        }
    }

    /// Percent-encodes everything but unreserved characters.
    public static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}

extension String {
    fileprivate var replacingColons: String {
        var out = ""
        for c in self { out += c == ":" ? "%3A" : String(c) }
        return out
    }
}
