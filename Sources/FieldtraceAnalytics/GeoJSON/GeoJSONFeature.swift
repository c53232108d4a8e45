/// A WGS-84 position as GeoJSON writes it: longitude first, degrees.
public struct GeoPosition: Sendable, Hashable {
    public var longitude: Double
    public var latitude: Double
    /// Metres, if the file gave a third coordinate (kept for round trips, unused by fences).
    public var altitude: Double?

    public init(longitude: Double, latitude: Double, altitude: Double? = nil) {
        self.longitude = longitude
        self.latitude = latitude
        self.altitude = altitude
    }
}

/// The GeoJSON geometries fences and routes use (RFC 7946 section 3.1). GeometryCollection is
/// not supported (no fence or route needs it); it is reported as an error.
public enum GeoJSONGeometry: Sendable, Hashable {
    case point(GeoPosition)
    case multiPoint([GeoPosition])
    case lineString([GeoPosition])
    case multiLineString([[GeoPosition]])
    /// Linear rings: the exterior first, then holes. Each ring is closed (first == last) and has
    /// at least four positions (checked when read).
    case polygon([[GeoPosition]])
    case multiPolygon([[[GeoPosition]]])

    /// The GeoJSON `type` name.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        }
    }
}

/// One GeoJSON Feature: an optional id, a geometry (`null` allowed by the RFC) and its
/// properties in document order. The generic form behind fences and planned routes: a reader
/// of routes takes `lineString` features and their `width_m`, `device`, `from`, `to` properties.
public struct GeoJSONFeature: Sendable, Hashable {
    /// The Feature's `id` member (a string or a number), if any.
    public var id: JSONValue?
    public var geometry: GeoJSONGeometry?
    /// The `properties` object's members, in order (empty for `null` or absent properties).
    public var properties: [JSONMember]

    public init(id: JSONValue? = nil, geometry: GeoJSONGeometry?, properties: [JSONMember] = []) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
    }

    /// The value of the property named `key`.
    public func property(_ key: String) -> JSONValue? {
        properties.first { $0.key == key }?.value
    }

    /// The feature's identifier as text: the `id` member (a string, or a number's text), else a
    /// string or number `id` property; `nil` if neither is present.
    public var identifier: String? {
        for candidate in [id, property("id")] {
            switch candidate {
            case .string(let s)?: return s
            case .number(let n)?: return n.text
            default: continue
            }
        }
        return nil
    }
}
