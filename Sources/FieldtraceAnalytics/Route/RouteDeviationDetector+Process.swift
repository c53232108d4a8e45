import FieldtraceCore

extension RouteDeviationDetector {
    /// Feeds one fix; appends the events it concludes to `events`.
    public mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        guard fix.device == route.device, fix.isValid, !fix.flags.contains(.outlier), fix.timeMs > lastFixMs,
            fix.timeMs >= route.fromMs, !summaryEmitted
        else { return }
        let t = fix.timeMs
        if t > route.toMs {
            closeWindow(reason: "window_end", timeMs: route.toMs, confirmedAtMs: t, into: &events)
            return
        }
        let q = geometry.plane.project(latitude: fix.latitude, longitude: fix.longitude)
        let projection = geometry.project(x: q.eastM, y: q.northM, hint: hint, acceptMeters: halfWidthM)
        hint = projection.segment
        var step = 0.0
        if lastFixMs != .min {
            let dx = q.eastM - lastX
            let dy = q.northM - lastY
            step = (dx * dx + dy * dy).squareRoot()
        }
        let distance = projection.distanceMeters
        let along = projection.alongMeters
        let inside = distance <= halfWidthM
        if inside {
            let continuous = lastInside && abs(along - lastAlongM) <= step + 2 * halfWidthM
            coverage.mark(from: continuous ? lastAlongM : along, to: along)
        }
        if armed { track(timeMs: t, inside: inside, distance: distance, along: along, step: step, into: &events) }
        if inside { armed = true }
        lastFixMs = t
        lastFixLate = fix.isLate
        lastX = q.eastM
        lastY = q.northM
        lastInside = inside
        lastAlongM = along
        lastDistanceM = distance
    }

    public mutating func process(_ fix: Fix) -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        process(fix, into: &events)
        return events
    }

    /// Ends the input: an open deviation ends at the last fix, and `route.summary` is emitted
    /// (if the window's end has not already emitted it).
    public mutating func finish(into events: inout [AnalyticsEvent]) {
        guard !summaryEmitted else { return }
        let t = lastFixMs == .min ? route.fromMs : lastFixMs
        closeWindow(reason: "end_of_input", timeMs: t, confirmedAtMs: t, into: &events)
    }

    public mutating func finish() -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        finish(into: &events)
        return events
    }

    /// Events of a whole track (fixes in time order), with `finish()`.
    public static func detect(
        _ fixes: some Sequence<Fix>, route: PlannedRoute, configuration: Configuration = .init()
    ) -> [AnalyticsEvent] {
        var detector = RouteDeviationDetector(route: route, configuration: configuration)
        var events: [AnalyticsEvent] = []
        for fix in fixes { detector.process(fix, into: &events) }
        detector.finish(into: &events)
        return events
    }

    /// The deviation state machine, for an armed detector.
    private mutating func track(
        timeMs t: Int64, inside: Bool, distance: Double, along: Double, step: Double,
        into events: inout [AnalyticsEvent]
    ) {
        guard var e = excursion else {
            // The previous fix was inside (an excursion ends only at a fix inside).
            guard !inside else { return }
            excursion = Excursion(exitMs: t, exitAlongM: lastAlongM, travelledM: step, maxDistanceM: distance)
            if graceMs <= 0 && distance > beyondM { confirm(confirmedAtMs: t, distance: distance, into: &events) }
            return
        }
        e.travelledM += step
        if inside {
            guard e.confirmed else {
                excursion = nil  // back within the grace period: not a deviation
                return
            }
            if e.returnMs == nil {
                e.returnMs = t
                e.returnAlongM = along
                e.returnTravelledM = e.travelledM
            }
            excursion = e
            if t - e.returnMs! >= returnDwellMs { endDeviation(reason: "return", confirmedAtMs: t, into: &events) }
            return
        }
        e.returnMs = nil
        e.maxDistanceM = max(e.maxDistanceM, distance)
        excursion = e
        if !e.confirmed && t - e.exitMs >= graceMs && distance > beyondM {
            confirm(confirmedAtMs: t, distance: distance, into: &events)
        }
    }

    private mutating func confirm(confirmedAtMs: Int64, distance: Double, into events: inout [AnalyticsEvent]) {
        excursion!.confirmed = true
        deviationCount += 1
        events.append(
            AnalyticsEvent(
                kind: .deviationStart, device: route.device, timeMs: excursion!.exitMs, confirmedAtMs: confirmedAtMs,
                subject: route.id, late: lastFixLate,
                attributes: [EventAttribute("distance_m", .double(Self.rounded(distance)))]))
    }

    /// Ends a confirmed deviation at its first fix back (or, still outside, at the last fix).
    private mutating func endDeviation(reason: String, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]) {
        guard let e = excursion else { return }
        excursion = nil
        guard e.confirmed else { return }
        let endMs = e.returnMs ?? lastFixMs
        let endAlong = e.returnMs == nil ? lastAlongM : e.returnAlongM
        let travelled = e.returnMs == nil ? e.travelledM : e.returnTravelledM
        let extra = max(0, travelled - max(0, endAlong - e.exitAlongM))
        deviationMs += endMs - e.exitMs
        events.append(
            AnalyticsEvent(
                kind: .deviationEnd, device: route.device, timeMs: endMs, confirmedAtMs: confirmedAtMs,
                subject: route.id, late: lastFixLate,
                attributes: [
                    EventAttribute("started_at", .time(e.exitMs)),
                    EventAttribute("duration_s", .double(Double(endMs - e.exitMs) / 1000)),
                    EventAttribute("max_distance_m", .double(Self.rounded(e.maxDistanceM))),
                    EventAttribute("travelled_m", .double(Self.rounded(travelled))),
                    EventAttribute("extra_distance_m", .double(Self.rounded(extra))),
                    EventAttribute("ended_by", .string(e.returnMs == nil ? reason : "return")),
                ]))
    }

    private mutating func closeWindow(
        reason: String, timeMs: Int64, confirmedAtMs: Int64, into events: inout [AnalyticsEvent]
    ) {
        endDeviation(reason: reason, confirmedAtMs: confirmedAtMs, into: &events)
        summaryEmitted = true
        events.append(
            AnalyticsEvent(
                kind: .routeSummary, device: route.device, timeMs: timeMs, confirmedAtMs: confirmedAtMs,
                subject: route.id, late: lastFixLate,
                attributes: [
                    EventAttribute("covered_share", .double((coverage.coveredShare * 1000).rounded() / 1000)),
                    EventAttribute("covered_m", .double(Self.rounded(coverage.coveredMeters))),
                    EventAttribute("length_m", .double(Self.rounded(geometry.lengthMeters))),
                    EventAttribute("deviation_count", .int(Int64(deviationCount))),
                    EventAttribute("deviation_s", .double(Double(deviationMs) / 1000)),
                ]))
    }

    /// Metres to 0.1 m.
    static func rounded(_ meters: Double) -> Double { (meters * 10).rounded() / 10 }
}
