import FieldtraceCore

/// Planned routes as GeoJSON: a FeatureCollection of LineStrings, each with the properties
/// `id` (or the feature's id), `width_m` (full corridor width, metres, > 0), `device`, and `from`
/// and `to` (ISO 8601: the window the route is assigned for; `to` after `from`).
extension PlannedRoute {
    /// Reads every route of a FeatureCollection; the whole file is refused on the first bad
    /// route (a partly loaded plan would silently miss deviations). Ids must be unique.
    public static func readCollection(_ bytes: [UInt8], parser: JSONParser = JSONParser()) throws(GeoJSONError)
        -> [PlannedRoute]
    {
        try GeoJSON.readUniqueCollection(bytes, parser: parser, make: PlannedRoute.init(feature:index:), id: \.id)
    }

    /// Reads one route from a feature; `index` is used in errors.
    public init(feature: GeoJSONFeature, index: Int) throws(GeoJSONError) {
        func fail(_ key: String, _ why: String) -> GeoJSONError {
            GeoJSONError(featureIndex: index, .invalidProperty(key: key, why))
        }
        guard let id = feature.identifier, !id.isEmpty else { throw GeoJSONError(featureIndex: index, .missingID) }
        guard case .lineString(let positions)? = feature.geometry else {
            throw fail("geometry", "a route must be a LineString")
        }
        guard positions.count >= 2 else { throw fail("geometry", "a route needs at least 2 positions") }
        guard let width = feature.property("width_m")?.doubleValue, width > 0, width.isFinite else {
            throw fail("width_m", "must be a number > 0")
        }
        guard let deviceText = feature.property("device")?.stringValue, let device = DeviceID(deviceText) else {
            throw fail("device", "must be a device id")
        }
        guard let fromText = feature.property("from")?.stringValue, let from = ISO8601.parse(fromText.utf8) else {
            throw fail("from", "must be an ISO 8601 time")
        }
        guard let toText = feature.property("to")?.stringValue, let to = ISO8601.parse(toText.utf8), to > from else {
            throw fail("to", "must be an ISO 8601 time after from")
        }
        self.init(
            id: id, device: device, fromMs: from, toMs: to, widthMeters: width,
            points: positions.map { Point(latitude: $0.latitude, longitude: $0.longitude) })
    }
}
