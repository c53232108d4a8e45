import FieldtraceCore

/// Everything a shard keeps for one device. Memory: the analyzer plus up to
/// `maxSnapshots` copies of it (none until the device sent late data, by default), at most
/// `reorderMaxFixes` held fixes, and a few scalars.
struct DeviceState<Analyzer: DeviceAnalyzer>: Sendable {
    let tenant: String
    /// The analysis, with `run.lastMs` the newest fix time it has processed.
    var run: AnalysisRun<Analyzer>
    var ladder: SnapshotLadder<Analyzer>
    /// The open session was ended by silence (engine time), not by a later fix: the data may
    /// still continue it (a back-fill, a device that buffered), which re-analyses.
    var finishedBySilence = false
    /// Fixes newer than `run.lastMs`, held for reordering, in fix-time order.
    var held: [Fix] = []
    /// Engine time the oldest held fix arrived.
    var heldSinceMs: Int64 = 0
    /// Late fixes waiting for their re-analysis: their fix-time range and count, and the engine
    /// time of the last one. The fixes themselves are in the store.
    var late: PendingLate?
    /// The device sent late data since it was loaded: its snapshot ladder keeps analyzer copies
    /// (`EngineConfiguration.snapshotsOnlyAfterLateData`).
    var sentLate = false
    /// Engine time of the last fix.
    var lastSeenMs: Int64
    var online: Bool
    /// Events with a step at or below this were emitted before this state was built (restart
    /// or eviction): they are not emitted again.
    var emittedThroughStep: Int64
    /// The step last written to `engine_progress`, and when (engine time).
    var progressStep: Int64
    var progressWrittenMs: Int64

    struct PendingLate: Sendable {
        var minMs: Int64
        var maxMs: Int64
        var count: Int
        var lastMs: Int64
    }

    init(tenant: String, run: AnalysisRun<Analyzer>, ladder: SnapshotLadder<Analyzer>, nowMs: Int64) {
        self.tenant = tenant
        self.run = run
        self.ladder = ladder
        self.lastSeenMs = nowMs
        self.online = false
        self.emittedThroughStep = .min
        self.progressStep = .min
        self.progressWrittenMs = nowMs
    }

    /// Inserts a fix newer than `run.lastMs` into the held fixes, in fix-time order; a fix time
    /// already held is dropped (the first copy wins, as in the store). Returns whether it was held.
    mutating func hold(_ fix: Fix, nowMs: Int64) -> Bool {
        if held.isEmpty { heldSinceMs = nowMs }
        if let last = held.last, last.timeMs >= fix.timeMs {
            let index = held.firstIndex { $0.timeMs >= fix.timeMs }!
            if held[index].timeMs == fix.timeMs { return false }
            held.insert(fix, at: index)
        } else {
            held.append(fix)
        }
        return true
    }

    mutating func noteLate(_ timeMs: Int64, nowMs: Int64) {
        sentLate = true
        if var pending = late {
            pending.minMs = min(pending.minMs, timeMs)
            pending.maxMs = max(pending.maxMs, timeMs)
            pending.count += 1
            pending.lastMs = nowMs
            late = pending
        } else {
            late = PendingLate(minMs: timeMs, maxMs: timeMs, count: 1, lastMs: nowMs)
        }
    }
}

/// A device's state in its own box (see `Shard.devices`); only the shard's thread touches it.
final class DeviceSlot<Analyzer: DeviceAnalyzer> {
    var state: DeviceState<Analyzer>
    /// The shard's `batchMark` when this device was last seen by `slotsOfDistinctRuns`.
    var batchMark = 0

    init(_ state: DeviceState<Analyzer>) { self.state = state }
}
