import FieldtraceCore

extension EventKind {
    /// A stop was confirmed: `timeMs` is the arrival (first fix of the stay), `confirmedAtMs` the
    /// fix that made it last the minimum duration. Attributes: `position`, `fix_count`.
    public static let stopStart = EventKind("stop.start")
    /// A stop ended: `timeMs` is the departure (last fix of the stay). Attributes: `started_at`,
    /// `duration_s`, `position` (centroid), `fix_count`, `ended_by` (`departure`, `signal_gap`,
    /// `end_of_input`).
    public static let stopEnd = EventKind("stop.end")
    /// A stop passed the long-stay threshold: `timeMs` is arrival plus the threshold.
    /// Attributes: `started_at`, `duration_s` (the threshold), `position`.
    public static let stopLongStay = EventKind("stop.long_stay")
}

/// A place where a device stayed within a radius for at least a minimum duration.
public struct Stop: Sendable, Hashable {
    /// Why a stop ended.
    public enum EndReason: String, Sendable, Hashable {
        /// The device left the radius and stayed away longer than the excursion tolerance.
        case departure
        /// The signal was lost for longer than the maximum gap.
        case signalGap = "signal_gap"
        /// The input ended during the stay (`finish()`).
        case endOfInput = "end_of_input"
    }

    public var device: DeviceID
    /// Arrival: time of the first fix of the stay, ms UTC.
    public var startMs: Int64
    /// Departure: time of the last fix of the stay, ms UTC.
    public var endMs: Int64
    /// Centroid: the mean of the stay's fixes that lay within the radius (a mean trimmed by distance).
    public var latitudeE7: Int32
    public var longitudeE7: Int32
    /// Fixes of the stay between arrival and departure.
    public var fixCount: Int
    /// Time of the fix that confirmed the stop (`stop.start` was emitted), ms UTC.
    public var confirmedAtMs: Int64
    /// Time of the fix that ended it (`stop.end` was emitted), ms UTC.
    public var endConfirmedAtMs: Int64
    public var endReason: EndReason

    /// Duration in seconds.
    public var durationSeconds: Double { Double(endMs - startMs) / 1000 }

    public init(
        device: DeviceID, startMs: Int64, endMs: Int64, latitudeE7: Int32, longitudeE7: Int32, fixCount: Int,
        confirmedAtMs: Int64, endConfirmedAtMs: Int64, endReason: EndReason
    ) {
        self.device = device
        self.startMs = startMs
        self.endMs = endMs
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.fixCount = fixCount
        self.confirmedAtMs = confirmedAtMs
        self.endConfirmedAtMs = endConfirmedAtMs
        self.endReason = endReason
    }

    /// The `stop.end` event of this stop.
    public var endEvent: AnalyticsEvent {
        AnalyticsEvent(
            kind: .stopEnd, device: device, timeMs: endMs, confirmedAtMs: endConfirmedAtMs,
            attributes: [
                EventAttribute("started_at", .time(startMs)),
                EventAttribute("duration_s", .double(durationSeconds)),
                EventAttribute("position", .position(latitudeE7: latitudeE7, longitudeE7: longitudeE7)),
                EventAttribute("fix_count", .int(Int64(fixCount))),
                EventAttribute("ended_by", .string(endReason.rawValue)),
            ])
    }
}
