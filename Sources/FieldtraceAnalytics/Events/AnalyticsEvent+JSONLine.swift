import FieldtraceCore

/// The JSON-lines form of an event printed by `fieldtrace analyze` and served by the API:
/// `{"kind":"geofence.enter","device":"w1","time":"…Z","confirmed_at":"…Z","fence":"site-7",
/// "late":false,…attributes}`. The subject key depends on the kind's family (`fence` for
/// `geofence.*`, `route` for `deviation.*`, `subject` otherwise); attributes follow in order.
extension AnalyticsEvent {
    /// Appends the JSON object (no newline) to a byte buffer.
    public func appendJSONLine(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"kind":""#.utf8)
        JSONText.appendEscaped(kind.rawValue, to: &out)
        out.append(contentsOf: #"","device":""#.utf8)
        JSONText.appendEscaped(device.rawValue, to: &out)
        out.append(contentsOf: #"","time":""#.utf8)
        ISO8601.append(ms: timeMs, to: &out)
        out.append(contentsOf: #"","confirmed_at":""#.utf8)
        ISO8601.append(ms: confirmedAtMs, to: &out)
        out.append(UInt8(ascii: "\""))
        if let subject {
            Self.appendKey(subjectKey, to: &out)
            Self.appendString(subject, to: &out)
        }
        out.append(contentsOf: (late ? #","late":true"# : #","late":false"#).utf8)
        for attribute in attributes {
            Self.appendKey(attribute.key, to: &out)
            Self.append(attribute.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The JSON object as a `String` (no newline).
    public var jsonLine: String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        appendJSONLine(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The key the subject is printed under.
    public var subjectKey: String {
        if kind.rawValue.hasPrefix("geofence.") { return "fence" }
        if kind.rawValue.hasPrefix("deviation.") || kind.rawValue.hasPrefix("route.") { return "route" }
        return "subject"
    }

    private static func appendKey(_ key: String, to out: inout [UInt8]) {
        out.append(contentsOf: #",""#.utf8)
        JSONText.appendEscaped(key, to: &out)
        out.append(contentsOf: #"":"#.utf8)
    }

    private static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        JSONText.appendEscaped(value, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    private static func append(_ value: EventValue, to out: inout [UInt8]) {
        switch value {
        case .int(let v): out.append(contentsOf: String(v).utf8)
        case .double(let v):
            // JSON has no NaN or infinity; a detector never should produce them, print null if it does.
            if v.isFinite { JSONText.appendNumber(v, to: &out) } else { out.append(contentsOf: "null".utf8) }
        case .string(let v): appendString(v, to: &out)
        case .bool(let v): out.append(contentsOf: (v ? "true" : "false").utf8)
        case .position(let lat, let lon):
            out.append(UInt8(ascii: "["))
            CoordinateE7.appendDecimal(lon, to: &out)
            out.append(UInt8(ascii: ","))
            CoordinateE7.appendDecimal(lat, to: &out)
            out.append(UInt8(ascii: "]"))
        case .time(let ms):
            out.append(UInt8(ascii: "\""))
            ISO8601.append(ms: ms, to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }
}
