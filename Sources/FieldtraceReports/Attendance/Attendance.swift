import FieldtraceCore

/// Attendance of one worker on one day (issue 7): per site, first arrival, last departure,
/// minutes on site and visits; and the flags a supervisor acts on. Pure: visits, shifts,
/// movement and claims come in as values (from the event log, the directory and the track),
/// times are UTC ms, the day and shift windows were placed in the group's time zone by the
/// caller.
public enum Attendance {
    /// A stay inside a site fence (a `geofence.enter` and its `geofence.exit`; `exitMs` nil while
    /// the worker is still inside).
    public struct Visit: Sendable, Hashable {
        public var site: String
        public var enterMs: Int64
        public var exitMs: Int64?

        public init(site: String, enterMs: Int64, exitMs: Int64?) {
            self.site = site
            self.enterMs = enterMs
            self.exitMs = exitMs
        }
    }

    /// A time window, UTC ms, `startMs < endMs`.
    public struct Window: Sendable, Hashable {
        public var startMs: Int64
        public var endMs: Int64

        public init(startMs: Int64, endMs: Int64) {
            self.startMs = startMs
            self.endMs = endMs
        }
    }

    /// A check-in the worker claimed (from a form or the attendance app), and where the track
    /// puts the worker then: the distance from that position to the nearest assigned site's
    /// boundary (0 inside) and the position's uncertainty, both metres. The caller computes
    /// them (position at the instant, distance to fences).
    public struct Claim: Sendable, Hashable {
        public var timeMs: Int64
        public var site: String?
        public var distanceToNearestSiteM: Double?
        public var uncertaintyM: Double?

        public init(timeMs: Int64, site: String? = nil, distanceToNearestSiteM: Double?, uncertaintyM: Double?) {
            self.timeMs = timeMs
            self.site = site
            self.distanceToNearestSiteM = distanceToNearestSiteM
            self.uncertaintyM = uncertaintyM
        }
    }

    /// Thresholds; each default says why.
    public struct Rules: Sendable, Hashable {
        /// Arrival after shift start (or departure before its end) by more than this is flagged,
        /// minutes: 5, the usual punch-clock rounding; GPS confirmation adds under a minute.
        public var graceMinutes = 5.0
        /// Leaving every assigned site during a shift for longer than this is flagged, minutes:
        /// 15, a break or a quick errand stays unflagged, an hour at home does not.
        public var leftPostMinutes = 15.0
        /// Movement or site presence outside every shift beyond this is flagged, minutes: 15, so
        /// arriving a little early or leaving a little late is not "activity outside hours".
        public var outsideHoursMinutes = 15.0
        /// A claim farther than this from every assigned site (beyond the position's
        /// uncertainty) is flagged, metres: 100, about a city block; a claim at the car park
        /// next to the site passes.
        public var claimToleranceM = 100.0

        public init() {}
    }

    /// One row per site visited that day.
    public struct SiteDay: Sendable, Hashable {
        public var site: String
        public var firstArrivalMs: Int64
        /// The last departure within the day; nil if the worker was still there at its end.
        public var lastDepartureMs: Int64?
        public var onSiteMinutes: Double
        public var visits: Int
    }

    public enum FlagKind: String, Sendable, Hashable, CaseIterable {
        case absent
        case lateArrival = "late_arrival"
        case earlyDeparture = "early_departure"
        case leftPost = "left_post"
        case outsideHours = "outside_hours"
        case claimAwayFromSite = "claim_away_from_site"
    }

    public struct Flag: Sendable, Hashable {
        public var kind: FlagKind
        /// When it happened (the arrival, the departure, the start of the absence, the claim).
        public var timeMs: Int64
        /// How much: minutes late/early/away/outside, or metres for a claim.
        public var amount: Double
        public var detail: String
    }

    public struct Report: Sendable, Hashable {
        public var sites: [SiteDay]
        public var flags: [Flag]
        /// Minutes on any assigned site during shifts, and the shifts' length.
        public var onSiteInShiftMinutes: Double
        public var shiftMinutes: Double
    }

