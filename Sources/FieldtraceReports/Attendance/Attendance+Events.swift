import FieldtraceAnalytics

extension Attendance {
    /// Visits from a device's `geofence.enter` / `geofence.exit` events (any order): each enter
    /// opens a visit of its fence, the next exit of that fence closes it. An exit without an
    /// enter (the visit began before the events read) opens at `openedBeforeMs`, which callers
    /// set to the start of what they read.
    public static func visits(from events: [AnalyticsEvent], openedBeforeMs: Int64) -> [Visit] {
        var open: [String: Int64] = [:]
        var out: [Visit] = []
        for event in events.sorted(by: { ($0.timeMs, $0.kind.rawValue) < ($1.timeMs, $1.kind.rawValue) }) {
            guard let fence = event.subject else { continue }
            if event.kind == .geofenceEnter {
                if open[fence] == nil { open[fence] = event.timeMs }
            } else if event.kind == .geofenceExit {
                out.append(
                    Visit(site: fence, enterMs: open.removeValue(forKey: fence) ?? openedBeforeMs, exitMs: event.timeMs)
                )
            }
        }
        for (fence, enter) in open { out.append(Visit(site: fence, enterMs: enter, exitMs: nil)) }
        return out.sorted { ($0.enterMs, $0.site) < ($1.enterMs, $1.site) }
    }
}
