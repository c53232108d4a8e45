import FieldtraceCore

/// Reading and writing GeoJSON FeatureCollections (RFC 7946), standard library only.
///
/// Reading checks what every consumer relies on: positions are 2 or 3 numbers in range,
/// polygon rings are closed with at least four positions, line strings have at least two.
/// Errors name the feature's index. Foreign members and `bbox` are ignored.
public enum GeoJSON {
    /// Reads the features of a FeatureCollection (or of a single Feature, as one element).
    public static func readFeatures(
        _ bytes: [UInt8], parser: JSONParser = JSONParser()
    ) throws(GeoJSONError) -> [GeoJSONFeature] {
        let root: JSONValue
        do {
            root = try parser.parse(bytes)
        } catch {
            throw GeoJSONError(featureIndex: nil, .json(error))
        }
        switch root["type"]?.stringValue {
        case "FeatureCollection":
            guard let features = root["features"]?.arrayValue else {
                throw GeoJSONError(featureIndex: nil, .notGeoJSON("a FeatureCollection needs a \"features\" array"))
            }
            var result: [GeoJSONFeature] = []
            result.reserveCapacity(features.count)
            for (index, feature) in features.enumerated() {
                result.append(try readFeature(feature, index: index))
            }
            return result
        case "Feature":
            return [try readFeature(root, index: 0)]
        case let type?:
            throw GeoJSONError(featureIndex: nil, .notGeoJSON("expected a FeatureCollection or Feature, found \(type)"))
        case nil:
            throw GeoJSONError(featureIndex: nil, .notGeoJSON("the top-level value has no \"type\""))
        }
    }

    /// Reads a FeatureCollection into one value per feature with `make(feature, index)`, refusing
    /// the whole file on the first bad feature (a partly loaded set silently misses events) or on
    /// a repeated `id(value)`. Shared by fences and routes.
    public static func readUniqueCollection<Value>(
        _ bytes: [UInt8], parser: JSONParser = JSONParser(),
        make: (GeoJSONFeature, Int) throws(GeoJSONError) -> Value, id: (Value) -> String
    ) throws(GeoJSONError) -> [Value] {
        let features = try readFeatures(bytes, parser: parser)
        var values: [Value] = []
        values.reserveCapacity(features.count)
        var ids: Set<String> = []
        for (index, feature) in features.enumerated() {
            let value = try make(feature, index)
            guard ids.insert(id(value)).inserted else {
                throw GeoJSONError(featureIndex: index, .duplicateID(id(value)))
            }
            values.append(value)
        }
        return values
    }

    /// Reads one Feature object; `index` is only used in errors.
    public static func readFeature(_ value: JSONValue, index: Int) throws(GeoJSONError) -> GeoJSONFeature {
        guard value.objectValue != nil, value["type"]?.stringValue == "Feature" else {
            throw GeoJSONError(featureIndex: index, .notGeoJSON("expected an object with \"type\": \"Feature\""))
        }
        var id: JSONValue?
        switch value["id"] {
        case nil, .null?: id = nil
        case .string?, .number?: id = value["id"]
        case let other?:
            throw GeoJSONError(featureIndex: index, .notGeoJSON("id must be a string or number, not \(other.typeName)"))
        }
        let geometry: GeoJSONGeometry?
        switch value["geometry"] {
        case nil, .null?: geometry = nil
        case let g?: geometry = try readGeometry(g, index: index)
        }
        let properties: [JSONMember]
        switch value["properties"] {
        case nil, .null?: properties = []
        case .object(let members)?: properties = members
        case let other?:
            throw GeoJSONError(featureIndex: index, .notGeoJSON("properties must be an object, not \(other.typeName)"))
        }
        return GeoJSONFeature(id: id, geometry: geometry, properties: properties)
    }

    /// Reads a geometry object.
    public static func readGeometry(_ value: JSONValue, index: Int) throws(GeoJSONError) -> GeoJSONGeometry {
        guard let type = value["type"]?.stringValue else {
            throw GeoJSONError(featureIndex: index, .invalidGeometry("a geometry needs a \"type\""))
        }
        if type == "GeometryCollection" { throw GeoJSONError(featureIndex: index, .unsupportedGeometry(type)) }
        guard let coordinates = value["coordinates"] else {
            throw GeoJSONError(featureIndex: index, .invalidGeometry("\(type) needs \"coordinates\""))
        }
        let reader = CoordinateReader(featureIndex: index)
        switch type {
        case "Point": return .point(try reader.position(coordinates))
        case "MultiPoint": return .multiPoint(try reader.positions(coordinates, minimum: 1, what: "MultiPoint"))
        case "LineString": return .lineString(try reader.positions(coordinates, minimum: 2, what: "LineString"))
        case "MultiLineString":
            return .multiLineString(
                try reader.array(coordinates, what: "MultiLineString").map { (line) throws(GeoJSONError) in
                    try reader.positions(line, minimum: 2, what: "LineString")
                })
        case "Polygon": return .polygon(try reader.polygon(coordinates))
        case "MultiPolygon":
            return .multiPolygon(
                try reader.array(coordinates, what: "MultiPolygon").map { (p) throws(GeoJSONError) in
                    try reader.polygon(p)
                })
        default: throw GeoJSONError(featureIndex: index, .unsupportedGeometry(type))
        }
    }

