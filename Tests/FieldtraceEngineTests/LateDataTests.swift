import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceEngine

@Suite struct LateDataTests {
    enum Order: String, CustomStringConvertible {
        case newestFirst, oldestFirst
        var description: String { rawValue }
    }

    /// Four simulated workdays at one fix per 5 s. The device's buffer holds everything before
    /// day 4 10:00 (75 hours: the 72-hour back-fill and the morning), delivered
    /// newest-first or oldest-first, one batch after each live batch (day 4 from 10:00), with
    /// ticks along the way so the back-fill is re-analysed in several rounds. Analyzer copies are
    /// kept only once the device sent late data (the default), or for every device (`copiesFirst`).
    @Test(arguments: zip([Order.newestFirst, .oldestFirst, .newestFirst], [false, false, true]))
    func backfillWhileLiveFixesInterleave(_ order: Order, copiesFirst: Bool) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let all = Tracks.days(4, everySeconds: 5)
        let device = all[0].device
        let split = all[0].timeMs + 75 * 3_600_000
        var backfill = all.filter { $0.timeMs < split }
        for i in backfill.indices { backfill[i].flags.formUnion([.late, .backfill]) }
        let live = all.filter { $0.timeMs >= split }
        let expected = (backfill + live).sorted { $0.timeMs < $1.timeMs }

        var configuration = EngineHarness.configuration()
        configuration.snapshotsOnlyAfterLateData = !copiesFirst
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(split), configuration: configuration)
        let liveBatches = stride(from: 0, to: live.count, by: 12).map { Array(live[$0..<min(live.count, $0 + 12)]) }
        var backfillBatches = stride(from: 0, to: backfill.count, by: 50).map {
            Array(backfill[$0..<min(backfill.count, $0 + 50)])
        }
        if order == .newestFirst { backfillBatches = backfillBatches.reversed().map { $0.reversed() } }
        for step in 0..<max(liveBatches.count, backfillBatches.count) {
            if step < liveBatches.count {
                h.clock.set(max(h.clock.nowMs, liveBatches[step].last!.timeMs + 500))
                _ = try await h.engine.accept(liveBatches[step])
            }
            if step < backfillBatches.count { _ = try await h.engine.accept(backfillBatches[step]) }
            if step % 10 == 9 {
                h.clock.advance(ms: 1000)
                try await h.engine.tick()
            }
        }
        try await EngineAcceptTests.finish(h)

        #expect(try h.store.replay(device: device) == expected.map { $0.canonicalized() }, "\(order)")
        let reference = EngineHarness.referenceContents(expected, device: device)
        let standing = try h.standingContents(of: device)
        #expect(standing.count == reference.count, "\(order)")
        #expect(standing == reference, "\(order)")
        let events = try h.allEvents()
        let withdrawn = Set(events.compactMap(\.retracts))
        let standingRows = events.filter { $0.step != nil && $0.retracts == nil && !withdrawn.contains($0.id) }
        let backfillEvents = standingRows.filter { $0.confirmedMs < split }
        #expect(!backfillEvents.isEmpty && backfillEvents.allSatisfy { $0.late }, "events of the back-fill are late")
        #expect(standingRows.contains { $0.confirmedMs >= split && !$0.late }, "live events stay live when they hold")
        let metrics = h.engine.metrics()
        #expect(metrics.corrections > 0, "the live session's first events change once its morning arrives")
        #expect(metrics.fixesLate == backfill.count && metrics.fixesBeyondLateWindow == 0)
        #expect(metrics.lateReanalyses >= 2)
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func lateFixesBeyondTheWindowAreStoredButNotAnalysed() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let all = Tracks.days(1, everySeconds: 5)
        var configuration = EngineHarness.configuration()
        configuration.lateWindowMs = 3_600_000
        let h = try EngineHarness(directory: dir.path, clock: FakeClock(all[0].timeMs), configuration: configuration)
        let old = Array(all.prefix(100))
        let recent = Array(all.dropFirst(100))
        _ = try await EngineAcceptTests.send(
            stride(from: 0, to: recent.count, by: 100).map { Array(recent[$0..<min(recent.count, $0 + 100)]) }, to: h)
        _ = try await h.engine.accept(old)
        try await EngineAcceptTests.finish(h)
        let metrics = h.engine.metrics()
        #expect(metrics.fixesBeyondLateWindow == old.count && metrics.fixesLate == 0)
        #expect(try h.store.replay(device: all[0].device).count == all.count)
        try await h.engine.shutdown()
        try h.store.close()
    }

    @Test func theLadderStaysBoundedAndDenseNearNow() {
        let state = LatitudeLines(device: DeviceID("w1")!, setup: LatitudeLines.Setup())
        var ladder = SnapshotLadder<LatitudeLines>(AnalysisSnapshot(validAtMs: .min, analyzer: nil))
        let minute: Int64 = 60_000
        let window = 96 * 60 * minute
        var largest = 0
        for i in 1...20_000 {
            let t = Int64(i) * 5 * minute
            ladder.append(AnalysisSnapshot(validAtMs: t, analyzer: state), newestMs: t, windowMs: window, maximum: 12)
            largest = max(largest, ladder.snapshots.filter { $0.analyzer != nil }.count)
        }
        #expect(largest == 13 && ladder.count == 13, "12 copies besides the oldest; bases dropped at the edge")
        let newest = ladder.newestValidAtMs
        let times = ladder.snapshots.map(\.validAtMs)
        #expect(times[0] <= newest - window && times[1] > newest - window, "one snapshot at the window's edge")
        let gaps = zip(times.dropFirst(), times.dropFirst(2)).map { $1 - $0 }
        #expect(gaps.last! <= 20 * minute, "dense near now: \(gaps)")
        #expect(gaps.dropLast().allSatisfy { $0 >= 5 * minute } && gaps.max()! > 8 * 60 * minute, "\(gaps)")
        #expect(ladder.base(before: newest - 3 * 60 * minute).map { newest - times[$0] }! < 6 * 60 * minute)
    }

    @Test func sessionStartsAreKeptForFreeBesideTheNewestCopy() {
        let state = LatitudeLines(device: DeviceID("w1")!, setup: LatitudeLines.Setup())
        var ladder = SnapshotLadder<LatitudeLines>(AnalysisSnapshot(validAtMs: .min, analyzer: nil))
        let hour: Int64 = 3_600_000
        let window = 96 * hour
        for day in 0..<3 {
            let start = Int64(day) * 24 * hour
            ladder.append(
                AnalysisSnapshot(validAtMs: start - 1, analyzer: nil), newestMs: start, windowMs: window, maximum: 1)
            for k in 1...100 {
                let t = start + Int64(k) * 300_000
                ladder.append(
                    AnalysisSnapshot(validAtMs: t, analyzer: state), newestMs: t, windowMs: window, maximum: 1)
            }
        }
        let bases = ladder.snapshots.filter { $0.analyzer == nil }.map(\.validAtMs)
        #expect(bases == [.min, -1, 24 * hour - 1, 48 * hour - 1])
        #expect(ladder.snapshots.filter { $0.analyzer != nil }.map(\.validAtMs) == [48 * hour + 100 * 300_000])
        // Late data of this morning re-analyses from the session's start, not from the newest copy.
        #expect(ladder.snapshots[ladder.base(before: 48 * hour + 3_600_000)!].validAtMs == 48 * hour - 1)
    }
}
