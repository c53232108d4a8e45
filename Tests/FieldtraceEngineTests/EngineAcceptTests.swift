import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Foundation
import Testing

@testable import FieldtraceEngine

@Suite struct EngineAcceptTests {
    /// Sends `batches` one after the other, the clock following the newest fix time.
    static func send(
        _ batches: [[Fix]], to h: EngineHarness, clockLeadMs: Int64 = 500
    ) async throws -> (accepted: Int, duplicates: Int) {
        var accepted = 0
        var duplicates = 0
        for batch in batches {
            if let newest = batch.map(\.timeMs).max(), newest + clockLeadMs > h.clock.nowMs {
                h.clock.set(newest + clockLeadMs)
            }
            let receipt = try await h.engine.accept(batch)
            accepted += receipt.accepted
            duplicates += receipt.duplicates
        }
        return (accepted, duplicates)
    }

    /// Ends every session (silence) and waits until the shards wrote everything.
    static func finish(_ h: EngineHarness) async throws {
        h.clock.advance(ms: h.engine.configuration.sessionGapMs + 60_000)
        try await h.engine.tick()
        await h.engine.barrier()
    }

    @Test func duplicatedAndReorderedBatchesAreStoredOnceAndAnalysedOnce() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(3000))
        let device = fixes[0].device
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(fixes[0].timeMs))
        var rng = SeededRandom(seed: 11)
        var batches = stride(from: 0, to: fixes.count, by: 10).map { Array(fixes[$0..<min(fixes.count, $0 + 10)]) }
        // Neighbouring batches swapped (10 s of disorder: the late path), every batch shuffled
        // inside (within the reorder window), and every batch sent twice, the copy later.
        for i in stride(from: 0, to: batches.count - 1, by: 7) { batches.swapAt(i, i + 1) }
        var deliveries: [[Fix]] = []
        for (i, batch) in batches.enumerated() {
            deliveries.append(batch.shuffled(using: &rng))
            if i >= 3 { deliveries.append(batches[i - 3].shuffled(using: &rng)) }
        }
        for batch in batches.suffix(3) { deliveries.append(batch) }
        let totals = try await Self.send(deliveries, to: h)
        try await Self.finish(h)

        #expect(totals.accepted == fixes.count, "seed 11")
        #expect(totals.duplicates == fixes.count)
        #expect(try h.store.replay(device: device) == fixes.map { $0.canonicalized() })
        #expect(try h.standingContents(of: device) == EngineHarness.referenceContents(fixes, device: device))
        let metrics = h.engine.metrics()
        #expect(metrics.fixesDuplicate == fixes.count && metrics.lateReanalyses > 0)
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func reorderingWithinTheWindowNeedsNoReanalysis() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(1200))
        let device = fixes[0].device
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(fixes[0].timeMs))
        var singles = fixes.map { [$0] }
        for i in stride(from: 0, to: singles.count - 1, by: 3) { singles.swapAt(i, i + 1) }  // 1 s of disorder
        _ = try await Self.send(singles, to: h)
        try await Self.finish(h)
        #expect(h.engine.metrics().lateReanalyses == 0)
        #expect(try h.standingContents(of: device) == EngineHarness.referenceContents(fixes, device: device))
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func concurrentResendsAreStoredOnce() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(400))
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(fixes.last!.timeMs))
        let batches = stride(from: 0, to: fixes.count, by: 20).map { Array(fixes[$0..<$0 + 20]) }
        let engine = h.engine
        let receipts = try await withThrowingTaskGroup(of: FixReceipt.self) { group in
            for batch in batches {
                for _ in 0..<3 { group.addTask { try await engine.accept(batch) } }
            }
            return try await group.reduce(into: [FixReceipt]()) { $0.append($1) }
        }
        #expect(receipts.reduce(0) { $0 + $1.accepted } == fixes.count)
        #expect(receipts.reduce(0) { $0 + $1.duplicates } == 2 * fixes.count)
        #expect(try h.store.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func unstorableFixesAreRefusedAndImplausibleTimesKeptOutOfTheAnalysis() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(10))
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(fixes.last!.timeMs + 1000))
        var bad = fixes[0]
        bad.timeMs -= 1
        bad.latitudeE7 = 950_000_000
        var future = fixes[9]
        future.timeMs += 3 * 86_400_000
        let receipt = try await h.engine.accept(fixes + [bad, future])
        #expect(receipt.accepted == 11 && receipt.duplicates == 0)
        await h.engine.barrier()
        let m = h.engine.metrics()
        #expect(m.fixesRejected == 1 && m.fixesNotAnalysed == 1)
        #expect(try h.store.replay(device: fixes[0].device).count == 11)
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func aFailedFsyncThrowsAndStopsTheEngine() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(60))
        let fs = FailingFileSystem()
        var options = StoreOptions()
        options.fileSystem = fs
        let h = try EngineHarness(
            directory: dir.path, clock: FakeClock(fixes.last!.timeMs), storeOptions: options)
        _ = try await h.engine.accept(Array(fixes[0..<20]))
        fs.failing.store(true, ordering: .relaxed)
        await #expect(throws: EngineError.self) { try await h.engine.accept(Array(fixes[20..<40])) }
        fs.failing.store(false, ordering: .relaxed)
        // Fail-stop: even with the disk healthy again, nothing more is accepted.
        await #expect(throws: EngineError.self) { try await h.engine.accept(Array(fixes[40..<60])) }
        await #expect(throws: EngineError.self) { try await h.engine.accept(Array(fixes[0..<20])) }
        #expect(h.engine.failure != nil && h.engine.metrics().failed)
        #expect(h.engine.metrics().batchesFailed == 3)
        await #expect(throws: EngineError.self) { try await h.engine.shutdown() }
        try? h.store.close()
    }

    @Test func devicesGoOfflineAfterSilenceAndComeBackOnline() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(120))
        let device = fixes[0].device
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(fixes[0].timeMs))
        _ = try await Self.send([Array(fixes[0..<60])], to: h)
        h.clock.advance(ms: h.engine.configuration.offlineAfterMs - 1000)
        try await h.engine.tick()
        await h.engine.barrier()
        #expect(try h.allEvents().map(\.kind).filter { $0.rawValue.hasPrefix("device.") } == [.deviceOnline])
        h.clock.advance(ms: 2000)
        try await h.engine.tick()
        await h.engine.barrier()
        _ = try await h.engine.accept(Array(fixes[60..<120]))
        await h.engine.barrier()
        let connectivity = try h.allEvents().filter { $0.step == nil }
        #expect(connectivity.map(\.kind) == [.deviceOnline, .deviceOffline, .deviceOnline])
        #expect(connectivity[1].timeMs == fixes[59].timeMs, "offline at the last fix analysed")
        #expect(connectivity[2].timeMs == fixes[60].timeMs)
        #expect(connectivity.allSatisfy { $0.device == device && $0.tenant == "t1" })
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func idleAndOldBuffersAreSealedIntoSegments() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let a = Array(Tracks.days(1, everySeconds: 1, device: DeviceID("a")!).prefix(100))
        let b = Array(Tracks.days(1, everySeconds: 1, seed: 5, device: DeviceID("b")!).prefix(100))
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(a[0].timeMs))
        _ = try await h.engine.accept(a)
        _ = try await h.engine.accept(b)
        let c = h.engine.configuration
        h.clock.advance(ms: c.segmentIdleMs - 1)
        try await h.engine.tick()
        #expect(try h.store.catalog.allSegments().isEmpty)
        _ = try await h.engine.accept([b[99]])  // a resend: not an append, b stays idle
        h.clock.advance(ms: 1)
        try await h.engine.tick()
        #expect(Set(try h.store.catalog.allSegments().map(\.device)) == [DeviceID("a")!, DeviceID("b")!])
        #expect(h.engine.metrics().devicesSealed == 2)
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func shardingIsStableAndEven() {
        var counts = [Int](repeating: 0, count: 4)
        for i in 0..<10_000 { counts[DeviceSharding.shard(of: DeviceID("86\(100_000_000 + i)")!, count: 4)] += 1 }
        #expect(counts.allSatisfy { $0 > 2_200 && $0 < 2_800 }, "\(counts)")
        // FNV-1a 64 of "a" (a published test vector).
        #expect(DeviceSharding.hash(DeviceID("a")!) == 0xaf63_dc4c_8601_ec8c)
    }
}

