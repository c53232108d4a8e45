/// The JSON-lines form of a fix shared by `fieldtrace decode` and `fieldtrace export`:
/// `{"device":…,"time":"…Z","lat":…,"lon":…,"alt_m":…,"speed_mps":…,"course_deg":…,"hdop":…,
/// "accuracy_m":…,"sats":…,"valid":…,"late":…}`. Keys whose value the frame did not carry are
/// left out. Coordinates are written exactly (from the 1e-7 degree integers); other doubles
/// with Swift's shortest round-tripping form.
extension Fix {
    /// Appends the JSON object (no newline) to a byte buffer.
    public func appendJSONLine(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"device":""#.utf8)
        JSONText.appendEscaped(device.rawValue, to: &out)
        out.append(contentsOf: #"","time":""#.utf8)
        ISO8601.append(ms: timeMs, to: &out)
        out.append(contentsOf: #"","lat":"#.utf8)
        CoordinateE7.appendDecimal(latitudeE7, to: &out)
        out.append(contentsOf: #","lon":"#.utf8)
        CoordinateE7.appendDecimal(longitudeE7, to: &out)
        if let altitudeM { JSONText.appendNumber(key: "alt_m", altitudeM, to: &out) }
        if let speedMps { JSONText.appendNumber(key: "speed_mps", speedMps, to: &out) }
        if let courseDeg { JSONText.appendNumber(key: "course_deg", courseDeg, to: &out) }
        if let hdop { JSONText.appendNumber(key: "hdop", hdop, to: &out) }
        if let accuracyM { JSONText.appendNumber(key: "accuracy_m", accuracyM, to: &out) }
        if let satellites {
            out.append(contentsOf: #","sats":"#.utf8)
            ISO8601.appendDigits(Int(satellites), width: 1, to: &out)
        }
        out.append(contentsOf: (isValid ? #","valid":true"# : #","valid":false"#).utf8)
        out.append(contentsOf: (isLate ? #","late":true}"# : #","late":false}"#).utf8)
    }

    /// The JSON object as a `String` (no newline).
    public var jsonLine: String {
        var out: [UInt8] = []
        out.reserveCapacity(200)
        appendJSONLine(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Small JSON writing helpers (no Foundation).
public enum JSONText {
    /// Appends `,"key":number`. Integral values print without a fraction (`12`, not `12.0`);
    /// non-finite values print as `null`.
    public static func appendNumber(key: String, _ value: Double, to out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: key.utf8)
        out.append(contentsOf: "\":".utf8)
        appendNumber(value, to: &out)
    }

    /// Appends a JSON number.
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            let i = Int64(value)
            if i < 0 || (i == 0 && value.sign == .minus) { out.append(UInt8(ascii: "-")) }
            ISO8601.appendDigits(Int(abs(i)), width: 1, to: &out)
        } else {
            out.append(contentsOf: value.description.utf8)
        }
    }

    /// Appends a string's JSON escape (without quotes).
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                let hex = Array("0123456789abcdef".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
    }
}
