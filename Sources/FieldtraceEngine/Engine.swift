import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Synchronization

/// The running engine: makes fixes durable, acknowledges them, and analyses them per device.
///
/// ## A batch's way
/// `accept` (called by every ingest path, concurrently) validates the batch, drops resends of
/// durable fixes (`DuplicateFilter`), appends the rest to the store (WAL, group commit) and
/// returns the receipt once they are durable; the device is acknowledged after that. Before
/// returning it hands the fixes to their devices' shards; the ack never waits for analysis,
/// only for room in a shard's queue (backpressure: a full queue makes `accept` wait, so TCP
/// readers slow down and UDP is shed by ingest).
///
/// A failed append (or event-log write) stops the engine: that `accept` throws (no ack) and so
/// does every later one. Fail-stop: after an fsync error nothing more can be promised.
///
/// ## Shards
/// Devices are spread over `shardCount` shards by a stable hash of their id
/// (`DeviceSharding`); a shard's thread owns its devices' analysis, reorder buffers and
/// snapshots, with no lock between a fix and its events. See `Shard`, `Shard+Late` (late data,
/// corrections) and `Shard+Load` (rebuild after a restart).
///
/// ## Time
/// The engine reads no clock: `nowMs` is injected (engine time: fixes' arrival, silence,
/// reorder holds). `tick` drives everything time-based and must be called periodically (`run`
/// does, every second).
///
/// ## Lifecycle (what `fieldtrace serve` calls)
/// `init` → `start()` → `accept` from ingest, `run(tickInterval:)` as a service → on SIGTERM,
/// stop ingest, then `shutdown()` (drain, write events, seal segments, checkpoint the WAL),
/// then close the store.
public final class Engine<Analyzer: DeviceAnalyzer>: FixSink, Sendable {
    public let configuration: EngineConfiguration
    public let store: TrackStore
    public let eventLog: EventLog
    let nowMs: @Sendable () -> Int64
    let shards: [Shard<Analyzer>]
    let filters: [DuplicateFilter]
    let counters = AcceptCounters()
    private let life = Mutex(Life())
    private let maintenance: WorkerThread<MaintenanceJob>

    struct Life {
        var phase = Phase.created
        var failure: EngineError?
        var acceptsInFlight = 0
        var drained: CheckedContinuation<Void, Never>?
    }

    enum Phase { case created, running, draining, stopped }

    struct MaintenanceJob: Sendable { let body: @Sendable () -> Void }

    /// - Parameters:
    ///   - store: an open store; the engine appends to it, flushes it, never closes it.
    ///   - eventLog: the log events are written to (one per catalog and process).
    ///   - nowMs: engine time, ms UTC (the server clock in production, a fake one in tests).
    ///   - profile: a device's tenant and analysis setup, asked when the device is loaded.
    public init(
        store: TrackStore, eventLog: EventLog, configuration: EngineConfiguration = .init(),
        nowMs: @escaping @Sendable () -> Int64,
        profile: @escaping @Sendable (DeviceID) -> DeviceProfile<Analyzer.Setup>
    ) {
        self.configuration = configuration
        self.store = store
        self.eventLog = eventLog
        self.nowMs = nowMs
        let filters = (0..<configuration.shardCount).map { _ in
            DuplicateFilter(capacity: configuration.duplicateWindowFixes)
        }
        self.filters = filters
        maintenance = WorkerThread(name: "fieldtrace-maintenance", capacity: 16) { jobs in
            for job in jobs { job.body() }
        }
        // The shards report failures through a box filled once `self` exists.
        let box = FailureBox()
        shards = (0..<configuration.shardCount).map { index in
            Shard(
                index: index, configuration: configuration, store: store, log: eventLog, profile: profile,
                reportFailure: { box.report($0) }, forget: { [filter = filters[index]] in filter.forget($0) })
        }
        box.set { [weak self] error in self?.fail(error) }
    }

    /// Starts accepting. Devices with fixes recovered from the WAL are loaded at once (their
    /// analysis may not have seen those fixes); every other device when its first fix comes.
    public func start() {
        life.withLock { $0.phase = .running }
        let now = nowMs()
        var byShard = [[DeviceID]](repeating: [], count: shards.count)
        // Everything stored is history for them (nothing was appended by this process yet).
        for device in store.recoveredDevices.sorted() { byShard[shardIndex(of: device)].append(device) }
        for (index, devices) in byShard.enumerated() where !devices.isEmpty {
            shards[index].worker.enqueueControl(.load(devices.map { ($0, Int64.max) }, nowMs: now))
        }
    }

    public func shardIndex(of device: DeviceID) -> Int {
        DeviceSharding.shard(of: device, count: shards.count)
    }

    /// The failure that stopped the engine, if any.
    public var failure: EngineError? { life.withLock { $0.failure } }

    func fail(_ error: any Error) {
        let engineError = (error as? EngineError) ?? .failed("\(error)")
        life.withLock { if $0.failure == nil { $0.failure = engineError } }
        for filter in filters { filter.fail(engineError) }
    }

