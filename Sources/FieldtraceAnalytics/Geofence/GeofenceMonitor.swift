import FieldtraceCore

/// Geofence visits that never flap: per device and fence, a state machine
/// (outside / enteringPending / inside / exitingPending) fed fixes in fix-time order.
///
/// Rules (per fence, defaults and their reasons in `Configuration`):
/// - **Accuracy-aware votes.** A fix's accuracy radius `r` is its `accuracyM`, else HDOP x
///   `uereM`, else 0. A fix whose circle straddles the boundary (`|d| < r`, `d` the signed
///   distance, negative inside) casts no vote: it neither starts nor confirms a transition.
/// - **Margin.** A fix counts as inside only if at least `max(margin, 2 r)` metres inside (the
///   inside margin is capped at half the fence's depth, so a 30 m corridor can be entered), as
///   outside only if at least `max(margin, 2 r)` outside; in between keeps the state.
/// - **Dwell, robustly.** A transition becomes pending at the first voting fix on the other side.
///   It is confirmed once the dwell has passed since the crossing and, over the dwell window, at
///   least half of all fixes (voting or not) are beyond the margin on the new side and at most
///   `maxContraryShare` vote for the old side (the margin test). One wild fix (a 150 m multipath
///   jump) neither makes nor breaks a transition; a worker at the boundary, half the fixes on
///   each side, never has such a majority. A pending transition is cancelled once most of its
///   votes (and at least two) are back on the old side.
/// - **Settle test.** A device that stays within GPS noise of the boundary (a worker back at a
///   spot 3 m inside) is judged by the median signed distance of up to 5 minutes of fixes (at
///   least 60): confirmed if it lies on the new side by `settleMarginM` plus 3 standard errors.
///   It assumes roughly independent errors from fix to fix; see `settleErrorFloorM`.
/// - **Crossing time.** First the interpolation (linear in signed distance) between the last fix
///   on the old side and the first voting fix on the new side; refined every 5 s while pending by
///   the change point of the fixes' sides (a pending started by a noise flip long before the
///   real crossing does not keep that time) and a line fitted to the signed distances just
///   after it. The dwell clock starts at the last voting fix on the old side, 5 to 30 s before
///   the estimated crossing, so a real exit is confirmed within the dwell plus one reporting
///   interval of the true crossing.
/// - **Events.** `geofence.enter` / `geofence.exit` with `timeMs` = the crossing time,
///   `confirmedAtMs` = the confirming fix, `distance_m` = its distance to the boundary (the
///   median's, for the settle test), and for exits `duration_s` of the visit. `geofence.dwell`
///   once per visit when it passes the fence's `dwell_s` (`timeMs` = entry + `dwell_s`). Events
///   are `late` if the confirming fix is.
/// - **Active hours.** The state machine always runs (so a device already inside when the hours
///   start does not produce a spurious enter, and an exit's duration counts from the real
///   entry); an event whose `timeMs` falls outside the fence's hours is not emitted.
/// - **Start and end.** Before its first fix a device is outside every fence: a device that
///   starts inside gets an enter at its first fix's time once confirmed (no earlier fix to
///   interpolate from). `finish()` emits nothing: pending transitions lack their dwell and open
///   visits are still open (`insideFences` tells who is inside).
/// - Fixes that are not valid, are flagged outliers, or are not newer than the device's
///   previous fix are ignored. A signal gap simply delays confirmation.
///
/// Cost per fix: one index lookup plus O(vertices) per fence near the device, and while a
/// transition is pending O(512) every 5 s of data. Tracks exist only for fences the device is in
/// or near; a track's memory (its last 512 fixes, 6.5 KB) is allocated when a device meets a fence.
public struct GeofenceMonitor: Sendable {
    public let index: GeofenceIndex
    public let configuration: Configuration
    private let rules: [FenceRules]
    private var devices: [DeviceID: DeviceState] = [:]
    private var candidates: [Int32] = []
    private var confirmed: [GeofenceTrack.Confirmed] = []
    private var scratch: [Double] = []

    struct DeviceState {
        var lastTimeMs: Int64 = .min
        var lastLatitudeE7: Int32 = 0
        var lastLongitudeE7: Int32 = 0
        /// Sorted by fence index.
        var tracks: [GeofenceTrack] = []
    }

    public init(index: GeofenceIndex, configuration: Configuration = Configuration()) {
        self.index = index
        self.configuration = configuration
        self.rules = index.fences.indices.map {
            Self.rules(for: index.fences[$0], depthM: index.shapes.depthsM[$0], configuration)
        }
        candidates.reserveCapacity(64)
        confirmed.reserveCapacity(8)
        scratch.reserveCapacity(GeofenceTrack.windowCapacity)
    }

