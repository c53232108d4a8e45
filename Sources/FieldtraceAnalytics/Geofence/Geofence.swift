/// A geofence: a named area with the rules the monitor applies at its boundary.
///
/// Read from and written to GeoJSON (see `Geofence+GeoJSON.swift`): a circle is a Point with
/// `radius_m`, a polygon a Polygon or MultiPolygon (holes allowed), a corridor a LineString
/// with `width_m`. Optional per-fence values override the monitor's defaults (`nil` = default).
public struct Geofence: Sendable, Hashable {
    /// Unique within a tenant's fence set; events carry it as `fence`.
    public var id: String
    public var name: String?
    public var shape: GeofenceShape
    /// Distance margin, metres: a fix must be at least this far inside to count as inside and
    /// this far outside to count as outside (`margin_m`).
    public var marginM: Double?
    /// Minimum time, seconds, the device must stay inside before `geofence.enter` (`enter_dwell_s`).
    public var enterDwellS: Double?
    /// Minimum time, seconds, the device must stay outside before `geofence.exit` (`exit_dwell_s`).
    public var exitDwellS: Double?
    /// Length of stay, seconds, after which `geofence.dwell` is emitted once per visit (`dwell_s`).
    public var dwellS: Double?
    /// When the fence produces events (`active_hours` with `utc_offset` or `timezone_offset_min`).
    public var activeHours: ActiveHours?
    /// Speed limit inside the fence, km/h (`speed_limit_kmh`): parsed and exposed for the
    /// overspeed detector; the geofence monitor does not use it.
    public var speedLimitKmh: Double?
    /// Other properties of the feature, in order, kept so a file written back loses nothing.
    public var otherProperties: [JSONMember]

    public init(
        id: String, name: String? = nil, shape: GeofenceShape, marginM: Double? = nil, enterDwellS: Double? = nil,
        exitDwellS: Double? = nil, dwellS: Double? = nil, activeHours: ActiveHours? = nil,
        speedLimitKmh: Double? = nil, otherProperties: [JSONMember] = []
    ) {
        self.id = id
        self.name = name
        self.shape = shape
        self.marginM = marginM
        self.enterDwellS = enterDwellS
        self.exitDwellS = exitDwellS
        self.dwellS = dwellS
        self.activeHours = activeHours
        self.speedLimitKmh = speedLimitKmh
        self.otherProperties = otherProperties
    }
}

/// The area of a fence, in WGS-84 degrees.
public enum GeofenceShape: Sendable, Hashable {
    /// All points within `radiusM` metres of the center.
    case circle(center: GeoPosition, radiusM: Double)
    /// A polygon: the exterior ring, then holes (each ring closed). Inside is decided by the
    /// even-odd rule over all rings, so a point in a hole is outside.
    case polygon([[GeoPosition]])
    /// Several polygons; inside any of them is inside the fence.
    case multiPolygon([[[GeoPosition]]])
    /// All points within `widthM / 2` metres of the polyline: `widthM` is the FULL width of the
    /// corridor (a 40 m corridor extends 20 m to each side of its centre line), as a road's
    /// width is quoted. The ends are rounded (distance to the end point).
    case corridor(line: [GeoPosition], widthM: Double)
}