    // MARK: Accept

    public func accept(_ batch: [Fix]) async throws -> FixReceipt {
        do {
            try enter()
        } catch {
            counters.batchesFailed.add(1, ordering: .relaxed)
            throw error
        }
        defer { leave() }
        do {
            return try await admit(batch)
        } catch {
            counters.batchesFailed.add(1, ordering: .relaxed)
            throw error
        }
    }

    private func admit(_ batch: [Fix]) async throws -> FixReceipt {
        let now = nowMs()
        var perShard = [[Fix]](repeating: [], count: shards.count)
        var rejected = 0
        for var fix in batch {
            guard abs(Int64(fix.latitudeE7)) <= Int64(Limits.maxLatitudeE7),
                abs(Int64(fix.longitudeE7)) <= Int64(Limits.maxLongitudeE7)
            else {
                rejected += 1
                continue
            }
            if let received = fix.receivedMs, received - fix.timeMs > configuration.markLateAfterMs {
                fix.flags.insert(.late)
            }
            perShard[shardIndex(of: fix.device)].append(fix.canonicalized())
        }
        counters.fixesRejected.add(rejected, ordering: .relaxed)

        var admissions: [(shard: Int, admission: DuplicateFilter.Admission)] = []
        var fresh: [Fix] = []
        var duplicates = 0
        for (index, fixes) in perShard.enumerated() where !fixes.isEmpty {
            let filter = filters[index]
            let unknown = filter.unknownDevices(in: fixes)
            if !unknown.isEmpty {
                // The shard loads a device first seen here before any of its fixes from now on.
                let worker = shards[index].worker!
                filter.seed(try unknown.map(seed), nowMs: now) { added in
                    worker.enqueueControl(.load(added.map { ($0.device, $0.newestMs) }, nowMs: now))
                }
            }
            let admission = try filter.admit(fixes, nowMs: now)
            duplicates += admission.duplicates
            fresh += admission.fresh
            admissions.append((index, admission))
        }

        let sequence: UInt64
        do {
            sequence = try await store.append(fresh)
        } catch {
            fail(error)
            complete(admissions)
            throw failure ?? .failed("\(error)")
        }
        complete(admissions)
        // A resend is acknowledged only once the copy it duplicates is durable.
        for (index, admission) in admissions {
            for wait in admission.waits {
                try await filters[index].waitUntilSettled(device: wait.device, ticket: wait.ticket)
            }
        }

        var notAnalysed = 0
        for (index, admission) in admissions where !admission.fresh.isEmpty {
            var fixes = admission.fresh
            fixes.removeAll { fix in
                let outside =
                    fix.timeMs < Limits.earliestFixTimeMs || fix.timeMs > now + configuration.futureToleranceMs
                if outside { notAnalysed += 1 }
                return outside
            }
            if !fixes.isEmpty { await shards[index].worker.enqueue(.fixes(fixes, nowMs: now)) }
        }
        counters.fixesNotAnalysed.add(notAnalysed, ordering: .relaxed)
        counters.batchesAccepted.add(1, ordering: .relaxed)
        counters.fixesAccepted.add(fresh.count, ordering: .relaxed)
        counters.fixesDuplicate.add(duplicates, ordering: .relaxed)
        return FixReceipt(accepted: fresh.count, duplicates: duplicates, durableSequence: sequence)
    }

    private func complete(_ admissions: [(shard: Int, admission: DuplicateFilter.Admission)]) {
        for (index, admission) in admissions where !admission.fresh.isEmpty {
            filters[index].complete(ticket: admission.ticket, devices: admission.ticketed)
        }
    }

    /// The recent stored fix times of a device seen for the first time by its filter.
    private func seed(_ device: DeviceID) throws -> (device: DeviceID, times: [Int64], newestMs: Int64?) {
        guard let newest = try store.newestFixTime(device: device) else { return (device, [], nil) }
        let recent = try store.replay(
            device: device, from: newest - configuration.duplicateSeedLookbackMs, to: newest)
        return (device, recent.suffix(configuration.duplicateWindowFixes).map(\.timeMs), newest)
    }

    private func enter() throws {
        try life.withLock { (l) throws(EngineError) in
            if let failure = l.failure { throw failure }
            guard l.phase == .running else { throw EngineError.notRunning }
            l.acceptsInFlight += 1
        }
    }

    private func leave() {
        let drained = life.withLock { l -> CheckedContinuation<Void, Never>? in
            l.acceptsInFlight -= 1
            guard l.acceptsInFlight == 0, let drained = l.drained else { return nil }
            l.drained = nil
            return drained
        }
        drained?.resume()
    }

    /// Applies changed profiles (a tenant's fences, routes or configuration): the devices of
    /// `tenant` (all when nil) are unloaded and load again, asking `profile`, at their next fix.
    /// The new setup applies from each device's current point on; events already emitted stand
    /// (a later late-data re-analysis of an earlier window uses the new setup).
    public func refreshProfiles(tenant: String? = nil) {
        let now = nowMs()
        for shard in shards { shard.worker.enqueueControl(.refresh(tenant: tenant, nowMs: now)) }
    }

