import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Foundation

/// Late data: a window of a device's analysis is computed again, in fix-time order, and the
/// result is reconciled with the events already in the log.
///
/// ## The rule
/// The re-analysis restores the newest snapshot from before the earliest late fix (fix time T),
/// replays the device's stored fixes after T (the late ones are durable before they reach a
/// shard) and so produces exactly the events with a step after 2T that processing the sorted
/// track would produce. It is compared with the device's standing events after 2T (in the log,
/// not corrections, not withdrawn), as a multiset of contents: kind, times, subject and
/// attributes, the `late` flag ignored.
/// - an event the re-analysis produces again stays as it is: nothing is emitted;
/// - an event it produces that does not stand is emitted with `late = true`;
/// - a standing event it does not produce is withdrawn by a `correction.retract` event
///   (`retracted_id`, `retracted_kind`, and the withdrawn event's time, confirmation and subject).
/// After a reconciliation the standing events after 2T are exactly the sorted track's events.
extension Shard {
    /// Re-analyses the device from before its pending late fixes through the newest of them
    /// (or the newest fix analysed, whichever is later), then reconciles.
    func reanalyse(_ state: inout DeviceState<Analyzer>, device: DeviceID, nowMs: Int64) throws {
        guard let late = state.late else { return }
        state.late = nil
        let previousLastMs = state.run.lastMs
        let upper = max(previousLastMs, late.maxMs)
        // Snapshots may have moved on since the late fixes were noted; then the oldest is the base
        // and fixes before it are beyond the window.
        let baseIndex = state.ladder.base(before: late.minMs) ?? 0
        let base = state.ladder.snapshots[baseIndex]
        let from = base.validAtMs == .min ? Int64.min : base.validAtMs + 1
        let fixes = try store.replay(device: device, from: from, to: upper)
        counters.lateReanalyses.add(1, ordering: .relaxed)
        counters.fixesReplayed.add(fixes.count, ordering: .relaxed)

        var run = AnalysisRun(
            device: device, setup: state.run.setup, sessionGapMs: configuration.sessionGapMs, snapshot: base)
        state.ladder.truncate(after: baseIndex)
        var recomputed: [EmittedEvent] = []
        for fix in fixes where fix.timeMs > run.lastMs && isAnalysable(fix, nowMs: nowMs) {
            run.feed(fix, into: &recomputed)
            state.ladder.note(run, configuration: configuration, copies: keepsCopies(state))
        }
        // A session ended by silence stays ended if nothing arrived after it.
        if state.finishedBySilence && upper == previousLastMs {
            run.finish(into: &recomputed)
        } else {
            state.finishedBySilence = false
        }
        state.run = run
        state.held.removeAll { $0.timeMs <= upper }
        try reconcile(recomputed, device: device, afterStep: base.step, state: state, nowMs: nowMs)
    }

    /// Makes the device's standing events after `afterStep` equal to `recomputed` (see the rule).
    func reconcile(
        _ recomputed: [EmittedEvent], device: DeviceID, afterStep: Int64, state: DeviceState<Analyzer>, nowMs: Int64
    ) throws {
        try flushEvents()  // the log must hold everything emitted so far
        let standing = try log.standingEvents(device: device, afterStep: afterStep)
        var unmatched: [String: [Int]] = [:]
        for (i, event) in standing.enumerated() { unmatched[Self.contentKey(event.payload), default: []].append(i) }
        var matched = [Bool](repeating: false, count: standing.count)
        for emitted in recomputed {
            var plain = emitted.event
            plain.late = false
            let key = plain.jsonLine
            if var candidates = unmatched[key], !candidates.isEmpty {
                matched[candidates.removeFirst()] = true
                unmatched[key] = candidates
                continue
            }
            var event = emitted.event
            event.late = true
            pendingEvents.append(NewEvent(tenant: state.tenant, event: event, detectedMs: nowMs, step: emitted.step))
            counters.eventsEmitted.add(1, ordering: .relaxed)
            counters.eventsLate.add(1, ordering: .relaxed)
        }
        for (i, old) in standing.enumerated() where !matched[i] {
            let correction = AnalyticsEvent(
                kind: .correctionRetract, device: device, timeMs: old.timeMs, confirmedAtMs: old.confirmedMs,
                subject: old.subject, late: true,
                attributes: [
                    EventAttribute("retracted_id", .int(old.id)), .init("retracted_kind", .string(old.kind.rawValue)),
                ])
            pendingEvents.append(
                NewEvent(tenant: state.tenant, event: correction, detectedMs: nowMs, step: old.step, retracts: old.id))
            counters.eventsEmitted.add(1, ordering: .relaxed)
            counters.corrections.add(1, ordering: .relaxed)
        }
    }

    /// A logged payload with its `late` flag cleared: equal for equal contents. The flag is the
    /// first key `late` outside a string (inside JSON strings every quote is escaped, so
    /// `,"late":` cannot occur there), written before any attribute.
    static func contentKey(_ payload: String) -> String {
        guard let key = payload.range(of: #","late":"#), payload[key.upperBound...].hasPrefix("true") else {
            return payload
        }
        return payload.replacingCharacters(
            in: key.upperBound..<payload.index(key.upperBound, offsetBy: 4), with: "false")
    }
}
