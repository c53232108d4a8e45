import FieldtraceCore

/// A planned route assigned to a device for a time window: a polyline with a corridor around it.
///
/// Read from a routes GeoJSON file (a LineString with `id`, `width_m`, `device`, `from`, `to`
/// properties) by the GeoJSON reader; this type only holds the values.
public struct PlannedRoute: Sendable, Hashable {
    /// A vertex of the polyline, degrees WGS-84.
    public struct Point: Sendable, Hashable {
        public var latitude: Double
        public var longitude: Double
        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    public var id: String
    /// The device the route is assigned to.
    public var device: DeviceID
    /// The assignment's window, ms UTC, inclusive.
    public var fromMs: Int64
    public var toMs: Int64
    /// Full width of the corridor, metres: the corridor reaches `widthMeters / 2` on each side
    /// of the polyline (as a road's width is measured, and as the `width_m` of a corridor fence).
    public var widthMeters: Double
    /// The polyline, at least two vertices, in travel order.
    public var points: [Point]

    public init(id: String, device: DeviceID, fromMs: Int64, toMs: Int64, widthMeters: Double, points: [Point]) {
        self.id = id
        self.device = device
        self.fromMs = fromMs
        self.toMs = toMs
        self.widthMeters = widthMeters
        self.points = points
    }
}
