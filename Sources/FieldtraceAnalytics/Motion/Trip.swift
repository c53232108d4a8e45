import FieldtraceCore

extension EventKind {
    /// A trip ended: `timeMs` is its end (the arrival at the next stop, the last fix before a
    /// signal gap, or the last fix of the input). Attributes: `started_at`, `duration_s`,
    /// `distance_m`, `avg_speed_kmh`, `max_speed_kmh`, `start_position`, `end_position`, `ended_by`.
    public static let trip = EventKind("trip")
}

/// A movement between two stops (or a stop and a signal gap, or the ends of the input).
public struct Trip: Sendable, Hashable {
    /// Why a trip ended.
    public enum EndReason: String, Sendable, Hashable {
        /// The device arrived at a stop.
        case stop
        /// The signal was lost for longer than the trip gap limit.
        case signalGap = "signal_gap"
        /// The input ended.
        case endOfInput = "end_of_input"
    }

    public var device: DeviceID
    /// Departure and arrival, ms UTC.
    public var startMs: Int64
    public var endMs: Int64
    public var startLatitudeE7: Int32
    public var startLongitudeE7: Int32
    public var endLatitudeE7: Int32
    public var endLongitudeE7: Int32
    /// Sum of the segment lengths of the fixes fed in, metres.
    public var distanceMeters: Double
    /// Highest robust speed during the trip, m/s (see `TripBuilder`).
    public var maxSpeedMps: Double
    /// Time of the fix that closed the trip, ms UTC.
    public var confirmedAtMs: Int64
    public var endReason: EndReason

    public var durationSeconds: Double { Double(endMs - startMs) / 1000 }
    /// Distance over duration, m/s (0 for a zero-length trip).
    public var averageSpeedMps: Double { endMs > startMs ? distanceMeters / durationSeconds : 0 }

    public init(
        device: DeviceID, startMs: Int64, endMs: Int64, startLatitudeE7: Int32, startLongitudeE7: Int32,
        endLatitudeE7: Int32, endLongitudeE7: Int32, distanceMeters: Double, maxSpeedMps: Double,
        confirmedAtMs: Int64, endReason: EndReason
    ) {
        self.device = device
        self.startMs = startMs
        self.endMs = endMs
        self.startLatitudeE7 = startLatitudeE7
        self.startLongitudeE7 = startLongitudeE7
        self.endLatitudeE7 = endLatitudeE7
        self.endLongitudeE7 = endLongitudeE7
        self.distanceMeters = distanceMeters
        self.maxSpeedMps = maxSpeedMps
        self.confirmedAtMs = confirmedAtMs
        self.endReason = endReason
    }

    /// The `trip` event of this trip.
    public var event: AnalyticsEvent {
        AnalyticsEvent(
            kind: .trip, device: device, timeMs: endMs, confirmedAtMs: confirmedAtMs,
            attributes: [
                EventAttribute("started_at", .time(startMs)),
                EventAttribute("duration_s", .double(durationSeconds)),
                EventAttribute("distance_m", .double((distanceMeters * 10).rounded() / 10)),
                EventAttribute("avg_speed_kmh", .double((averageSpeedMps * 36).rounded() / 10)),
                EventAttribute("max_speed_kmh", .double((maxSpeedMps * 36).rounded() / 10)),
                EventAttribute("start_position", .position(latitudeE7: startLatitudeE7, longitudeE7: startLongitudeE7)),
                EventAttribute("end_position", .position(latitudeE7: endLatitudeE7, longitudeE7: endLongitudeE7)),
                EventAttribute("ended_by", .string(endReason.rawValue)),
            ])
    }
}
