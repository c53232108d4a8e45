import FieldtraceCore
import FieldtraceQuery
import FieldtraceWire
import Foundation

/// Text forms of fixes that `import` reads and `export` writes besides the wire protocols:
/// JSON lines in the shape `fieldtrace decode` prints, and CSV with the same columns.
enum FixTextFormats {
    static let csvHeader = TrackRenderer.csvHeader

    enum ParseError: Error, CustomStringConvertible {
        case line(Int, String)
        var description: String {
            switch self {
            case .line(let n, let why): "line \(n): \(why)"
            }
        }
    }

    /// Parses JSON lines; `device` overrides (or fills in) each line's device.
    static func parseJSONLines(_ bytes: [UInt8], device override: DeviceID?) throws -> [Fix] {
        var fixes: [Fix] = []
        for (index, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw ParseError.line(index + 1, "not a JSON object")
            }
            if object["ack"] != nil { continue }  // decode --acks output
            func number(_ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }
            fixes.append(
                try makeFix(
                    line: index + 1, device: override?.rawValue ?? object["device"] as? String,
                    time: object["time"] as? String, lat: number("lat"), lon: number("lon"), alt: number("alt_m"),
                    speed: number("speed_mps"), course: number("course_deg"), hdop: number("hdop"),
                    accuracy: number("accuracy_m"), sats: number("sats"), valid: object["valid"] as? Bool,
                    late: object["late"] as? Bool))
        }
        return fixes
    }

    /// Parses CSV with a header naming at least `time`, `lat`, `lon` (and `device` unless given).
    static func parseCSV(_ bytes: [UInt8], device override: DeviceID?) throws -> [Fix] {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let header = lines.first else { return [] }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
        guard column("time") != nil, column("lat") != nil, column("lon") != nil else {
            throw ParseError.line(1, "the header needs time, lat and lon columns")
        }
        var fixes: [Fix] = []
        for (index, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            func cell(_ name: String) -> String? {
                guard let i = column(name), i < cells.count, !cells[i].isEmpty else { return nil }
                return cells[i]
            }
            func number(_ name: String) -> Double? { cell(name).flatMap(Double.init) }
            fixes.append(
                try makeFix(
                    line: index + 2, device: override?.rawValue ?? cell("device"), time: cell("time"),
                    lat: number("lat"), lon: number("lon"), alt: number("alt_m"), speed: number("speed_mps"),
                    course: number("course_deg"), hdop: number("hdop"), accuracy: number("accuracy_m"),
                    sats: number("sats"), valid: cell("valid").map { $0 == "true" || $0 == "1" },
                    late: cell("late").map { $0 == "true" || $0 == "1" },
                    received: cell("received").flatMap { ISO8601.parse($0.utf8) }))
        }
        return fixes
    }

    static func makeFix(
        line: Int, device: String?, time: String?, lat: Double?, lon: Double?, alt: Double?, speed: Double?,
        course: Double?, hdop: Double?, accuracy: Double?, sats: Double?, valid: Bool?, late: Bool?,
        received: Int64? = nil
    ) throws -> Fix {
        guard let device, let id = DeviceID(device) else { throw ParseError.line(line, "missing or invalid device") }
        guard let time, let ms = ISO8601.parse(time.utf8) ?? unixTime(time) else {
            throw ParseError.line(line, "missing or invalid time")
        }
        guard let lat, let lon, abs(lat) <= 90, abs(lon) <= 180 else {
            throw ParseError.line(line, "missing or out-of-range lat/lon")
        }
        var flags: FixFlags = valid == false ? [] : .valid
        if late == true { flags.insert(.late) }
        return Fix(
            device: id, timeMs: ms, receivedMs: received, latitudeE7: CoordinateE7.fromDegrees(lat),
            longitudeE7: CoordinateE7.fromDegrees(lon),
            altitudeM: alt, speedMps: speed, courseDeg: course, hdop: hdop, accuracyM: accuracy,
            satellites: sats.map { UInt8(clamping: Int($0)) }, flags: flags)
    }

    /// A Unix time as digits: milliseconds when it has 12 or more digits (any time after March
    /// 1973), else seconds (10 digits until the year 2286), so `1764374400000` and `1764374400`
    /// name the same instant. Negative and fractional values are refused.
    static func unixTime(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let value = Int64(text)
        else { return nil }
        return text.utf8.count >= 12 ? value : value * 1000
    }

    // MARK: Writing

    /// Appends one fix as a line of CSV (the `csvHeader` columns) or of JSON lines, newline included.
    static func appendLine(_ fix: Fix, csv: Bool, to out: inout [UInt8]) {
        if csv {
            appendCSV(fix, to: &out)
        } else {
            fix.appendJSONLine(to: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// A CSV row of the `csvHeader` columns (the API's writer, `TrackRenderer`).
    static func appendCSV(_ fix: Fix, to out: inout [UInt8]) { TrackRenderer.appendCSVRow(fix, to: &out) }

    /// GeoJSON as the API serves it (see `TrackRenderer`): a FeatureCollection with one
    /// LineString feature and the fix times as the parallel `times` property.
    static func geoJSON(_ fixes: [Fix], device: DeviceID) -> [UInt8] {
        TrackRenderer.render(.geojson, device: device, fixes: fixes)
    }

    /// GPX 1.1 with one track segment (the API's writer).
    static func gpx(_ fixes: [Fix], device: DeviceID) -> [UInt8] {
        TrackRenderer.render(.gpx, device: device, fixes: fixes)
    }
}
