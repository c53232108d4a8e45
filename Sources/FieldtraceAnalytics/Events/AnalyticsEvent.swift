import FieldtraceCore

/// One conclusion the analytics drew from a device's fixes: a geofence crossing, a stop, a
/// trip, a deviation from a planned route, an overspeed. Every detector returns these, so the
/// engine stores them in one event log and the CLI prints them in one shape.
///
/// Times are data times (fix times), never a wall clock: the same fixes give the same events.
public struct AnalyticsEvent: Sendable, Hashable {
    /// What happened, e.g. `geofence.enter`, `stop.start`, `trip`, `deviation.start`.
    public var kind: EventKind
    /// The device the event is about.
    public var device: DeviceID
    /// When it happened, ms UTC: the interpolated crossing time, the arrival time of a stop,
    /// the start of a deviation; not when it was detected.
    public var timeMs: Int64
    /// Fix time of the fix that confirmed the event, ms UTC (`>= timeMs`).
    public var confirmedAtMs: Int64
    /// The fence, route or other object the event is about, if any.
    public var subject: String?
    /// Whether the fixes behind the event arrived late (back-fill, re-upload).
    public var late: Bool
    /// Further facts, in a fixed order per kind (so output is byte-identical run to run).
    /// Keys are snake_case with a unit suffix (`distance_m`, `duration_s`).
    public var attributes: [EventAttribute]

    public init(
        kind: EventKind, device: DeviceID, timeMs: Int64, confirmedAtMs: Int64, subject: String? = nil,
        late: Bool = false, attributes: [EventAttribute] = []
    ) {
        self.kind = kind
        self.device = device
        self.timeMs = timeMs
        self.confirmedAtMs = confirmedAtMs
        self.subject = subject
        self.late = late
        self.attributes = attributes
    }

    /// The value of the first attribute named `key`.
    public func attribute(_ key: String) -> EventValue? {
        attributes.first { $0.key == key }?.value
    }
}

/// The kind of an event: a dotted lowercase name. Open so detectors add kinds in their own files.
public struct EventKind: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: EventKind, b: EventKind) -> Bool { a.rawValue < b.rawValue }
}

/// One named value of an event's payload.
public struct EventAttribute: Sendable, Hashable {
    public var key: String
    public var value: EventValue
    public init(_ key: String, _ value: EventValue) {
        self.key = key
        self.value = value
    }
}

/// A payload value: what JSON can carry, with coordinates kept exact as E7 integers.
public enum EventValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    /// A position in 1e-7 degree, printed as `[lon, lat]` decimal degrees (GeoJSON order).
    case position(latitudeE7: Int32, longitudeE7: Int32)
    /// A time, ms UTC, printed as ISO 8601.
    case time(Int64)
}