    /// The day's attendance.
    /// - Parameters:
    ///   - day: the local day, UTC ms.
    ///   - visits: the worker's visits overlapping the day (any order).
    ///   - assignedSites: the sites that count as the worker's post; empty means every site.
    ///   - shifts: the day's shifts, UTC ms (a night shift may end the next day).
    ///   - movement: when the worker was moving (trips), for activity outside hours.
    ///   - nowMs: the time of the report when the day is not over: open visits last until then,
    ///     shifts not yet started are not judged, a running shift is judged up to now (no
    ///     early departure yet). `nil` for a past day.
    public static func report(
        day: Window, visits: [Visit], assignedSites: Set<String>, shifts: [Window], movement: [Window] = [],
        claims: [Claim] = [], nowMs: Int64? = nil, rules: Rules = Rules()
    ) -> Report {
        let sorted = visits.sorted { ($0.enterMs, $0.site) < ($1.enterMs, $1.site) }
        var horizon = Window(startMs: day.startMs, endMs: max(day.endMs, shifts.map(\.endMs).max() ?? day.endMs))
        if let nowMs { horizon.endMs = min(horizon.endMs, max(nowMs, day.startMs)) }
        let day = Window(startMs: day.startMs, endMs: min(day.endMs, horizon.endMs))
        var sites: [String: SiteDay] = [:]
        for visit in sorted {
            let end = visit.exitMs ?? horizon.endMs
            guard end > day.startMs, visit.enterMs < day.endMs else { continue }
            let minutes = Double(min(end, day.endMs) - max(visit.enterMs, day.startMs)) / 60_000
            var row =
                sites[visit.site]
                ?? SiteDay(
                    site: visit.site, firstArrivalMs: visit.enterMs, lastDepartureMs: nil, onSiteMinutes: 0, visits: 0)
            row.firstArrivalMs = min(row.firstArrivalMs, visit.enterMs)
            row.lastDepartureMs = visit.exitMs.flatMap { $0 <= day.endMs ? $0 : nil }
            row.onSiteMinutes += minutes
            row.visits += 1
            sites[visit.site] = row
        }
        let onPost = mergedPresence(
            sorted.filter { assignedSites.isEmpty || assignedSites.contains($0.site) }, until: horizon.endMs)
        var flags: [Flag] = []
        var inShift = 0.0
        var shiftTotal = 0.0
        for whole in shifts.sorted(by: { $0.startMs < $1.startMs }) where whole.startMs < horizon.endMs {
            let running = whole.endMs > horizon.endMs
            let shift = Window(startMs: whole.startMs, endMs: min(whole.endMs, horizon.endMs))
            shiftTotal += Double(shift.endMs - shift.startMs) / 60_000
            let present = onPost.compactMap { clip($0, to: shift) }
            inShift += present.reduce(0) { $0 + Double($1.endMs - $1.startMs) / 60_000 }
            flags += shiftFlags(shift: shift, present: present, running: running, rules: rules)
        }
        flags += outsideHours(day: day, shifts: shifts, presence: onPost, movement: movement, rules: rules)
        for claim in claims {
            guard let distance = claim.distanceToNearestSiteM else { continue }
            let beyond = distance - (claim.uncertaintyM ?? 0) - rules.claimToleranceM
            if beyond > 0 {
                flags.append(
                    Flag(
                        kind: .claimAwayFromSite, timeMs: claim.timeMs, amount: distance,
                        detail:
                            "claimed \(claim.site ?? "a site") \(Int(distance.rounded())) m from the nearest assigned site"
                    ))
            }
        }
        flags.sort { ($0.timeMs, $0.kind.rawValue) < ($1.timeMs, $1.kind.rawValue) }
        return Report(
            sites: sites.values.sorted { ($0.firstArrivalMs, $0.site) < ($1.firstArrivalMs, $1.site) }, flags: flags,
            onSiteInShiftMinutes: inShift, shiftMinutes: shiftTotal)
    }

