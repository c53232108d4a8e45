import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Synchronization
import Testing

@testable import FieldtraceEngine

@Suite struct RestartTests {
    /// Two workdays at one fix per 5 s, cut in the middle of the second day's session.
    static func track() -> (all: [Fix], first: [Fix], rest: [Fix]) {
        let all = Tracks.days(2, everySeconds: 5)
        let cut = all[0].timeMs + 86_400_000 + 5 * 3_600_000
        return (all, all.filter { $0.timeMs < cut }, all.filter { $0.timeMs >= cut })
    }

    static func batches(_ fixes: [Fix], of size: Int = 20) -> [[Fix]] {
        stride(from: 0, to: fixes.count, by: size).map { Array(fixes[$0..<min(fixes.count, $0 + size)]) }
    }

    /// A rebuild that reaches the session start (lookback 12 hours) is exact.
    static func exactConfiguration() -> EngineConfiguration {
        var c = EngineHarness.configuration()
        c.rebuildLookbackMs = 12 * 3_600_000
        return c
    }

    @Test func aCleanRestartContinuesWithoutRepeatingEvents() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (all, first, rest) = Self.track()
        let device = all[0].device
        let clock = FakeClock(first[0].timeMs)
        do {
            let h = try EngineHarness(directory: dir.path, clock: clock, configuration: Self.exactConfiguration())
            _ = try await EngineAcceptTests.send(Self.batches(first), to: h)
            try await h.engine.shutdown()
            try h.store.close()
        }
        let h = try EngineHarness(directory: dir.path, clock: clock, configuration: Self.exactConfiguration())
        let before = try h.allEvents().count
        _ = try await EngineAcceptTests.send(Self.batches(rest), to: h)
        try await EngineAcceptTests.finish(h)
        #expect(try h.standingContents(of: device) == EngineHarness.referenceContents(all, device: device))
        let events = try h.allEvents()
        #expect(events.filter { $0.retracts != nil }.isEmpty, "nothing to correct")
        #expect(events.filter { $0.kind == .deviceOnline }.count == 1, "still online across the restart")
        #expect(events.count > before)
        #expect(try h.store.replay(device: device) == all.map { $0.canonicalized() })
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func aCrashLosingEventsAndUnsealedFixesIsMadeGoodOnStart() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (all, first, rest) = Self.track()
        let device = all[0].device
        let clock = FakeClock(first[0].timeMs)
        var lost: [LoggedEvent] = []
        do {
            let h = try EngineHarness(directory: dir.path, clock: clock, configuration: Self.exactConfiguration())
            _ = try await EngineAcceptTests.send(Self.batches(first), to: h)
            await h.engine.barrier()
            // The crash: the last events were never written, nothing was sealed or drained.
            lost = Array(try h.allEvents().filter { $0.step != nil }.suffix(5))
            try h.log.remove(ids: lost.map(\.id))
            h.engine.halt()
            try h.store.close()
        }
        #expect(lost.count == 5)
        let h = try EngineHarness(directory: dir.path, clock: clock, configuration: Self.exactConfiguration())
        #expect(!h.store.recovery.batches.isEmpty, "fixes come back from the WAL")
        await h.engine.barrier()
        let restored = try h.allEvents().filter { $0.id > lost.last!.id }
        #expect(restored.count == 5 && restored.allSatisfy(\.late), "the lost events are emitted again, late")
        #expect(
            restored.map { EngineHarness.contentKey($0.payload) } == lost.map { EngineHarness.contentKey($0.payload) })
        _ = try await EngineAcceptTests.send(Self.batches(rest), to: h)
        try await EngineAcceptTests.finish(h)
        #expect(try h.standingContents(of: device) == EngineHarness.referenceContents(all, device: device))
        #expect(try h.allEvents().filter { $0.retracts != nil }.isEmpty)
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func anApproximateRebuildRepeatsNothing() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (_, first, rest) = Self.track()
        let clock = FakeClock(first[0].timeMs)
        var c = EngineHarness.configuration()
        c.rebuildLookbackMs = 30 * 60_000  // far short of the session start
        do {
            let h = try EngineHarness(directory: dir.path, clock: clock, configuration: c)
            _ = try await EngineAcceptTests.send(Self.batches(first), to: h)
            try await h.engine.shutdown()
            try h.store.close()
        }
        let h = try EngineHarness(directory: dir.path, clock: clock, configuration: c)
        let before = try h.allEvents()
        _ = try await EngineAcceptTests.send(Self.batches(rest), to: h)
        try await EngineAcceptTests.finish(h)
        let after = try h.allEvents().filter { $0.id > before.last!.id && $0.step != nil }
        #expect(after.allSatisfy { $0.confirmedMs >= rest[0].timeMs }, "nothing before the restart is emitted again")
        #expect(after.filter { $0.retracts != nil }.isEmpty)
        #expect(!after.isEmpty)
        try await h.engine.shutdown()
        try h.store.close()
    }
}

@Suite struct ProfileTests {
    @Test func aRefreshedProfileAppliesFromNowOnAndPastEventsStand() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let (_, first, rest) = RestartTests.track()
        let spacing = Atomic<Int32>(10_000)
        let h = try EngineHarness(
            directory: dir.path, clock: FakeClock(first[0].timeMs), configuration: RestartTests.exactConfiguration(),
            profile: { _ in
                DeviceProfile(tenant: "t1", setup: LatitudeLines.Setup(spacingE7: spacing.load(ordering: .relaxed)))
            })
        _ = try await EngineAcceptTests.send(RestartTests.batches(first), to: h)
        await h.engine.barrier()
        let before = try h.allEvents()
        spacing.store(1_000, ordering: .relaxed)
        h.engine.refreshProfiles(tenant: "t1")
        _ = try await EngineAcceptTests.send(RestartTests.batches(rest), to: h)
        try await EngineAcceptTests.finish(h)
        let after = try h.allEvents().filter { $0.id > before.last!.id && $0.step != nil }
        let crossings = after.filter { $0.kind == LatitudeLines.crossing }
        #expect(!crossings.isEmpty && crossings.allSatisfy { $0.confirmedMs >= rest[0].timeMs })
        #expect(crossings.allSatisfy { $0.subject!.count == "band-457600".count }, "the finer bands apply")
        #expect(after.allSatisfy { $0.retracts == nil }, "past events stand")
        #expect(h.engine.metrics().devicesLoaded == 2)
        try await h.engine.shutdown()
        try h.store.close()
    }
}
