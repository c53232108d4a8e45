import Synchronization

/// Counters (totals since start) and gauges (current values) of an engine, for `/metrics`.
public struct EngineMetrics: Sendable, Hashable {
    // Accept path.
    /// Batches whose `accept` returned (acknowledged).
    public var batchesAccepted = 0
    /// Fixes newly made durable.
    public var fixesAccepted = 0
    /// Fixes acknowledged as duplicates of durable ones, not stored again.
    public var fixesDuplicate = 0
    /// Fixes refused as unstorable (coordinates out of range), acknowledged but not stored.
    public var fixesRejected = 0
    /// Fixes stored but kept out of the analysis (time before 1999-08-22 or ahead of the clock).
    public var fixesNotAnalysed = 0
    /// Batches whose `accept` threw (no ack).
    public var batchesFailed = 0
    /// Times an `accept` waited for room in a full shard queue (backpressure).
    public var shardQueueWaits = 0
    /// Devices sealed into segments by the idle/age policy, and the flushes doing it.
    public var devicesSealed = 0
    public var sealFlushes = 0

    // Analysis.
    /// Fixes fed to the analysis in order (live), and late fixes taken to a re-analysis.
    public var fixesAnalysed = 0
    public var fixesLate = 0
    /// Re-analyses of a late window, and the stored fixes they replayed.
    public var lateReanalyses = 0
    public var fixesReplayed = 0
    /// Late fixes older than the late window or than the device's oldest snapshot: stored, not analysed.
    public var fixesBeyondLateWindow = 0
    /// Events appended to the log: all, those flagged late, corrections.
    public var eventsEmitted = 0
    public var eventsLate = 0
    public var corrections = 0
    /// Devices whose state was rebuilt from the store (first fix in this process, or after eviction).
    public var devicesLoaded = 0
    public var devicesEvicted = 0

    // Gauges.
    /// Devices with analysis state in memory, and of those the ones online.
    public var devicesInMemory = 0
    public var devicesOnline = 0
    /// Fixes held in reorder buffers.
    public var fixesHeldForReorder = 0
    /// Messages waiting in each shard's queue.
    public var shardQueueDepths: [Int] = []
    /// Devices remembered by the duplicate filters.
    public var devicesInDuplicateFilter = 0
    /// Whether the engine stopped after a failure.
    public var failed = false

    public init() {}
}

/// A shard's counters: written by its thread, read by `metrics()` from anywhere.
final class ShardCounters: Sendable {
    let fixesAnalysed = Atomic<Int>(0)
    let fixesLate = Atomic<Int>(0)
    let lateReanalyses = Atomic<Int>(0)
    let fixesReplayed = Atomic<Int>(0)
    let fixesBeyondLateWindow = Atomic<Int>(0)
    let eventsEmitted = Atomic<Int>(0)
    let eventsLate = Atomic<Int>(0)
    let corrections = Atomic<Int>(0)
    let devicesLoaded = Atomic<Int>(0)
    let devicesEvicted = Atomic<Int>(0)
    let devicesInMemory = Atomic<Int>(0)
    let devicesOnline = Atomic<Int>(0)
    let fixesHeldForReorder = Atomic<Int>(0)

    func add(to m: inout EngineMetrics) {
        m.fixesAnalysed += fixesAnalysed.load(ordering: .relaxed)
        m.fixesLate += fixesLate.load(ordering: .relaxed)
        m.lateReanalyses += lateReanalyses.load(ordering: .relaxed)
        m.fixesReplayed += fixesReplayed.load(ordering: .relaxed)
        m.fixesBeyondLateWindow += fixesBeyondLateWindow.load(ordering: .relaxed)
        m.eventsEmitted += eventsEmitted.load(ordering: .relaxed)
        m.eventsLate += eventsLate.load(ordering: .relaxed)
        m.corrections += corrections.load(ordering: .relaxed)
        m.devicesLoaded += devicesLoaded.load(ordering: .relaxed)
        m.devicesEvicted += devicesEvicted.load(ordering: .relaxed)
        m.devicesInMemory += devicesInMemory.load(ordering: .relaxed)
        m.devicesOnline += devicesOnline.load(ordering: .relaxed)
        m.fixesHeldForReorder += fixesHeldForReorder.load(ordering: .relaxed)
    }
}

/// The accept path's counters.
final class AcceptCounters: Sendable {
    let batchesAccepted = Atomic<Int>(0)
    let fixesAccepted = Atomic<Int>(0)
    let fixesDuplicate = Atomic<Int>(0)
    let fixesRejected = Atomic<Int>(0)
    let fixesNotAnalysed = Atomic<Int>(0)
    let batchesFailed = Atomic<Int>(0)
    let devicesSealed = Atomic<Int>(0)
    let sealFlushes = Atomic<Int>(0)

    func add(to m: inout EngineMetrics) {
        m.batchesAccepted = batchesAccepted.load(ordering: .relaxed)
        m.fixesAccepted = fixesAccepted.load(ordering: .relaxed)
        m.fixesDuplicate = fixesDuplicate.load(ordering: .relaxed)
        m.fixesRejected = fixesRejected.load(ordering: .relaxed)
        m.fixesNotAnalysed = fixesNotAnalysed.load(ordering: .relaxed)
        m.batchesFailed = batchesFailed.load(ordering: .relaxed)
        m.devicesSealed = devicesSealed.load(ordering: .relaxed)
        m.sealFlushes = sealFlushes.load(ordering: .relaxed)
    }
}
