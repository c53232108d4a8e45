import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore

/// What a shard's thread is asked to do, in order.
enum ShardMessage: Sendable {
    /// Durable, analysable fixes of this shard's devices, in arrival order.
    case fixes([Fix], nowMs: Int64)
    case tick(nowMs: Int64)
    /// Load these devices now, rebuilding their state from their stored fixes up to the given
    /// fix time (what was stored before this process appended for them; nil: nothing).
    case load([(device: DeviceID, throughMs: Int64?)], nowMs: Int64)
    /// Release every held fix, run pending re-analyses, write events and progress, then resume.
    case drain(nowMs: Int64, CheckedContinuation<Void, Never>)
    /// Devices of `tenant` (all when nil) are unloaded: their next fix loads them with the
    /// profile asked again, their past events standing.
    case refresh(tenant: String?, nowMs: Int64)
    /// Write pending events, then resume: everything sent before has been handled.
    case barrier(CheckedContinuation<Void, Never>)
}

/// The devices of one shard and their analysis, owned by one thread: no lock is taken on the
/// way from a fix to its events. Everything below `worker` runs on that thread only.
final class Shard<Analyzer: DeviceAnalyzer>: @unchecked Sendable {
    let index: Int
    let configuration: EngineConfiguration
    let store: TrackStore
    let log: EventLog
    let profile: @Sendable (DeviceID) -> DeviceProfile<Analyzer.Setup>
    let counters = ShardCounters()
    let reportFailure: @Sendable (any Error) -> Void
    /// Tells the duplicate filter a device was evicted (so its next batch loads it again).
    let forget: @Sendable (DeviceID) -> Void
    private(set) var worker: WorkerThread<ShardMessage>!

    // Owned by the worker thread.
    /// Loaded devices. A state lives in its own box: the dictionary holds a reference, so a
    /// batch updates the state in place (no move of its kilobytes in and out of the table), and
    /// the table's free buckets cost 8 bytes, not a state's size.
    var devices: [DeviceID: DeviceSlot<Analyzer>] = [:]
    /// Events emitted since the last write to the log (written at the end of each batch of
    /// messages, in one transaction).
    var pendingEvents: [NewEvent] = []
    var pendingProgress: [DeviceID: Int64] = [:]
    var scratch: [EmittedEvent] = []
    var failed = false
    /// Counts `ingest` calls that look for repeated devices (`DeviceSlot.batchMark`).
    var batchMark = 0
    /// Devices unloaded by a profile refresh: their next load does not revisit past events.
    var refreshed: Set<DeviceID> = []

    init(
        index: Int, configuration: EngineConfiguration, store: TrackStore, log: EventLog,
        profile: @escaping @Sendable (DeviceID) -> DeviceProfile<Analyzer.Setup>,
        reportFailure: @escaping @Sendable (any Error) -> Void,
        forget: @escaping @Sendable (DeviceID) -> Void
    ) {
        self.index = index
        self.configuration = configuration
        self.store = store
        self.log = log
        self.profile = profile
        self.reportFailure = reportFailure
        self.forget = forget
        worker = WorkerThread(name: "fieldtrace-shard-\(index)", capacity: configuration.shardQueueCapacity) {
            [self] messages in handle(messages)
        }
    }

    /// Specialised for the production analyzer: the engine is generic, and unspecialised code
    /// reaches the analyzer through value witnesses (a copy of its whole state to read one field).
    @_specialize(where Analyzer == DeviceAnalytics)
    private func handle(_ messages: [ShardMessage]) {
        for message in messages {
            switch message {
            case .fixes(let fixes, let now): guarded { try ingest(fixes, nowMs: now) }
            case .tick(let now): guarded { try tick(nowMs: now) }
            case .load(let list, let now):
                guarded {
                    for (device, through) in list where devices[device] == nil {
                        devices[device] = DeviceSlot(try load(device, through: through, excluding: [], nowMs: now))
                    }
                }
            case .drain(let now, let continuation):
                guarded { try drain(nowMs: now) }
                continuation.resume()
            case .refresh(let tenant, let now): guarded { try refresh(tenant: tenant, nowMs: now) }
            case .barrier(let continuation):
                guarded { try flushEvents() }
                continuation.resume()
            }
        }
        guarded { try flushEvents() }
        counters.devicesInMemory.store(devices.count, ordering: .relaxed)
    }

    /// Runs `body` unless the shard failed; a thrown error stops the shard and the engine.
    private func guarded(_ body: () throws -> Void) {
        guard !failed else { return }
        do {
            try body()
        } catch {
            failed = true
            reportFailure(error)
        }
    }

    /// Writes the pending events and progress in one transaction.
    func flushEvents() throws {
        guard !pendingEvents.isEmpty || !pendingProgress.isEmpty else { return }
        let progress = pendingProgress.map { (device: $0.key, step: $0.value) }
        try log.append(pendingEvents, progress: progress)
        pendingEvents.removeAll(keepingCapacity: true)
        pendingProgress.removeAll(keepingCapacity: true)
    }