    /// Late arrival, early departure, absence, and leaving the post, for one shift.
    static func shiftFlags(shift: Window, present: [Window], running: Bool, rules: Rules) -> [Flag] {
        let grace = Int64(rules.graceMinutes * 60_000)
        guard let first = present.first, let last = present.last else {
            // A running shift with no arrival yet is absent only once the grace has passed.
            if running && shift.endMs - shift.startMs <= grace { return [] }
            return [
                Flag(
                    kind: .absent, timeMs: shift.startMs, amount: Double(shift.endMs - shift.startMs) / 60_000,
                    detail: "no time on an assigned site during the shift")
            ]
        }
        var flags: [Flag] = []
        if first.startMs > shift.startMs + grace {
            flags.append(
                Flag(
                    kind: .lateArrival, timeMs: first.startMs, amount: Double(first.startMs - shift.startMs) / 60_000,
                    detail: "arrived after the shift started"))
        }
        if !running, last.endMs < shift.endMs - grace {
            flags.append(
                Flag(
                    kind: .earlyDeparture, timeMs: last.endMs, amount: Double(shift.endMs - last.endMs) / 60_000,
                    detail: "left before the shift ended"))
        }
        let away = Int64(rules.leftPostMinutes * 60_000)
        for (a, b) in zip(present, present.dropFirst()) where b.startMs - a.endMs > away {
            flags.append(
                Flag(
                    kind: .leftPost, timeMs: a.endMs, amount: Double(b.startMs - a.endMs) / 60_000,
                    detail: "away from every assigned site during the shift"))
        }
        return flags
    }

    /// Movement or presence on a site outside every shift, beyond the tolerance, within the day.
    static func outsideHours(
        day: Window, shifts: [Window], presence: [Window], movement: [Window], rules: Rules
    ) -> [Flag] {
        let tolerance = Int64(rules.outsideHoursMinutes * 60_000)
        // Shifts widened by the tolerance: what lies outside them is outside working hours.
        let working = shifts.map { Window(startMs: $0.startMs - tolerance, endMs: $0.endMs + tolerance) }
        var flags: [Flag] = []
        for activity in mergedWindows(movement + presence) {
            guard let inDay = clip(activity, to: day) else { continue }
            for piece in subtract(working, from: inDay) where piece.endMs - piece.startMs >= 60_000 {
                flags.append(
                    Flag(
                        kind: .outsideHours, timeMs: piece.startMs,
                        amount: Double(piece.endMs - piece.startMs) / 60_000,
                        detail: shifts.isEmpty ? "active on a day without a shift" : "active outside the shift"))
            }
        }
        return flags
    }

    /// Visits merged into windows of presence on any of them (an open visit lasts `until`).
    static func mergedPresence(_ visits: [Visit], until endMs: Int64) -> [Window] {
        mergedWindows(
            visits.compactMap { v in
                let end = v.exitMs ?? endMs
                return end > v.enterMs ? Window(startMs: v.enterMs, endMs: end) : nil
            })
    }

    static func mergedWindows(_ windows: [Window]) -> [Window] {
        var out: [Window] = []
        for w in windows.sorted(by: { $0.startMs < $1.startMs }) where w.endMs > w.startMs {
            if let last = out.last, w.startMs <= last.endMs {
                out[out.count - 1].endMs = max(last.endMs, w.endMs)
            } else {
                out.append(w)
            }
        }
        return out
    }

    static func clip(_ w: Window, to bounds: Window) -> Window? {
        let start = max(w.startMs, bounds.startMs)
        let end = min(w.endMs, bounds.endMs)
        return end > start ? Window(startMs: start, endMs: end) : nil
    }

    /// `window` minus every window of `cuts`, in order.
    static func subtract(_ cuts: [Window], from window: Window) -> [Window] {
        var pieces = [window]
        for cut in mergedWindows(cuts) {
            pieces = pieces.flatMap { p -> [Window] in
                guard cut.endMs > p.startMs, cut.startMs < p.endMs else { return [p] }
                var rest: [Window] = []
                if cut.startMs > p.startMs { rest.append(Window(startMs: p.startMs, endMs: cut.startMs)) }
                if cut.endMs < p.endMs { rest.append(Window(startMs: cut.endMs, endMs: p.endMs)) }
                return rest
            }
        }
        return pieces
    }
}