    /// Feeds one fix (in fix-time order per device); appends its events to `events`.
    public mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent]) {
        guard fix.isValid, !fix.flags.contains(.outlier) else { return }
        var state = devices.removeValue(forKey: fix.device) ?? DeviceState()
        defer { devices[fix.device] = state }
        guard fix.timeMs > state.lastTimeMs else { return }
        let r = accuracyRadiusM(fix)
        let lat = fix.latitudeE7
        let lon = fix.longitudeE7
        confirmed.removeAll(keepingCapacity: true)

        // Fences the fix is in that the device has no track for: start one, its previous fix
        // (if any) being the last known point on the outside.
        var found: [Int32] = []
        swap(&found, &candidates)
        found.removeAll(keepingCapacity: true)
        index.forEachContaining(latitudeE7: lat, longitudeE7: lon) { found.append(Int32($0)) }
        for fence in found where !state.tracks.contains(where: { $0.fence == fence }) {
            var track = GeofenceTrack(fence: fence)
            if state.lastTimeMs != .min {
                track.lastStableTimeMs = state.lastTimeMs
                track.lastStableDistanceM = index.shapes.signedDistanceM(
                    Int(fence), latitudeE7: state.lastLatitudeE7, longitudeE7: state.lastLongitudeE7)
                track.lastOldSideTimeMs = track.lastStableTimeMs
                track.lastOldSideDistanceM = track.lastStableDistanceM
                track.previousTimeMs = track.lastStableTimeMs
                track.previousDistanceM = track.lastStableDistanceM
            }
            let at = state.tracks.firstIndex { $0.fence > fence } ?? state.tracks.endIndex
            state.tracks.insert(track, at: at)
        }
        swap(&found, &candidates)

        var t = 0
        while t < state.tracks.count {
            let fence = Int(state.tracks[t].fence)
            let d = index.shapes.signedDistanceM(fence, latitudeE7: lat, longitudeE7: lon)
            let before = confirmed.count
            state.tracks[t].step(
                timeMs: fix.timeMs, distanceM: d, accuracyM: r, rules: rules[fence], configuration: configuration,
                out: &confirmed, scratch: &scratch)
            for c in confirmed[before...] { emit(c, fence: fence, fix: fix, into: &events) }
            if state.tracks[t].isIdle(distanceM: d, marginM: rules[fence].marginM) {
                state.tracks.remove(at: t)
            } else {
                t += 1
            }
        }
        state.lastTimeMs = fix.timeMs
        state.lastLatitudeE7 = lat
        state.lastLongitudeE7 = lon
    }

    /// Feeds one fix and returns its events.
    public mutating func process(_ fix: Fix) -> [AnalyticsEvent] {
        var events: [AnalyticsEvent] = []
        process(fix, into: &events)
        return events
    }

    /// End of input. Emits nothing (see the type's documentation); kept for the detector shape.
    public mutating func finish() -> [AnalyticsEvent] { [] }

    /// Runs a monitor over fixes in fix-time order and returns all events.
    public static func run(
        _ fixes: [Fix], index: GeofenceIndex, configuration: Configuration = Configuration()
    ) -> [AnalyticsEvent] {
        var monitor = GeofenceMonitor(index: index, configuration: configuration)
        var events: [AnalyticsEvent] = []
        for fix in fixes { monitor.process(fix, into: &events) }
        events += monitor.finish()
        return events
    }

    /// Ids of the fences the device is inside now (confirmed, including an exit still pending),
    /// in fence order: "who is inside now".
    public func insideFences(of device: DeviceID) -> [String] {
        (devices[device]?.tracks ?? []).filter(\.inside).map { index.fences[Int($0.fence)].id }
    }

    /// The device's state against a fence (`.outside` if the monitor has no track for it).
    public func state(of device: DeviceID, fenceID: String) -> GeofenceState {
        guard let i = index.position(ofID: fenceID),
            let track = devices[device]?.tracks.first(where: { $0.fence == Int32(i) })
        else { return .outside }
        return track.state
    }

    /// The track of a device and fence, if any (for tests).
    func track(of device: DeviceID, fence: Int) -> GeofenceTrack? {
        devices[device]?.tracks.first { $0.fence == Int32(fence) }
    }

    /// Accuracy radius of a fix, metres: `accuracyM`, else HDOP x `uereM`, else 0.
    func accuracyRadiusM(_ fix: Fix) -> Double {
        if let a = fix.accuracyM, a.isFinite, a >= 0 { return a }
        if let h = fix.hdop, h.isFinite, h >= 0 { return h * configuration.uereM }
        return 0
    }

    private func emit(_ c: GeofenceTrack.Confirmed, fence: Int, fix: Fix, into events: inout [AnalyticsEvent]) {
        if let hours = rules[fence].activeHours, !hours.contains(timeMs: c.timeMs) { return }
        var attributes = [EventAttribute("distance_m", .double((c.distanceM * 10).rounded() / 10))]
        if let duration = c.durationMs {
            attributes.append(EventAttribute("duration_s", .double(Double(duration) / 1000)))
        }
        events.append(
            AnalyticsEvent(
                kind: c.kind, device: fix.device, timeMs: c.timeMs, confirmedAtMs: fix.timeMs,
                subject: index.fences[fence].id, late: fix.isLate, attributes: attributes))
    }
}
