import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore

/// Loading a device: its analysis state is rebuilt from its stored fixes, so a restart (or an
/// eviction) neither loses nor repeats events.
///
/// ## How far back
/// A device is loaded when this process first sees it, by a message its first batch queues
/// before anything of this process is appended for it, so "stored" means stored before. The
/// stored fixes of the last `rebuildLookbackMs + sessionGapMs` before the device's newest such
/// fix are read. If a session starts in them (a gap in fix time longer than
/// `sessionGapMs`), the rebuild runs from that start: a session starts from a fresh analyzer,
/// so the rebuilt state is exactly the one the device had, and its events are reconciled with
/// the log like a late-data re-analysis (the rule in `Shard+Late.swift`): events lost in a crash
/// (processed but not written, or a late re-analysis that had not run) are emitted late, events
/// that no longer hold are withdrawn, the rest is left alone. The late-data window of a device
/// loaded this way starts at its session start.
///
/// Otherwise (a device reporting without a long gap for longer than the lookback), the rebuild
/// starts from a fresh analyzer at the first fix of the lookback, an approximation: a stay that
/// began before it is seen as beginning there. Its events at or before the device's resume point
/// (the greatest step of its logged events and of its `engine_progress`) are not emitted again;
/// later ones are. Late data older than the rebuilt state is beyond the window.
///
/// After a profile refresh (fences or routes changed), the device is loaded the second way
/// whatever its history: the new setup applies from its resume point on, past events stand.
extension Shard {
    /// Builds a device's state from its stored fixes up to `throughMs` (nil: none), leaving out
    /// `current` (fixes about to be processed).
    func load(
        _ device: DeviceID, through throughMs: Int64?, excluding current: [Fix], nowMs: Int64
    ) throws -> DeviceState<Analyzer> {
        counters.devicesLoaded.add(1, ordering: .relaxed)
        let wasRefreshed = refreshed.remove(device) != nil
        let profile = self.profile(device)
        let resume = try log.resumePoint(device: device)
        let gap = configuration.sessionGapMs
        var state = DeviceState<Analyzer>(
            tenant: profile.tenant, run: AnalysisRun(device: device, setup: profile.setup, sessionGapMs: gap),
            ladder: SnapshotLadder(AnalysisSnapshot(validAtMs: .min, analyzer: nil)), nowMs: nowMs)
        state.online = resume.connectivity == .deviceOnline
        state.progressStep = resume.step ?? .min
        guard let throughMs, let storedNewest = try store.newestFixTime(device: device) else { return state }
        let newest = min(storedNewest, throughMs)

        let excluded = Set(current.map(\.timeMs))
        let from = newest - configuration.rebuildLookbackMs - gap
        var stored = try store.replay(device: device, from: from, to: newest)
        stored.removeAll { excluded.contains($0.timeMs) || !isAnalysable($0, nowMs: nowMs) }
        guard let first = stored.first else { return state }

        // The last session start in the fixes read, if any.
        var start: Int?
        if first.timeMs - from > gap { start = 0 }
        for i in stride(from: stored.count - 1, to: 0, by: -1) where stored[i].timeMs - stored[i - 1].timeMs > gap {
            start = i
            break
        }
        let exact = start != nil
        let begin = start ?? (stored.firstIndex { $0.timeMs >= newest - configuration.rebuildLookbackMs } ?? 0)
        // The state before the session: fresh, valid from the last fix before it (or the start of
        // what was read), so late fixes in the gap before the session still have a base (with a
        // fresh state: exact unless they continue the previous session).
        let genesis = AnalysisSnapshot<Analyzer>(
            validAtMs: begin > 0 ? stored[begin - 1].timeMs : (exact ? from - 1 : stored[begin].timeMs - 1),
            analyzer: nil)
        var run = AnalysisRun<Analyzer>(device: device, setup: profile.setup, sessionGapMs: gap, snapshot: genesis)
        var ladder = SnapshotLadder(genesis)
        var rebuilt: [EmittedEvent] = []
        for fix in stored[begin...] {
            run.feed(fix, into: &rebuilt)
            ladder.note(run, configuration: configuration, copies: keepsCopies(state))
        }
        let lastSeenMs = min(nowMs, stored[stored.count - 1].receivedMs ?? nowMs)
        // A device silent for a session gap had its session ended before the restart, or would have.
        let ended = nowMs - lastSeenMs >= gap
        if ended { run.finish(into: &rebuilt) }
        state.run = run
        state.finishedBySilence = ended
        state.lastSeenMs = lastSeenMs
        if exact && !wasRefreshed {
            state.ladder = ladder
            try reconcile(rebuilt, device: device, afterStep: genesis.step, state: state, nowMs: nowMs)
        } else {
            state.ladder = SnapshotLadder(AnalysisSnapshot(validAtMs: run.lastMs, analyzer: ended ? nil : run.analyzer))
            state.emittedThroughStep = resume.step ?? .min
            emit(rebuilt, state: state, nowMs: nowMs)
        }
        return state
    }
}
