import FieldtraceCore

/// The four formats: a document is fixed text around one or two runs of per-fix items.
extension TrackRenderer {
    static func sections(_ format: TrackFormat, device: DeviceID, count: Int, range: Range<Int64>?) -> [Section] {
        switch format {
        case .json:
            var head = Array(#"{"device":""#.utf8)
            JSONText.appendEscaped(device.rawValue, to: &head)
            head.append(UInt8(ascii: "\""))
            if let range {
                head.append(contentsOf: #","from":""#.utf8)
                ISO8601.append(ms: range.lowerBound, to: &head)
                head.append(contentsOf: #"","to":""#.utf8)
                ISO8601.append(ms: range.upperBound, to: &head)
                head.append(UInt8(ascii: "\""))
            }
            head.append(contentsOf: #","count":"#.utf8)
            ByteText.append(Int64(count), to: &head)
            head.append(contentsOf: #","fixes":["#.utf8)
            return [.text(head), .each(.jsonFix, separated: true), .text(Array("]}\n".utf8))]
        case .geojson:
            guard count > 0 else { return [.text(Array(#"{"type":"FeatureCollection","features":[]}"#.utf8 + [10]))] }
            var head = Array(
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"device":""#.utf8)
            JSONText.appendEscaped(device.rawValue, to: &head)
            head.append(contentsOf: #"","times":["#.utf8)
            let point = count == 1
            let middle =
                point
                ? #"]},"geometry":{"type":"Point","coordinates":"#
                : #"]},"geometry":{"type":"LineString","coordinates":["#
            return [
                .text(head), .each(.geoTime, separated: true), .text(Array(middle.utf8)),
                .each(.geoPosition, separated: true), .text(Array((point ? "}}]}\n" : "]}}]}\n").utf8)),
            ]
        case .gpx:
            var head = Array(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <gpx version="1.1" creator="fieldtrace" xmlns="http://www.topografix.com/GPX/1/1">
                <trk><name>
                """.utf8)
            ByteText.appendXMLEscaped(device.rawValue, to: &head)
            head.append(contentsOf: "</name><trkseg>\n".utf8)
            return [.text(head), .each(.gpxPoint, separated: false), .text(Array("</trkseg></trk>\n</gpx>\n".utf8))]
        case .csv:
            return [.text(Array((csvHeader + "\n").utf8)), .each(.csvRow, separated: false)]
        }
    }

    @inline(__always)
    static func append(_ item: Item, _ fix: Fix, to out: inout [UInt8]) {
        switch item {
        case .jsonFix: fix.appendJSONLine(to: &out)
        case .geoTime:
            out.append(UInt8(ascii: "\""))
            ISO8601.append(ms: fix.timeMs, to: &out)
            out.append(UInt8(ascii: "\""))
        case .geoPosition: appendPosition(fix, to: &out)
        case .gpxPoint: appendGPXPoint(fix, to: &out)
        case .csvRow: appendCSVRow(fix, to: &out)
        }
    }

    /// `[lon,lat]` or `[lon,lat,alt_m]`.
    static func appendPosition(_ fix: Fix, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        CoordinateE7.appendDecimal(fix.longitudeE7, to: &out)
        out.append(UInt8(ascii: ","))
        CoordinateE7.appendDecimal(fix.latitudeE7, to: &out)
        if let altitude = fix.altitudeM {
            out.append(UInt8(ascii: ","))
            JSONText.appendNumber(altitude, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func appendGPXPoint(_ fix: Fix, to out: inout [UInt8]) {
        out.append(contentsOf: #"<trkpt lat=""#.utf8)
        CoordinateE7.appendDecimal(fix.latitudeE7, to: &out)
        out.append(contentsOf: #"" lon=""#.utf8)
        CoordinateE7.appendDecimal(fix.longitudeE7, to: &out)
        out.append(contentsOf: #"">"#.utf8)
        if let altitude = fix.altitudeM, altitude.isFinite {
            out.append(contentsOf: "<ele>".utf8)
            JSONText.appendNumber(altitude, to: &out)
            out.append(contentsOf: "</ele>".utf8)
        }
        out.append(contentsOf: "<time>".utf8)
        ISO8601.append(ms: fix.timeMs, to: &out)
        out.append(contentsOf: "</time>".utf8)
        if let satellites = fix.satellites {
            out.append(contentsOf: "<sat>".utf8)
            ByteText.append(Int64(satellites), to: &out)
            out.append(contentsOf: "</sat>".utf8)
        }
        if let hdop = fix.hdop, hdop.isFinite {
            out.append(contentsOf: "<hdop>".utf8)
            JSONText.appendNumber(hdop, to: &out)
            out.append(contentsOf: "</hdop>".utf8)
        }
        out.append(contentsOf: "</trkpt>\n".utf8)
    }

    /// A CSV row of the `csvHeader` columns, newline included. An absent value is an empty cell.
    /// Device ids are printable ASCII without spaces; one holding a comma or quote is quoted.
    public static func appendCSVRow(_ fix: Fix, to out: inout [UInt8]) {
        @inline(__always) func optional(_ value: Double?) {
            out.append(UInt8(ascii: ","))
            if let value { JSONText.appendNumber(value, to: &out) }
        }
        ByteText.appendCSVField(fix.device.rawValue, to: &out)
        out.append(UInt8(ascii: ","))
        ISO8601.append(ms: fix.timeMs, to: &out)
        out.append(UInt8(ascii: ","))
        CoordinateE7.appendDecimal(fix.latitudeE7, to: &out)
        out.append(UInt8(ascii: ","))
        CoordinateE7.appendDecimal(fix.longitudeE7, to: &out)
        optional(fix.altitudeM)
        optional(fix.speedMps)
        optional(fix.courseDeg)
        optional(fix.hdop)
        optional(fix.accuracyM)
        out.append(UInt8(ascii: ","))
        if let satellites = fix.satellites { ByteText.append(Int64(satellites), to: &out) }
        out.append(contentsOf: (fix.isValid ? ",true" : ",false").utf8)
        out.append(contentsOf: (fix.isLate ? ",true," : ",false,").utf8)
        if let received = fix.receivedMs { ISO8601.append(ms: received, to: &out) }
        out.append(UInt8(ascii: "\n"))
    }
}
