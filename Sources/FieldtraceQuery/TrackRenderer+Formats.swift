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

    /// Writes one item of a fix at `p` (at most `maxItemBytes`); returns the end.
    @inline(__always)
    mutating func write(_ item: Item, _ fix: Fix, _ p: FastText.Cursor) -> FastText.Cursor {
        switch item {
        case .jsonFix: return writeJSONFix(fix, p)
        case .geoTime:
            let q = time.write(fix.timeMs, FastText.byte(UInt8(ascii: "\""), p))
            return FastText.byte(UInt8(ascii: "\""), q)
        case .geoPosition: return Self.writePosition(fix, p)
        case .gpxPoint: return writeGPXPoint(fix, p)
        case .csvRow: return writeCSVRow(fix, p)
        }
    }

    /// The fix in the JSON-lines shape of `Fix.appendJSONLine` (same keys, same order).
    mutating func writeJSONFix(_ fix: Fix, _ p: FastText.Cursor) -> FastText.Cursor {
        var p = FastText.bytes(#"{"device":""#, p)
        p = writeDevice(fix.device, json: true, p)
        p = FastText.bytes(#"","time":""#, p)
        p = time.write(fix.timeMs, p)
        p = FastText.bytes(#"","lat":"#, p)
        p = FastText.e7(fix.latitudeE7, p)
        p = FastText.bytes(#","lon":"#, p)
        p = FastText.e7(fix.longitudeE7, p)
        if let v = fix.altitudeM { p = FastText.number(v, FastText.bytes(#","alt_m":"#, p)) }
        if let v = fix.speedMps { p = FastText.number(v, FastText.bytes(#","speed_mps":"#, p)) }
        if let v = fix.courseDeg { p = FastText.number(v, FastText.bytes(#","course_deg":"#, p)) }
        if let v = fix.hdop { p = FastText.number(v, FastText.bytes(#","hdop":"#, p)) }
        if let v = fix.accuracyM { p = FastText.number(v, FastText.bytes(#","accuracy_m":"#, p)) }
        if let v = fix.satellites { p = FastText.unsigned(UInt64(v), FastText.bytes(#","sats":"#, p)) }
        p = FastText.bytes(fix.isValid ? #","valid":true"# : #","valid":false"#, p)
        return FastText.bytes(fix.isLate ? #","late":true}"# : #","late":false}"#, p)
    }

    /// A fix's device id as JSON string content or a CSV field (the track's own, prepared once).
    @inline(__always)
    func writeDevice(_ id: DeviceID, json: Bool, _ p: FastText.Cursor) -> FastText.Cursor {
        if id == device {
            return (json ? deviceJSON : deviceCSV).withUnsafeBufferPointer { FastText.bytes($0, p) }
        }
        var text: [UInt8] = []
        if json {
            JSONText.appendEscaped(id.rawValue, to: &text)
        } else {
            ByteText.appendCSVField(id.rawValue, to: &text)
        }
        return text.withUnsafeBufferPointer { FastText.bytes($0, p) }
    }

    /// `[lon,lat]` or `[lon,lat,alt_m]`.
    @inline(__always)
    static func writePosition(_ fix: Fix, _ p: FastText.Cursor) -> FastText.Cursor {
        var p = FastText.byte(UInt8(ascii: "["), p)
        p = FastText.e7(fix.longitudeE7, p)
        p = FastText.e7(fix.latitudeE7, FastText.byte(UInt8(ascii: ","), p))
        if let altitude = fix.altitudeM { p = FastText.number(altitude, FastText.byte(UInt8(ascii: ","), p)) }
        return FastText.byte(UInt8(ascii: "]"), p)
    }

    mutating func writeGPXPoint(_ fix: Fix, _ p: FastText.Cursor) -> FastText.Cursor {
        var p = FastText.bytes(#"<trkpt lat=""#, p)
        p = FastText.e7(fix.latitudeE7, p)
        p = FastText.e7(fix.longitudeE7, FastText.bytes(#"" lon=""#, p))
        p = FastText.bytes(#"">"#, p)
        if let altitude = fix.altitudeM, altitude.isFinite {
            p = FastText.bytes("</ele>", FastText.number(altitude, FastText.bytes("<ele>", p)))
        }
        p = FastText.bytes("</time>", time.write(fix.timeMs, FastText.bytes("<time>", p)))
        if let satellites = fix.satellites {
            p = FastText.bytes("</sat>", FastText.unsigned(UInt64(satellites), FastText.bytes("<sat>", p)))
        }
        if let hdop = fix.hdop, hdop.isFinite {
            p = FastText.bytes("</hdop>", FastText.number(hdop, FastText.bytes("<hdop>", p)))
        }
        return FastText.bytes("</trkpt>\n", p)
    }

    /// A CSV row of the `csvHeader` columns, newline included. An absent value is an empty cell;
    /// a device id holding a comma or quote is quoted (RFC 4180).
    mutating func writeCSVRow(_ fix: Fix, _ p: FastText.Cursor) -> FastText.Cursor {
        Self.writeCSVTail(fix, time: &time, writeDevice(fix.device, json: false, p))
    }

    /// The CSV row after the device column.
    static func writeCSVTail(_ fix: Fix, time: inout TimeText, _ p: FastText.Cursor) -> FastText.Cursor {
        @inline(__always) func optional(_ value: Double?, _ p: FastText.Cursor) -> FastText.Cursor {
            let q = FastText.byte(UInt8(ascii: ","), p)
            guard let value else { return q }
            return FastText.number(value, q)
        }
        var p = time.write(fix.timeMs, FastText.byte(UInt8(ascii: ","), p))
        p = FastText.e7(fix.latitudeE7, FastText.byte(UInt8(ascii: ","), p))
        p = FastText.e7(fix.longitudeE7, FastText.byte(UInt8(ascii: ","), p))
        p = optional(fix.altitudeM, p)
        p = optional(fix.speedMps, p)
        p = optional(fix.courseDeg, p)
        p = optional(fix.hdop, p)
        p = optional(fix.accuracyM, p)
        p = FastText.byte(UInt8(ascii: ","), p)
        if let satellites = fix.satellites { p = FastText.unsigned(UInt64(satellites), p) }
        p = FastText.bytes(fix.isValid ? ",true" : ",false", p)
        p = FastText.bytes(fix.isLate ? ",true," : ",false,", p)
        if let received = fix.receivedMs { p = time.write(received, p) }
        return FastText.byte(UInt8(ascii: "\n"), p)
    }

    /// Appends one CSV row (the CLI's writer for `import`-able CSV). No allocation beyond `out`'s.
    public static func appendCSVRow(_ fix: Fix, to out: inout [UInt8]) {
        ByteText.appendCSVField(fix.device.rawValue, to: &out)
        var time = TimeText()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxItemBytes) { scratch in
            let base = scratch.baseAddress!
            let end = writeCSVTail(fix, time: &time, base)
            out.append(contentsOf: UnsafeBufferPointer(start: base, count: end - base))
        }
    }
}
