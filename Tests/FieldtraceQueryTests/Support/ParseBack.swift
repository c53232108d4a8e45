import FieldtraceAnalytics
import FieldtraceCore
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses rendered tracks back into fixes, independently of the writers.
enum ParseBack {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func json(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser().parse(bytes) }

    static func e7(_ value: JSONValue?) throws -> Int32 {
        guard let degrees = value?.doubleValue else { throw Failure(description: "no coordinate") }
        return CoordinateE7.fromDegrees(degrees)
    }

    static func time(_ value: JSONValue?) throws -> Int64 {
        guard let text = value?.stringValue, let ms = ISO8601.parse(text.utf8) else {
            throw Failure(description: "bad time \(String(describing: value))")
        }
        return ms
    }

    /// A fix from its JSON-lines object (what the JSON form and position answers carry).
    static func fix(_ object: JSONValue) throws -> Fix {
        guard let text = object["device"]?.stringValue, let device = DeviceID(text) else {
            throw Failure(description: "no device")
        }
        var flags: FixFlags = []
        if object["valid"] == .bool(true) { flags.insert(.valid) }
        if object["late"] == .bool(true) { flags.insert(.late) }
        return Fix(
            device: device, timeMs: try time(object["time"]), latitudeE7: try e7(object["lat"]),
            longitudeE7: try e7(object["lon"]), altitudeM: object["alt_m"]?.doubleValue,
            speedMps: object["speed_mps"]?.doubleValue, courseDeg: object["course_deg"]?.doubleValue,
            hdop: object["hdop"]?.doubleValue, accuracyM: object["accuracy_m"]?.doubleValue,
            satellites: object["sats"]?.doubleValue.map { UInt8($0) }, flags: flags)
    }

    /// The fixes of the JSON form, with its header.
    static func jsonTrack(_ bytes: [UInt8]) throws -> (header: JSONValue, fixes: [Fix]) {
        let document = try json(bytes)
        guard let items = document["fixes"]?.arrayValue else { throw Failure(description: "no fixes array") }
        return (document, try items.map(fix))
    }

    /// Times and positions of the GeoJSON form: (time, lat, lon, alt).
    static func geoJSON(_ bytes: [UInt8]) throws -> [(timeMs: Int64, lat: Int32, lon: Int32, alt: Double?)] {
        let document = try json(bytes)
        guard document["type"]?.stringValue == "FeatureCollection", let features = document["features"]?.arrayValue
        else { throw Failure(description: "not a FeatureCollection") }
        guard let feature = features.first else { return [] }
        guard features.count == 1, feature["type"]?.stringValue == "Feature",
            let times = feature["properties"]?["times"]?.arrayValue, let geometry = feature["geometry"]
        else { throw Failure(description: "not one Feature with times") }
        let positions: [JSONValue]
        switch geometry["type"]?.stringValue {
        case "LineString": positions = geometry["coordinates"]?.arrayValue ?? []
        case "Point": positions = geometry["coordinates"].map { [$0] } ?? []
        default: throw Failure(description: "unexpected geometry")
        }
        guard positions.count == times.count else { throw Failure(description: "times and positions differ") }
        return try zip(times, positions).map { time, position in
            guard let p = position.arrayValue, p.count == 2 || p.count == 3 else {
                throw Failure(description: "bad position")
            }
            return (try Self.time(time), try e7(p[1]), try e7(p[0]), p.count == 3 ? p[2].doubleValue : nil)
        }
    }

    /// The rows of the CSV form as fixes (quoted fields allowed), and the header.
    static func csv(_ bytes: [UInt8]) throws -> (header: [String], fixes: [Fix]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasSuffix("\n") else { throw Failure(description: "no final newline") }
        var lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let fixes = try lines.map { line -> Fix in
            let cells = fields(line)
            guard cells.count == header.count else { throw Failure(description: "row width \(cells.count)") }
            func cell(_ name: String) -> String? {
                let value = cells[header.firstIndex(of: name)!]
                return value.isEmpty ? nil : value
            }
            var flags: FixFlags = []
            if cell("valid") == "true" { flags.insert(.valid) }
            if cell("late") == "true" { flags.insert(.late) }
            guard let device = DeviceID(cell("device") ?? ""), let time = ISO8601.parse((cell("time") ?? "").utf8),
                let lat = Double(cell("lat") ?? ""), let lon = Double(cell("lon") ?? "")
            else { throw Failure(description: "bad row \(line)") }
            return Fix(
                device: device, timeMs: time, receivedMs: cell("received").flatMap { ISO8601.parse($0.utf8) },
                latitudeE7: CoordinateE7.fromDegrees(lat), longitudeE7: CoordinateE7.fromDegrees(lon),
                altitudeM: cell("alt_m").flatMap(Double.init), speedMps: cell("speed_mps").flatMap(Double.init),
                courseDeg: cell("course_deg").flatMap(Double.init), hdop: cell("hdop").flatMap(Double.init),
                accuracyM: cell("accuracy_m").flatMap(Double.init), satellites: cell("sats").flatMap { UInt8($0) },
                flags: flags)
        }
        return (header, fixes)
    }

    /// RFC 4180 fields of one line.
    static func fields(_ line: String) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }

    /// The GPX form through Foundation's XML parser: the track name and its points.
    static func gpx(_ bytes: [UInt8]) throws -> (name: String, points: [GPXPoint]) {
        let delegate = GPXDelegate()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = delegate
        guard parser.parse() else {
            throw Failure(description: "GPX does not parse: \(String(describing: parser.parserError))")
        }
        return (delegate.name, delegate.points)
    }

    struct GPXPoint: Equatable {
        var lat: Int32
        var lon: Int32
        var ele: Double?
        var timeMs: Int64?
        var sat: Int?
        var hdop: Double?
    }

    final class GPXDelegate: NSObject, XMLParserDelegate {
        var name = ""
        var points: [GPXPoint] = []
        var text = ""

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            text = ""
            if element == "trkpt" {
                points.append(
                    GPXPoint(
                        lat: CoordinateE7.fromDegrees(Double(attributes["lat"] ?? "") ?? 0),
                        lon: CoordinateE7.fromDegrees(Double(attributes["lon"] ?? "") ?? 0)))
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(
            _ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?
        ) {
            switch element {
            case "name": name = text
            case "ele": points[points.count - 1].ele = Double(text)
            case "time": points[points.count - 1].timeMs = ISO8601.parse(text.utf8)
            case "sat": points[points.count - 1].sat = Int(text)
            case "hdop": points[points.count - 1].hdop = Double(text)
            default: break
            }
        }
    }
}
