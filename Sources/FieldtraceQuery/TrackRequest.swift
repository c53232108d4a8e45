import FieldtraceCore

/// The text form a track is written in.
public enum TrackFormat: String, Sendable, Hashable, CaseIterable {
    /// `{"device":…,"from":…,"to":…,"count":N,"fixes":[…]}`, each fix in the JSON-lines shape of
    /// `fieldtrace decode` (`Fix.appendJSONLine`).
    case json
    /// RFC 7946: a FeatureCollection with one Feature, a LineString (a Point for one fix, no
    /// feature for none) whose per-point fix times are the `times` property. See `TrackRenderer`.
    case geojson
    /// GPX 1.1: one track, one segment, a `trkpt` per fix with `ele`, `time`, `sat`, `hdop`.
    case gpx
    /// CSV with a header (`TrackRenderer.csvHeader`), a row per fix.
    case csv

    /// The HTTP media type.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .geojson: "application/geo+json"
        case .gpx: "application/gpx+xml"
        case .csv: "text/csv; charset=utf-8"
        }
    }
}

/// How a track is cleaned before it is written.
public enum TrackSmoothing: String, Sendable, Hashable, CaseIterable {
    /// The stored fixes as they are.
    case none
    /// The sanity filter, then the online Kalman filter (what the engine saw live).
    case kalman
    /// The sanity filter, then the Kalman filter and the RTS smoother (the best estimate with
    /// the whole range known).
    case rts
}

/// A validated track query: `GET /v1/devices/{id}/track?from&to&format&smooth&simplify_m&level`.
public struct TrackRequest: Sendable, Hashable {
    public var device: DeviceID
    /// `[from, to)`, ms UTC.
    public var range: Range<Int64>
    public var format: TrackFormat
    public var smoothing: TrackSmoothing
    /// TD-TR tolerance, metres; `nil`: no simplification.
    public var simplifyMeters: Double?
    /// 0: the lossless fixes; 1: the simplified copy (see `TrackReader`).
    public var level: Int

    /// Longest range of one track query: 7 days. A week at 1 Hz is 604,800 fixes, about 80 MB
    /// held while smoothing or writing it; longer ranges are asked for in pieces.
    public static let maxRangeMs: Int64 = 7 * 86_400_000
    /// Largest simplification tolerance, metres: 10 km, beyond any street-scale question (a
    /// larger one keeps little more than the ends).
    public static let maxSimplifyMeters = 10_000.0

    public init(
        device: DeviceID, range: Range<Int64>, format: TrackFormat = .json, smoothing: TrackSmoothing = .none,
        simplifyMeters: Double? = nil, level: Int = 0
    ) {
        precondition(level == 0 || level == 1, "level is 0 or 1")
        self.device = device
        self.range = range
        self.format = format
        self.smoothing = smoothing
        self.simplifyMeters = simplifyMeters
        self.level = level
    }

    /// Reads and checks `from`, `to` (required), `format` (default json), `smooth` (default none),
    /// `simplify_m` (optional, more than 0 and at most `maxSimplifyMeters`), `level` (0 or 1,
    /// default 0).
    public init(device: DeviceID, parameters: QueryParameters) throws(QueryError) {
        let range = try parameters.range(maxMs: Self.maxRangeMs)
        let format = try parameters.choice("format", default: TrackFormat.json)
        let smoothing = try parameters.choice("smooth", default: TrackSmoothing.none)
        let simplify = try parameters.number("simplify_m", in: 0...Self.maxSimplifyMeters)
        if let simplify, simplify <= 0 {
            throw .bad("simplify_m", parameters["simplify_m"]!, "expected more than 0 metres (leave it out for none)")
        }
        let level = try parameters.integer("level", in: 0...1) ?? 0
        self.init(
            device: device, range: range, format: format, smoothing: smoothing, simplifyMeters: simplify, level: level)
    }
}