@Suite struct EngineLifecycleTests {
    @Test func runTicksUntilCancelledThenDrainsAndSeals() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Array(Tracks.days(1, everySeconds: 1).prefix(50))
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(fixes.last!.timeMs + 1000))
        let engine = h.engine
        let running = Task { try await engine.run(tickInterval: .milliseconds(5)) }
        _ = try await engine.accept(fixes)
        let seen = h.log.lastID
        h.clock.advance(ms: engine.configuration.offlineAfterMs)
        var last = seen
        while try !h.allEvents().contains(where: { $0.kind == .deviceOffline }) {
            last = await h.log.waitForEvents(after: last)  // the ticks of `run` emit it
        }
        running.cancel()
        try await running.value
        await #expect(throws: EngineError.notRunning) { try await engine.accept(fixes) }
        #expect(try h.store.catalog.allSegments().filter { $0.level == 0 }.count == 1, "shutdown sealed the buffer")
        #expect(try h.store.replay(device: fixes[0].device).count == fixes.count)
        try h.store.close()
    }
}

@Suite struct WorkerThreadTests {
    final class Log: @unchecked Sendable {
        var seen: [Int] = []  // written by the worker thread only, read after `stop()`
    }

    @Test func aFullQueueMakesProducersWaitAndKeepsTheirOrder() async {
        let log = Log()
        let worker = WorkerThread<Int>(name: "test", capacity: 4) { batch in
            usleep(200)  // a slow consumer: the queue fills
            log.seen += batch
        }
        for i in 0..<500 { await worker.enqueue(i) }
        worker.enqueueControl(-1)  // behind every waiting producer
        worker.stop()
        #expect(log.seen == Array(0..<500) + [-1])
        #expect(worker.roomWaits > 0, "the producer waited for room")
        #expect(worker.depth == 0)
    }