    func isAnalysable(_ fix: Fix, nowMs: Int64) -> Bool {
        fix.timeMs >= Limits.earliestFixTimeMs && fix.timeMs <= nowMs + configuration.futureToleranceMs
    }

    // MARK: Fixes

    private func ingest(_ fixes: [Fix], nowMs: Int64) throws {
        guard let first = fixes.first else { return }
        if fixes.allSatisfy({ $0.device == first.device }) {
            try admit(fixes[...], device: first.device, nowMs: nowMs)
            return
        }
        // Most batches of several devices (a vectored UDP read) hold one run per device, each
        // loaded: the runs are then admitted as they come, one lookup each, which is what grouping
        // by device (below) does for them.
        if let slots = slotsOfDistinctRuns(fixes) {
            var start = 0
            for slot in slots {
                var end = start + 1
                while end < fixes.count && fixes[end].device == fixes[start].device { end += 1 }
                try admit(fixes[start..<end], device: fixes[start].device, state: &slot.state, nowMs: nowMs)
                start = end
            }
            return
        }
        var order: [DeviceID] = []
        var groups: [DeviceID: [Fix]] = [:]
        for fix in fixes {
            if groups[fix.device] == nil { order.append(fix.device) }
            groups[fix.device, default: []].append(fix)
        }
        for device in order { try admit(groups[device]![...], device: device, nowMs: nowMs) }
    }

    /// The states of the runs of `fixes` (consecutive fixes of one device), in order, if every
    /// run's device is loaded and has no other run; nil otherwise.
    private func slotsOfDistinctRuns(_ fixes: [Fix]) -> [DeviceSlot<Analyzer>]? {
        batchMark &+= 1
        var slots: [DeviceSlot<Analyzer>] = []
        var i = 0
        while i < fixes.count {
            let device = fixes[i].device
            guard let slot = devices[device], slot.batchMark != batchMark else { return nil }
            slot.batchMark = batchMark
            slots.append(slot)
            i += 1
            while i < fixes.count && fixes[i].device == device { i += 1 }
        }
        return slots
    }

    /// Routes a device's new fixes: in-order ones to the reorder buffer (then the analysis),
    /// late ones to a pending re-analysis.
    private func admit(_ fixes: ArraySlice<Fix>, device: DeviceID, nowMs: Int64) throws {
        // Normally loaded by the message the first batch queued; after an eviction raced with a
        // batch, everything stored but these fixes is history.
        let slot: DeviceSlot<Analyzer>
        if let loaded = devices[device] {
            slot = loaded
        } else {
            slot = DeviceSlot(try load(device, through: .max, excluding: Array(fixes), nowMs: nowMs))
            devices[device] = slot
        }
        try admit(fixes, device: device, state: &slot.state, nowMs: nowMs)
    }

    private func admit(
        _ fixes: ArraySlice<Fix>, device: DeviceID, state: inout DeviceState<Analyzer>, nowMs: Int64
    ) throws {
        if !state.online {
            state.online = true
            emitConnectivity(
                .deviceOnline, device: device, timeMs: fixes[fixes.startIndex].timeMs, state: state, nowMs: nowMs)
        }
        state.lastSeenMs = nowMs
        for fix in fixes {
            let last = state.run.lastMs
            let continuesFinished =
                state.finishedBySilence && last != .min && fix.timeMs - last <= configuration.sessionGapMs
            if fix.timeMs > last && !continuesFinished {
                _ = state.hold(fix, nowMs: nowMs)
                continue
            }
            if fix.timeMs <= state.ladder.oldest.validAtMs
                || (last != .min && fix.timeMs < last - configuration.lateWindowMs)
            {
                counters.fixesBeyondLateWindow.add(1, ordering: .relaxed)
                continue
            }
            counters.fixesLate.add(1, ordering: .relaxed)
            state.noteLate(fix.timeMs, nowMs: nowMs)
        }
        release(&state, force: false, nowMs: nowMs)
        if let late = state.late, late.count >= configuration.lateMaxPendingFixes {
            try reanalyse(&state, device: device, nowMs: nowMs)
        }
    }

    /// Feeds held fixes to the analysis: those a newer fix has overtaken by the reorder window,
    /// those beyond the buffer's size, or all with `force`.
    func release(_ state: inout DeviceState<Analyzer>, force: Bool, nowMs: Int64) {
        while let first = state.held.first,
            force || state.held.count > configuration.reorderMaxFixes
                || state.held[state.held.count - 1].timeMs - first.timeMs >= configuration.reorderWindowMs
        {
            state.held.removeFirst()
            scratch.removeAll(keepingCapacity: true)
            state.run.feed(first, into: &scratch)
            state.finishedBySilence = false
            counters.fixesAnalysed.add(1, ordering: .relaxed)
            emit(scratch, state: state, nowMs: nowMs)
            state.ladder.note(state.run, configuration: configuration, copies: keepsCopies(state))
        }
    }

    /// Whether the device's snapshot ladder keeps analyzer copies (not only free bases).
    func keepsCopies(_ state: DeviceState<Analyzer>) -> Bool {
        state.sentLate || !configuration.snapshotsOnlyAfterLateData
    }

