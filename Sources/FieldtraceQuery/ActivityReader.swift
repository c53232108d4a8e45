import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore

/// What a device did, as intervals: stops, trips, visits (geofence enter/exit pairs) and
/// deviations from planned routes.
public enum ActivityKind: String, Sendable, Hashable, CaseIterable {
    case stops, trips, visits, deviations

    /// The event opening an interval (`nil`: trips are one event, at their end) and the one closing it.
    public var eventKinds: (start: EventKind?, end: EventKind) {
        switch self {
        case .stops: (.stopStart, .stopEnd)
        case .trips: (nil, .trip)
        case .visits: (.geofenceEnter, .geofenceExit)
        case .deviations: (.deviationStart, .deviationEnd)
        }
    }
}

/// One stop, trip, visit or deviation.
public struct ActivityInterval: Sendable, Hashable {
    public var kind: ActivityKind
    /// The fence (visits) or route (deviations); `nil` for stops and trips.
    public var subject: String?
    /// Start and end, ms UTC. `end == nil`: still open (no closing event in the log yet).
    public var startMs: Int64
    public var endMs: Int64?
    /// The events it was built from (`start == nil` for trips, and when the opening event lies
    /// before the look-back window: the start then comes from the closing event).
    public var startEvent: LoggedEvent?
    public var endEvent: LoggedEvent?

    public var isOpen: Bool { endMs == nil }
}

/// Reads stops, trips, visits and deviations from the event log.
///
/// Why the event log and not a recomputation from the track: the events are the engine's
/// conclusions, drawn once in fix-time order with the tenant's fences, routes and settings,
/// corrected when late data changed them (withdrawn events are left out here). Recomputing
/// would need those settings and could disagree with the events already delivered to webhooks
/// and SSE consumers; reading is also O(events), not O(fixes). The engine emits every kind used
/// here (`stop.start`/`stop.end`, `trip`, `geofence.enter`/`geofence.exit`,
/// `deviation.start`/`deviation.end`).
///
/// An interval is reported when it overlaps `[from, to)`, as the log stands now: with its end
/// when the closing event exists (even after `to`), open (`end == nil`) otherwise. Opening and
/// closing events are paired per subject in time order; events are read from `lookbackMs`
/// before `from` to `lookbackMs` after `to`. A closing event whose opener is older still gives
/// the start from its own `started_at` (or `duration_s` for visits). A trip still under way
/// has no event yet and is not listed; an interval opened more than `lookbackMs` before `from`
/// and still open is not seen.
public struct ActivityReader: Sendable {
    public let log: EventLog

    /// Longest range of one query: 92 days, a quarter; a device-quarter has thousands of events,
    /// not millions.
    public static let maxRangeMs: Int64 = 92 * 86_400_000
    /// How far around the range events are read to pair them: 7 days, longer than any stop,
    /// visit or deviation a field day produces (a fence visit spanning a whole week still pairs).
    public static let lookbackMs: Int64 = 7 * 86_400_000

    public init(log: EventLog) { self.log = log }

    public func intervals(_ kind: ActivityKind, device: DeviceID, range: Range<Int64>) throws -> [ActivityInterval] {
        let (startKind, endKind) = kind.eventKinds
        let events = try log.standingEvents(
            device: device, kinds: [startKind, endKind].compactMap { $0 },
            from: Self.saturating(range.lowerBound, -Self.lookbackMs),
            to: Self.saturating(range.upperBound, Self.lookbackMs))
        var open: [String: LoggedEvent] = [:]
        var out: [ActivityInterval] = []
        for event in events {
            let key = event.subject ?? ""
            if event.kind == startKind {
                if let unclosed = open[key] {
                    // A second opener without a closer between: the first one's end is unknown.
                    out.append(
                        ActivityInterval(
                            kind: kind, subject: unclosed.subject, startMs: unclosed.timeMs, startEvent: unclosed))
                }
                open[key] = event
            } else {
                let opener = open.removeValue(forKey: key)
                out.append(
                    ActivityInterval(
                        kind: kind, subject: event.subject,
                        startMs: opener?.timeMs ?? Self.startFromClosing(event), endMs: event.timeMs,
                        startEvent: opener, endEvent: event))
            }
        }
        for opener in open.values {
            out.append(
                ActivityInterval(kind: kind, subject: opener.subject, startMs: opener.timeMs, startEvent: opener))
        }
        return
            out
            .filter { $0.startMs < range.upperBound && ($0.endMs ?? .max) >= range.lowerBound }
            .sorted {
                ($0.startMs, $0.endMs ?? .max, $0.subject ?? "") < ($1.startMs, $1.endMs ?? .max, $1.subject ?? "")
            }
    }

    /// The start a closing event records: `started_at`, else its time less `duration_s`, else its time.
    static func startFromClosing(_ event: LoggedEvent) -> Int64 {
        guard let payload = try? JSONParser().parse(event.payload) else { return event.timeMs }
        if let text = payload["started_at"]?.stringValue, let ms = ISO8601.parse(text.utf8) { return ms }
        if let seconds = payload["duration_s"]?.doubleValue, seconds.isFinite, seconds >= 0, seconds < 1e12 {
            return event.timeMs - Int64((seconds * 1000).rounded())
        }
        return event.timeMs
    }

    static func saturating(_ value: Int64, _ delta: Int64) -> Int64 {
        let (sum, overflow) = value.addingReportingOverflow(delta)
        return overflow ? (delta < 0 ? .min : .max) : sum
    }
}
