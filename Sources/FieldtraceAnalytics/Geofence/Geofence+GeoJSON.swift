/// Fences as GeoJSON FeatureCollections.
///
/// Each Feature is one fence: its `id` member (or an `id` property) is the fence id; the
/// geometry gives the kind (Point + `radius_m` = circle, Polygon/MultiPolygon = polygon,
/// LineString + `width_m` = corridor, full width). Recognised properties: `name`, `radius_m`,
/// `width_m`, `margin_m`, `enter_dwell_s`, `exit_dwell_s`, `dwell_s`, `active_hours`,
/// `utc_offset` / `timezone_offset_min`, `speed_limit_kmh`; all other properties are kept.
extension Geofence {
    static let knownKeys: Set<String> = [
        "id", "name", "radius_m", "width_m", "margin_m", "enter_dwell_s", "exit_dwell_s", "dwell_s", "active_hours",
        "utc_offset", "timezone_offset_min", "speed_limit_kmh",
    ]

    /// Reads all fences of a FeatureCollection; rejects the whole file on the first bad fence
    /// (a partially loaded fence set would silently miss visits). Ids must be unique.
    public static func readCollection(_ bytes: [UInt8], parser: JSONParser = JSONParser()) throws(GeoJSONError)
        -> [Geofence]
    {
        try GeoJSON.readUniqueCollection(bytes, parser: parser, make: Geofence.init(feature:index:), id: \.id)
    }

    /// Reads one fence from a feature; `index` is used in errors.
    public init(feature: GeoJSONFeature, index: Int) throws(GeoJSONError) {
        func fail(_ reason: GeoJSONError.Reason) -> GeoJSONError { GeoJSONError(featureIndex: index, reason) }
        func number(_ key: String, positive: Bool = false) throws(GeoJSONError) -> Double? {
            switch feature.property(key) {
            case nil, .null?: return nil
            case .number(let n)?:
                if positive ? !(n.value > 0) : !(n.value >= 0) {
                    throw fail(.invalidProperty(key: key, positive ? "must be > 0" : "must be >= 0"))
                }
                return n.value
            case let other?: throw fail(.invalidProperty(key: key, "must be a number, not \(other.typeName)"))
            }
        }
        func string(_ key: String) throws(GeoJSONError) -> String? {
            switch feature.property(key) {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?: throw fail(.invalidProperty(key: key, "must be a string, not \(other.typeName)"))
            }
        }

        guard let id = feature.identifier, !id.isEmpty else { throw fail(.missingID) }
        let shape: GeofenceShape
        switch feature.geometry {
        case .point(let center)?:
            guard let radius = try number("radius_m", positive: true) else {
                throw fail(.invalidProperty(key: "radius_m", "a Point fence (circle) needs radius_m > 0"))
            }
            shape = .circle(center: center, radiusM: radius)
        case .polygon(let rings)?: shape = .polygon(rings)
        case .multiPolygon(let polygons)?: shape = .multiPolygon(polygons)
        case .lineString(let line)?:
            guard let width = try number("width_m", positive: true) else {
                throw fail(.invalidProperty(key: "width_m", "a LineString fence (corridor) needs width_m > 0"))
            }
            shape = .corridor(line: line, widthM: width)
        case let other?:
            throw fail(
                .invalidGeometry(
                    "a fence is a Point with radius_m, a Polygon or MultiPolygon, or a LineString with width_m; "
                        + "found \(other.typeName)"))
        case nil:
            throw fail(.invalidGeometry("a fence needs a geometry"))
        }

        var offset = 0
        if let text = try string("utc_offset") {
            guard let minutes = ActiveHours.parseUTCOffset(text) else {
                throw fail(.invalidProperty(key: "utc_offset", "expected \"+HH:MM\", \"-HH:MM\" or \"Z\""))
            }
            offset = minutes
        } else if let minutes = feature.property("timezone_offset_min") {
            guard let m = minutes.doubleValue, m == m.rounded(), abs(m) < 1440 else {
                throw fail(.invalidProperty(key: "timezone_offset_min", "must be whole minutes, -1439...1439"))
            }
            offset = Int(m)
        }
        var activeHours: ActiveHours?
        if let text = try string("active_hours") {
            guard let hours = ActiveHours(parsing: text, utcOffsetMinutes: offset) else {
                throw fail(.invalidProperty(key: "active_hours", "expected \"HH:MM-HH:MM\" ranges, comma-separated"))
            }
            activeHours = hours
        }
        self.init(
            id: id, name: try string("name"), shape: shape, marginM: try number("margin_m"),
            enterDwellS: try number("enter_dwell_s"), exitDwellS: try number("exit_dwell_s"),
            dwellS: try number("dwell_s", positive: true), activeHours: activeHours,
            speedLimitKmh: try number("speed_limit_kmh", positive: true),
            otherProperties: feature.properties.filter { !Self.knownKeys.contains($0.key) })
    }

    /// The fence as a GeoJSON Feature (id as the Feature's `id` member; known properties first,
    /// in a fixed order, then the others as read).
    public var feature: GeoJSONFeature {
        var properties: [JSONMember] = []
        if let name { properties.append(JSONMember("name", .string(name))) }
        let geometry: GeoJSONGeometry
        switch shape {
        case .circle(let center, let radius):
            geometry = .point(center)
            properties.append(JSONMember("radius_m", .number(radius)))
        case .polygon(let rings): geometry = .polygon(rings)
        case .multiPolygon(let polygons): geometry = .multiPolygon(polygons)
        case .corridor(let line, let width):
            geometry = .lineString(line)
            properties.append(JSONMember("width_m", .number(width)))
        }
        let numbers: [(String, Double?)] = [
            ("margin_m", marginM), ("enter_dwell_s", enterDwellS), ("exit_dwell_s", exitDwellS), ("dwell_s", dwellS),
        ]
        for case (let key, let value?) in numbers { properties.append(JSONMember(key, .number(value))) }
        if let activeHours {
            properties.append(JSONMember("active_hours", .string(activeHours.description)))
            properties.append(
                JSONMember("utc_offset", .string(ActiveHours.formatUTCOffset(activeHours.utcOffsetMinutes))))
        }
        if let speedLimitKmh { properties.append(JSONMember("speed_limit_kmh", .number(speedLimitKmh))) }
        properties.append(contentsOf: otherProperties)
        return GeoJSONFeature(id: .string(id), geometry: geometry, properties: properties)
    }

    /// Writes fences as a compact FeatureCollection.
    public static func appendCollection(_ fences: [Geofence], to out: inout [UInt8]) {
        GeoJSON.appendFeatureCollection(fences.map(\.feature), to: &out)
    }
}