    /// Queues analysis events for the log (those not emitted before a rebuild).
    func emit(_ events: [EmittedEvent], state: DeviceState<Analyzer>, nowMs: Int64, forceLate: Bool = false) {
        for emitted in events where emitted.step > state.emittedThroughStep {
            var event = emitted.event
            if forceLate { event.late = true }
            pendingEvents.append(NewEvent(tenant: state.tenant, event: event, detectedMs: nowMs, step: emitted.step))
            counters.eventsEmitted.add(1, ordering: .relaxed)
            if event.late { counters.eventsLate.add(1, ordering: .relaxed) }
        }
    }

    func emitConnectivity(
        _ kind: EventKind, device: DeviceID, timeMs: Int64, state: DeviceState<Analyzer>, nowMs: Int64
    ) {
        let event = AnalyticsEvent(kind: kind, device: device, timeMs: timeMs, confirmedAtMs: timeMs)
        pendingEvents.append(NewEvent(tenant: state.tenant, event: event, detectedMs: nowMs, step: nil))
        counters.eventsEmitted.add(1, ordering: .relaxed)
    }

    // MARK: Time

    private func tick(nowMs: Int64) throws {
        var evicted: [DeviceID] = []
        var online = 0
        var held = 0
        var index = devices.startIndex
        while index != devices.endIndex {
            let device = devices.keys[index]
            let slot = devices.values[index]
            if try tick(&slot.state, device: device, nowMs: nowMs) { evicted.append(device) }
            if slot.state.online { online += 1 }
            held += slot.state.held.count
            devices.formIndex(after: &index)
        }
        for device in evicted {
            let state = devices.removeValue(forKey: device)!.state
            forget(device)
            if state.run.step > state.progressStep { pendingProgress[device] = state.run.step }
            if state.online { online -= 1 }
        }
        counters.devicesEvicted.add(evicted.count, ordering: .relaxed)
        counters.devicesOnline.store(online, ordering: .relaxed)
        counters.fixesHeldForReorder.store(held, ordering: .relaxed)
    }

    /// One device's time-driven work; returns whether to evict it.
    private func tick(_ state: inout DeviceState<Analyzer>, device: DeviceID, nowMs: Int64) throws -> Bool {
        let c = configuration
        if !state.held.isEmpty && nowMs - state.heldSinceMs >= c.reorderHoldMs {
            release(&state, force: true, nowMs: nowMs)
        }
        if let late = state.late, nowMs - late.lastMs >= c.lateSettleMs {
            try reanalyse(&state, device: device, nowMs: nowMs)
        }
        let silentMs = nowMs - state.lastSeenMs
        if state.online && silentMs >= c.offlineAfterMs {
            try settle(&state, device: device, nowMs: nowMs)
            state.online = false
            let lastMs = state.run.lastMs == .min ? nowMs : state.run.lastMs
            emitConnectivity(.deviceOffline, device: device, timeMs: lastMs, state: state, nowMs: nowMs)
        }
        if state.run.analyzer != nil && silentMs >= c.sessionGapMs {
            try settle(&state, device: device, nowMs: nowMs)
            endSessionBySilence(&state, nowMs: nowMs)
        }
        if state.run.step > state.progressStep && nowMs - state.progressWrittenMs >= c.progressIntervalMs {
            pendingProgress[device] = state.run.step
            state.progressStep = state.run.step
            state.progressWrittenMs = nowMs
        }
        return silentMs >= c.evictAfterMs && state.held.isEmpty && state.late == nil
    }

    /// Releases every held fix and runs a pending re-analysis.
    func settle(_ state: inout DeviceState<Analyzer>, device: DeviceID, nowMs: Int64) throws {
        release(&state, force: true, nowMs: nowMs)
        if state.late != nil { try reanalyse(&state, device: device, nowMs: nowMs) }
    }

    func endSessionBySilence(_ state: inout DeviceState<Analyzer>, nowMs: Int64) {
        scratch.removeAll(keepingCapacity: true)
        state.run.finish(into: &scratch)
        state.finishedBySilence = true
        emit(scratch, state: state, nowMs: nowMs)
    }

    private func refresh(tenant: String?, nowMs: Int64) throws {
        let chosen = devices.filter { tenant == nil || $0.value.state.tenant == tenant }.map(\.key)
        for device in chosen {
            var state = devices.removeValue(forKey: device)!.state
            try settle(&state, device: device, nowMs: nowMs)
            pendingProgress[device] = max(state.run.step, state.progressStep)
            refreshed.insert(device)
        }
        try flushEvents()
    }

    private func drain(nowMs: Int64) throws {
        var index = devices.startIndex
        while index != devices.endIndex {
            let device = devices.keys[index]
            let slot = devices.values[index]
            try settle(&slot.state, device: device, nowMs: nowMs)
            let step = slot.state.run.step
            if step > slot.state.progressStep {
                pendingProgress[device] = step
                slot.state.progressStep = step
                slot.state.progressWrittenMs = nowMs
            }
            devices.formIndex(after: &index)
        }
        try flushEvents()
    }
}