    // MARK: Time

    /// Time-driven work at engine time `nowMs()`: see `tick(nowMs:)`.
    public func tick() async throws { try await tick(nowMs: nowMs()) }

    /// Time-driven work: each shard releases held fixes, runs settled late re-analyses, emits
    /// offline events, ends silent sessions, writes progress and evicts idle devices; then the
    /// devices idle for `segmentIdleMs` or buffered for `segmentMaxAgeMs` are sealed into
    /// segments and the WAL is checkpointed. Throws the engine's failure, if any.
    public func tick(nowMs now: Int64) async throws {
        let phase = try life.withLock { (l) throws(EngineError) -> Phase in
            if let failure = l.failure { throw failure }
            return l.phase
        }
        guard phase == .running else { return }
        for shard in shards { shard.worker.enqueueControl(.tick(nowMs: now)) }
        var due: [DeviceID] = []
        for filter in filters {
            due +=
                filter.sealDue(
                    nowMs: now, idleMs: configuration.segmentIdleMs, maxAgeMs: configuration.segmentMaxAgeMs,
                    evictAfterMs: configuration.evictAfterMs,
                    maxBufferedFixes: max(1, configuration.segmentMaxBufferedFixes / filters.count)
                ).seal
        }
        if !due.isEmpty {
            let devices = due
            try await onMaintenanceThread { [store] in try store.flush(devices: devices) }
            counters.devicesSealed.add(due.count, ordering: .relaxed)
            counters.sealFlushes.add(1, ordering: .relaxed)
        }
        if let failure { throw failure }
    }

    /// Runs `body` on the maintenance thread (blocking file work off the cooperative pool);
    /// a thrown error stops the engine.
    private func onMaintenanceThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            maintenance.enqueueControl(
                MaintenanceJob {
                    do {
                        try body()
                        continuation.resume(returning: .success(()))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                })
        }
        if case .failure(let error) = result {
            fail(error)
            throw failure ?? .failed("\(error)")
        }
    }

    /// Ticks every `tickInterval` until the task is cancelled (graceful shutdown), then shuts
    /// down. Throws when the engine fails (so `serve` exits non-zero), after stopping its threads.
    public func run(tickInterval: Duration = .seconds(1)) async throws {
        do {
            while true {
                try await Task.sleep(for: tickInterval)
                try await tick()
            }
        } catch is CancellationError {
            try await shutdown()
        } catch {
            try? await shutdown()
            throw error
        }
    }

    /// Stops accepting (`accept` throws `notRunning`), waits for the accepts in flight, drains
    /// every shard (held fixes released, pending late data re-analysed, events and progress
    /// written), seals every buffered fix into segments and checkpoints the WAL. Sessions are not
    /// ended: a shutdown is not the end of a device's input, the next start continues it.
    /// Throws the engine's failure, if any. The store stays open.
    public func shutdown() async throws {
        let wait = life.withLock { l -> Bool in
            guard l.phase == .running || l.phase == .created else { return false }
            l.phase = .draining
            return l.acceptsInFlight > 0
        }
        if wait {
            await withCheckedContinuation { continuation in
                let now = life.withLock { l -> Bool in
                    if l.acceptsInFlight == 0 { return true }
                    l.drained = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        }
        let now = nowMs()
        for shard in shards {
            await withCheckedContinuation { shard.worker.enqueueControl(.drain(nowMs: now, $0)) }
        }
        if failure == nil {
            try? await onMaintenanceThread { [store] in try store.flush() }
        }
        for shard in shards { shard.worker.stop() }
        maintenance.stop()
        life.withLock { $0.phase = .stopped }
        if let failure { throw failure }
    }

    /// Returns once every shard has handled everything sent to it before and written its events.
    package func barrier() async {
        for shard in shards { await withCheckedContinuation { shard.worker.enqueueControl(.barrier($0)) } }
    }

    /// Stops every thread without draining or sealing: what a crash leaves (for tests).
    package func halt() {
        life.withLock { $0.phase = .stopped }
        for shard in shards { shard.worker.stop() }
        maintenance.stop()
    }

    // MARK: Metrics

    /// Counters and gauges now.
    public func metrics() -> EngineMetrics {
        var m = EngineMetrics()
        counters.add(to: &m)
        for shard in shards {
            shard.counters.add(to: &m)
            m.shardQueueDepths.append(shard.worker.depth)
            m.shardQueueWaits += shard.worker.roomWaits
        }
        m.devicesInDuplicateFilter = filters.reduce(0) { $0 + $1.deviceCount }
        m.failed = failure != nil
        return m
    }
}

/// Lets shards report failures to an engine that does not exist yet when they are made.
final class FailureBox: Sendable {
    private let handler = Mutex<(@Sendable (any Error) -> Void)?>(nil)
    func set(_ body: @escaping @Sendable (any Error) -> Void) { handler.withLock { $0 = body } }
    func report(_ error: any Error) { handler.withLock { $0 }?(error) }
}
