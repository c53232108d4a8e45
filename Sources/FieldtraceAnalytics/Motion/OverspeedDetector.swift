import FieldtraceCore

extension EventKind {
    /// Speed stayed above the limit for the minimum duration: `timeMs` is the first fix above.
    /// Attributes: `limit_kmh`, `speed_kmh` (at confirmation).
    public static let overspeedStart = EventKind("overspeed.start")
    /// Speed came back to the limit: `timeMs` is the first fix at or below it (or the last fix
    /// before a gap, or the last fix of the input). Attributes: `started_at`, `duration_s`,
    /// `max_speed_kmh`, `limit_kmh`.
    public static let overspeedEnd = EventKind("overspeed.end")
}

/// Finds stretches where a device drove faster than a limit for at least a minimum duration.
///
/// The limit is global or per fix: the caller passes a lookup (for instance the
/// `speed_limit_kmh` of the geofence the fix is in), `nil` meaning no limit there. The speed is
/// the `SpeedEstimator`'s: the reported speed when the fix carries one, else a windowed
/// speed from positions, either way one bad fix cannot raise it (from positions the onset
/// reads about half a window late). A stretch starts at the first fix above the limit,
/// is confirmed once it has lasted `minDurationSeconds` (dips back to the limit shorter than
/// `endDwellSeconds` do not interrupt it), and ends at the first fix of a dip that lasts
/// `endDwellSeconds`.
///
/// O(1) per fix plus one limit lookup; no allocation per fix.
public struct OverspeedDetector: Sendable {
    /// The speed limit, metres per second.
    public enum Limit: Sendable {
        /// One limit everywhere.
        case constant(metersPerSecond: Double)
        /// A limit per fix, `nil` where none applies (e.g. outside every fence with a limit).
        case lookup(@Sendable (Fix) -> Double?)

        @inline(__always)
        func metersPerSecond(at fix: Fix) -> Double? {
            switch self {
            case .constant(let value): value
            case .lookup(let provider): provider(fix)
            }
        }
    }

    public struct Configuration: Sendable, Hashable {
        /// How long the speed must stay above the limit to count, seconds. 10 s: longer than an
        /// overtaking burst or any speed glitch, short enough to catch a real speeding run.
        public var minDurationSeconds = 10.0
        /// How long the speed must stay at or below the limit to end a stretch, seconds (a
        /// dip shorter than this does not split one stretch into two).
        public var endDwellSeconds = 5.0
        /// Shortest window of a positional speed, seconds (see `SpeedEstimator`).
        public var speedWindowSeconds = 10.0
        /// A signal gap longer than this ends a stretch at the last fix before it, seconds.
        public var maxGapSeconds = 60.0

        public init() {}
    }

    struct Stretch: Sendable {
        var startMs: Int64
        var limitMps: Double
        var maxSpeedMps: Double
        var belowSinceMs: Int64?
        var confirmed = false
    }

    public let device: DeviceID
    public let limit: Limit
    public let configuration: Configuration
    var speed: SpeedEstimator
    var stretch: Stretch?
    var lastFixMs: Int64 = .min
    var lastFixLate = false
    let minDurationMs: Int64
    let endDwellMs: Int64
    let maxGapMs: Int64

    public init(device: DeviceID, limit: Limit, configuration: Configuration = .init()) {
        self.device = device
        self.limit = limit
        self.configuration = configuration
        speed = SpeedEstimator(
            windowSeconds: configuration.speedWindowSeconds, resetGapSeconds: configuration.maxGapSeconds)
        minDurationMs = Int64(configuration.minDurationSeconds * 1000)
        endDwellMs = Int64(configuration.endDwellSeconds * 1000)
        maxGapMs = Int64(configuration.maxGapSeconds * 1000)
    }

    /// Feeds one fix; appends the events it concludes to `events`.
    public mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        guard fix.device == device, fix.isValid, !fix.flags.contains(.outlier), fix.timeMs > lastFixMs else { return }
        let t = fix.timeMs
        if lastFixMs != .min && t - lastFixMs > maxGapMs {
            end(atMs: stretch?.belowSinceMs ?? lastFixMs, confirmedAtMs: t, into: &events)
        }
        lastFixMs = t
        lastFixLate = fix.isLate
        let speedMps = speed.update(fix)
        guard let limitMps = limit.metersPerSecond(at: fix), speedMps > limitMps else {
            guard stretch != nil else { return }
            if stretch!.belowSinceMs == nil { stretch!.belowSinceMs = t }
            if t - stretch!.belowSinceMs! >= endDwellMs {
                end(atMs: stretch!.belowSinceMs!, confirmedAtMs: t, into: &events)
            }
            return
        }
        guard stretch != nil else {
            stretch = Stretch(startMs: t, limitMps: limitMps, maxSpeedMps: speedMps)
            if minDurationMs <= 0 { confirm(speedMps: speedMps, confirmedAtMs: t, into: &events) }
            return
        }
        stretch!.maxSpeedMps = max(stretch!.maxSpeedMps, speedMps)
        stretch!.belowSinceMs = nil
        if !stretch!.confirmed && t - stretch!.startMs >= minDurationMs {
            confirm(speedMps: speedMps, confirmedAtMs: t, into: &events)
        }
    }

    public mutating func process(_ fix: Fix) -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        process(fix, into: &events)
        return events
    }

    /// Ends the input: a confirmed stretch still open ends at the last fix.
    public mutating func finish(into events: inout [AnalyticsEvent]) {
        guard lastFixMs != .min else { return }
        end(atMs: stretch?.belowSinceMs ?? lastFixMs, confirmedAtMs: lastFixMs, into: &events)
    }

    public mutating func finish() -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        finish(into: &events)
        return events
    }

    /// Events of a whole track (fixes in time order), with `finish()`.
    public static func detect(
        _ fixes: some Sequence<Fix>, device: DeviceID, limit: Limit, configuration: Configuration = .init()
    ) -> [AnalyticsEvent] {
        var detector = OverspeedDetector(device: device, limit: limit, configuration: configuration)
        var events: [AnalyticsEvent] = []
        for fix in fixes { detector.process(fix, into: &events) }
        detector.finish(into: &events)
        return events
    }

    private mutating func confirm(speedMps: Double, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]) {
        stretch!.confirmed = true
        events.append(
            AnalyticsEvent(
                kind: .overspeedStart, device: device, timeMs: stretch!.startMs, confirmedAtMs: confirmedAtMs,
                late: lastFixLate,
                attributes: [
                    EventAttribute("limit_kmh", .double(Self.kmh(stretch!.limitMps))),
                    EventAttribute("speed_kmh", .double(Self.kmh(speedMps))),
                ]))
    }

    private mutating func end(atMs endMs: Int64, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]) {
        guard let s = stretch else { return }
        stretch = nil
        guard s.confirmed else { return }
        events.append(
            AnalyticsEvent(
                kind: .overspeedEnd, device: device, timeMs: endMs, confirmedAtMs: confirmedAtMs, late: lastFixLate,
                attributes: [
                    EventAttribute("started_at", .time(s.startMs)),
                    EventAttribute("duration_s", .double(Double(endMs - s.startMs) / 1000)),
                    EventAttribute("max_speed_kmh", .double(Self.kmh(s.maxSpeedMps))),
                    EventAttribute("limit_kmh", .double(Self.kmh(s.limitMps))),
                ]))
    }

    /// km/h rounded to 0.1.
    static func kmh(_ mps: Double) -> Double { (mps * 36).rounded() / 10 }
}
