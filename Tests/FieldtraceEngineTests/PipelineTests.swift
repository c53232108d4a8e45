import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceEngine

/// The engine with the production analysis (`DeviceAnalytics`: filters, fences, stops, trips).
@Suite struct PipelineTests {
    @Test func aNewestFirstBackfillEndsWithTheEventsOfTheSortedTrack() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let scenario = ScenarioCatalog.make("workday-drive", seed: 3)!
        let fences = try Geofence.readCollection(Array(scenario.fencesGeoJSON.utf8))
        let setup = AnalyticsSetup(fences: fences)
        let all = scenario.fixes.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let device = scenario.device
        let split = all[all.count / 2].timeMs
        var backfill = all.filter { $0.timeMs < split }
        for i in backfill.indices { backfill[i].flags.formUnion([.late, .backfill]) }
        let live = all.filter { $0.timeMs >= split }
        let expected = (backfill + live).sorted { $0.timeMs < $1.timeMs }

        let clock = FakeClock(split)
        let store = try TrackStore(directory: dir.path)
        let log = try EventLog(catalog: store.catalog)
        let configuration = EngineConfiguration(shardCount: 2)
        let engine = AnalyticsEngine(
            store: store, eventLog: log, configuration: configuration, nowMs: { clock.nowMs },
            profile: { _ in DeviceProfile(tenant: "t1", setup: setup) })
        engine.start()
        let liveBatches = stride(from: 0, to: live.count, by: 30).map { Array(live[$0..<min(live.count, $0 + 30)]) }
        let backfillBatches = stride(from: 0, to: backfill.count, by: 100).map {
            Array(backfill[$0..<min(backfill.count, $0 + 100)].reversed())
        }.reversed().map { $0 }
        for step in 0..<max(liveBatches.count, backfillBatches.count) {
            if step < liveBatches.count {
                clock.set(max(clock.nowMs, liveBatches[step].last!.timeMs + 500))
                _ = try await engine.accept(liveBatches[step])
            }
            if step < backfillBatches.count { _ = try await engine.accept(backfillBatches[step]) }
            if step % 25 == 24 {
                clock.advance(ms: 1000)
                try await engine.tick()
            }
        }
        clock.advance(ms: configuration.sessionGapMs + 60_000)
        try await engine.tick()
        await engine.barrier()

        let reference = AnalysisRun<DeviceAnalytics>.events(
            of: expected.map { $0.canonicalized() }, device: device, setup: setup,
            sessionGapMs: configuration.sessionGapMs, finishAtEnd: true
        ).map { event in
            var plain = event.event
            plain.late = false
            return plain.jsonLine
        }.sorted()
        var events: [LoggedEvent] = []
        while case let page = try log.read(after: events.last?.id ?? 0, limit: 1000), !page.isEmpty { events += page }
        let withdrawn = Set(events.compactMap(\.retracts))
        let standing = events.filter { $0.step != nil && $0.retracts == nil && !withdrawn.contains($0.id) }
        #expect(standing.map { EngineHarness.contentKey($0.payload) }.sorted() == reference)
        let kinds = Set(standing.map(\.kind.rawValue))
        #expect(kinds.contains("geofence.enter") && kinds.contains { $0.hasPrefix("stop") }, "\(kinds)")
        #expect(standing.filter { $0.confirmedMs < split }.allSatisfy { $0.late })
        let metrics = engine.metrics()
        #expect(metrics.lateReanalyses >= 2 && metrics.fixesLate == backfill.count)
        try await engine.shutdown()
        try store.close()
    }
}