    private struct CoordinateReader {
        let featureIndex: Int

        func fail(_ reason: GeoJSONError.Reason) -> GeoJSONError { GeoJSONError(featureIndex: featureIndex, reason) }

        func array(_ value: JSONValue, what: String) throws(GeoJSONError) -> [JSONValue] {
            guard let a = value.arrayValue else { throw fail(.invalidGeometry("\(what) coordinates must be an array")) }
            return a
        }

        func position(_ value: JSONValue) throws(GeoJSONError) -> GeoPosition {
            guard let a = value.arrayValue, a.count == 2 || a.count == 3,
                let lon = a[0].doubleValue, let lat = a[1].doubleValue
            else { throw fail(.invalidGeometry("a position must be an array of 2 or 3 numbers [lon, lat, alt?]")) }
            var altitude: Double?
            if a.count == 3 {
                guard let alt = a[2].doubleValue else { throw fail(.invalidGeometry("altitude must be a number")) }
                altitude = alt
            }
            guard lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 else {
                throw fail(.coordinateOutOfRange(latitude: lat, longitude: lon))
            }
            return GeoPosition(longitude: lon, latitude: lat, altitude: altitude)
        }

        func positions(_ value: JSONValue, minimum: Int, what: String) throws(GeoJSONError) -> [GeoPosition] {
            let a = try array(value, what: what)
            guard a.count >= minimum else {
                throw fail(.invalidGeometry("a \(what) needs at least \(minimum) positions, found \(a.count)"))
            }
            return try a.map { (p) throws(GeoJSONError) in try position(p) }
        }

        func polygon(_ value: JSONValue) throws(GeoJSONError) -> [[GeoPosition]] {
            let rings = try array(value, what: "Polygon")
            guard !rings.isEmpty else { throw fail(.invalidGeometry("a Polygon needs at least one ring")) }
            var result: [[GeoPosition]] = []
            for (r, ringValue) in rings.enumerated() {
                let ring = try positions(ringValue, minimum: 0, what: "ring")
                guard ring.count >= 4 else { throw fail(.ringTooShort(ring: r, positions: ring.count)) }
                guard ring.first!.latitude == ring.last!.latitude, ring.first!.longitude == ring.last!.longitude else {
                    throw fail(.ringNotClosed(ring: r))
                }
                result.append(ring)
            }
            return result
        }
    }
}

extension GeoJSON {
    /// Appends `{"type":"FeatureCollection","features":[...]}` (compact) to a byte buffer.
    public static func appendFeatureCollection(_ features: [GeoJSONFeature], to out: inout [UInt8]) {
        out.append(contentsOf: #"{"type":"FeatureCollection","features":["#.utf8)
        for (i, feature) in features.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendFeature(feature, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
    }

    /// Appends one Feature object.
    public static func appendFeature(_ feature: GeoJSONFeature, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"type":"Feature""#.utf8)
        if let id = feature.id {
            out.append(contentsOf: #","id":"#.utf8)
            id.appendJSON(to: &out)
        }
        out.append(contentsOf: #","geometry":"#.utf8)
        if let geometry = feature.geometry {
            appendGeometry(geometry, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #","properties":"#.utf8)
        JSONValue.object(feature.properties).appendJSON(to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends a geometry object.
    public static func appendGeometry(_ geometry: GeoJSONGeometry, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"type":""#.utf8)
        out.append(contentsOf: geometry.typeName.utf8)
        out.append(contentsOf: #"","coordinates":"#.utf8)
        switch geometry {
        case .point(let p): appendPosition(p, to: &out)
        case .multiPoint(let ps), .lineString(let ps): appendPositions(ps, to: &out)
        case .multiLineString(let lines), .polygon(let lines):
            appendList(lines, to: &out) { appendPositions($0, to: &$1) }
        case .multiPolygon(let polygons):
            appendList(polygons, to: &out) { polygon, out in
                appendList(polygon, to: &out) { appendPositions($0, to: &$1) }
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func appendList<T>(_ items: [T], to out: inout [UInt8], _ body: (T, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            body(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func appendPositions(_ positions: [GeoPosition], to out: inout [UInt8]) {
        appendList(positions, to: &out) { appendPosition($0, to: &$1) }
    }

    private static func appendPosition(_ p: GeoPosition, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        JSONText.appendNumber(p.longitude, to: &out)
        out.append(UInt8(ascii: ","))
        JSONText.appendNumber(p.latitude, to: &out)
        if let altitude = p.altitude {
            out.append(UInt8(ascii: ","))
            JSONText.appendNumber(altitude, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