    @Test func concurrentProducersAreServedFirstComeFirstServed() async {
        let log = Log()
        let worker = WorkerThread<Int>(name: "test", capacity: 2) { batch in
            usleep(100)
            log.seen += batch
        }
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<8 {
                group.addTask {
                    for i in 0..<100 { await worker.enqueue(producer * 1000 + i) }
                }
            }
        }
        worker.stop()
        #expect(log.seen.count == 800)
        for producer in 0..<8 {
            #expect(log.seen.filter { $0 / 1000 == producer } == Array(0..<100).map { producer * 1000 + $0 })
        }
    }

    @Test func aWaitingProducerIsNotOvertakenByALaterOne() async throws {
        let log = Log()
        let gate = DispatchSemaphore(value: 0)
        let worker = WorkerThread<Int>(name: "test", capacity: 1) { batch in
            if batch.contains(0) { gate.wait() }  // the consumer is stuck on message 0
            log.seen += batch
        }
        await worker.enqueue(0)
        while worker.depth > 0 { try await Task.sleep(for: .milliseconds(1)) }  // 0 is being handled
        await worker.enqueue(1)  // fills the queue
        let first = Task { await worker.enqueue(2) }
        while worker.depth < 2 { try await Task.sleep(for: .milliseconds(1)) }
        let second = Task { await worker.enqueue(3) }
        while worker.depth < 3 { try await Task.sleep(for: .milliseconds(1)) }
        gate.signal()
        await first.value
        await second.value
        worker.stop()
        #expect(log.seen == [0, 1, 2, 3])
    }
}
