/// Why a GeoJSON file (or a fence or route in it) was rejected: the feature's index in the
/// collection (from 0) and what is wrong, in words an analyst can act on.
public struct GeoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The text is not JSON.
        case json(JSONParseError)
        /// The JSON is not a FeatureCollection or Feature (or a member has the wrong type).
        case notGeoJSON(String)
        /// A geometry is malformed (missing `coordinates`, a position that is not 2-3 numbers, ...).
        case invalidGeometry(String)
        /// A GeoJSON geometry type that is valid but not supported here.
        case unsupportedGeometry(String)
        /// A polygon ring whose first and last positions differ.
        case ringNotClosed(ring: Int)
        /// A polygon ring with fewer than four positions.
        case ringTooShort(ring: Int, positions: Int)
        /// A latitude outside -90...90 or a longitude outside -180...180.
        case coordinateOutOfRange(latitude: Double, longitude: Double)
        /// A fence or route without an `id`.
        case missingID
        /// A second feature with an id already used (`featureIndex` is the second one).
        case duplicateID(String)
        /// A property with a wrong type or value (`radius_m` <= 0, a malformed `active_hours`).
        case invalidProperty(key: String, String)
    }

    /// Index of the offending feature in `features`, or `nil` for file-level problems.
    public var featureIndex: Int?
    public var reason: Reason

    public init(featureIndex: Int?, _ reason: Reason) {
        self.featureIndex = featureIndex
        self.reason = reason
    }

    public var description: String {
        let prefix = featureIndex.map { "feature \($0): " } ?? ""
        switch reason {
        case .json(let error): return prefix + "not valid JSON: \(error)"
        case .notGeoJSON(let what): return prefix + "not GeoJSON: \(what)"
        case .invalidGeometry(let what): return prefix + "invalid geometry: \(what)"
        case .unsupportedGeometry(let type): return prefix + "unsupported geometry type \(type)"
        case .ringNotClosed(let ring):
            return prefix + "polygon ring \(ring) is not closed (first and last positions differ)"
        case .ringTooShort(let ring, let positions):
            return prefix + "polygon ring \(ring) has \(positions) positions; a closed ring needs at least 4"
        case .coordinateOutOfRange(let lat, let lon):
            return prefix + "position [\(lon), \(lat)] is out of range (longitude -180...180, latitude -90...90)"
        case .missingID: return prefix + "missing id (a Feature id or an \"id\" property)"
        case .duplicateID(let id): return prefix + "duplicate id \"\(id)\""
        case .invalidProperty(let key, let what): return prefix + "property \"\(key)\": \(what)"
        }
    }
}
