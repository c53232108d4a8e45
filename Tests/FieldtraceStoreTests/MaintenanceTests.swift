import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

@testable import FieldtraceStore

@Suite struct MaintenanceTests {
    static func options(_ fs: StoreFileSystem = PosixFileSystem()) -> StoreOptions {
        var o = StoreOptions()
        o.fileSystem = fs
        o.walGroupCommitMicroseconds = 0
        o.segmentMaxFixes = 600
        o.packMaxBytes = 6000  // several packs, so garbage collection has work
        return o
    }

    /// Appends a track in an order that leaves overlapping and small segments behind.
    static func messyStore(_ store: TrackStore, _ fixes: [Fix]) throws {
        try store.append(Array(fixes[0..<1000]))
        try store.append(Array(fixes[1400...]))
        try store.flush()
        try store.append(Array(fixes[1000..<1400]))  // late
        try store.flush()
        for start in stride(from: 200, to: 900, by: 100) {  // resends in small pieces
            try store.append(Array(fixes[start..<(start + 50)]))
            try store.flush()
        }
    }

    @Test func compactionMergesOverlapsAndSmallSegments() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = TrackStoreTests.day(8, seconds: 3000)
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        try Self.messyStore(store, fixes)
        let before = try store.catalog.segments(device: fixes[0].device).count
        let report = try store.compact(device: fixes[0].device)
        let after = try store.catalog.segments(device: fixes[0].device)
        #expect(report.segmentsRemoved > 0 && after.count < before)
        #expect(zip(after, after.dropFirst()).allSatisfy { $0.t1 < $1.t0 }, "no overlaps left")
        #expect(after.reduce(0) { $0 + $1.count } == fixes.count, "duplicates gone")
        #expect(try store.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
        #expect(try store.verify().isClean)
        #expect(report.packsDeleted > 0, "dead packs collected")
    }

    @Test(arguments: 0..<50 as Range<Int>)
    func aCompactionCrashAtAnyStepLosesAndDuplicatesNothing(step: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = SimulatedFileSystem()
        let fixes = TrackStoreTests.day(9, seconds: 3000)
        let store = try TrackStore(directory: dir.path, options: Self.options(fs))
        try Self.messyStore(store, fixes)
        fs.failAfter(step)
        _ = try? store.compact(device: fixes[0].device)
        try? store.close()
        var rng = SeededRandom(seed: UInt64(step))
        let reopened = try TrackStore(directory: dir.path, options: Self.options(fs.crashImage(&rng)))
        defer { try? reopened.close() }
        #expect(try reopened.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() }, "step \(step)")
        #expect(try reopened.verify().isClean, "step \(step)")
        try reopened.compact(device: fixes[0].device)
        #expect(try reopened.stats().fixes == fixes.count, "step \(step)")
        #expect(try reopened.verify().isClean)
    }

    /// Five 2-hour days, retention raw 2 days / all 4 days, applied at the end of day 5.
    static func retentionDays(_ store: TrackStore) throws -> (all: [Fix], report: MaintenanceReport, now: Int64) {
        let device = DeviceID("worker-10")!
        var sim = FleetSimulator(seed: 10)
        let day: Int64 = 86_400_000
        var all: [Fix] = []
        for d in 0..<5 {
            all += sim.track(device: device, startMs: TrackStoreTests.start + Int64(d) * day, durationSeconds: 7200)
        }
        try store.append(all)
        try store.flush()
        try store.catalog.setRetention(.init(rawDays: 2, allDays: 4), device: device)
        let now = TrackStoreTests.start + 5 * day
        return (all, try store.applyRetention(nowMs: now), now)
    }

    @Test func retentionDropsRawDataAndKeepsTheCopyMadeAtSeal() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        let day: Int64 = 86_400_000
        let (all, report, now) = try Self.retentionDays(store)
        #expect(report.segmentsRemoved > 0 && report.segmentsWritten == 0)
        let raw = try store.replay(device: all[0].device)
        #expect(raw.allSatisfy { $0.timeMs >= now - 2 * day } && !raw.isEmpty)
        let simplified = try store.replay(device: all[0].device, level: 1)
        #expect(!simplified.isEmpty && simplified.count < all.count / 4)
        // Every kept day has its copy, the recent ones beside the raw data.
        #expect(simplified.allSatisfy { $0.timeMs >= now - 4 * day })
        #expect(simplified.contains { $0.timeMs >= now - 2 * day })
        #expect(simplified.contains { $0.timeMs < now - 2 * day })
        #expect(try store.verify().isClean)
    }

    @Test func retentionMakesTheCopyWhenSealingWroteNone() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = Self.options()
        options.levelOneToleranceMeters = nil
        let store = try TrackStore(directory: dir.path, options: options)
        defer { try? store.close() }
        let day: Int64 = 86_400_000
        let (all, report, now) = try Self.retentionDays(store)
        #expect(report.segmentsRemoved > 0 && report.segmentsWritten > 0)
        let raw = try store.replay(device: all[0].device)
        #expect(raw.allSatisfy { $0.timeMs >= now - 2 * day } && !raw.isEmpty)
        let simplified = try store.replay(device: all[0].device, level: 1)
        #expect(!simplified.isEmpty && simplified.count < all.count / 4)
        #expect(simplified.allSatisfy { $0.timeMs >= now - 4 * day && $0.timeMs < now - 2 * day })
        #expect(try store.verify().isClean)
    }

    @Test func sealingWritesTheSimplifiedCopyOfEachSegment() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        let fixes = TrackStoreTests.day(13, seconds: 1500).map { $0.canonicalized() }
        try store.append(fixes)
        // 600-fix segments: two full ones were sealed by count, the rest is still buffered.
        let sealedByCount = try store.catalog.segments(device: fixes[0].device, level: 0)
        let copiesByCount = try store.catalog.segments(device: fixes[0].device, level: 1)
        #expect(sealedByCount.count == 2 && copiesByCount.count == 2)
        #expect(try store.replay(device: fixes[0].device, level: 1).last!.timeMs <= sealedByCount.last!.t1)
        try store.flush()
        let level0 = try store.catalog.segments(device: fixes[0].device, level: 0)
        var expected: [Fix] = []
        for segment in level0 {
            expected += TimeAwareSimplifier.simplify(
                fixes.filter { $0.timeMs >= segment.t0 && $0.timeMs <= segment.t1 })
        }
        let copy = try store.replay(device: fixes[0].device, level: 1)
        #expect(copy == expected)
        #expect(copy.count < fixes.count / 2 && copy.count >= 2 * level0.count)
        #expect(try store.stats().fixes == fixes.count)  // level 1 is not counted as stored fixes
        #expect(try store.verify().isClean)
    }

    @Test func tenantPolicyAppliesUnlessTheDeviceHasItsOwn() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        let a = DeviceID("a")!
        let b = DeviceID("b")!
        try store.catalog.setTenant("acme", device: a, createdMs: 0)
        try store.catalog.setTenant("acme", device: b, createdMs: 0)
        try store.catalog.setRetention(.init(rawDays: 30, allDays: 365), tenant: "acme")
        try store.catalog.setRetention(.init(rawDays: 7, allDays: nil), device: b)
        #expect(try store.catalog.retention(for: a) == .init(rawDays: 30, allDays: 365))
        #expect(try store.catalog.retention(for: b) == .init(rawDays: 7, allDays: nil))
        #expect(try store.catalog.retention(for: DeviceID("c")!) == .init(rawDays: nil, allDays: nil))
    }

    @Test func eraseRemovesEveryByteOfADeviceAndSurvivesReopen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let keep = TrackStoreTests.day(11, seconds: 2000)
        let gone = TrackStoreTests.day(12, seconds: 2000)
        do {
            let store = try TrackStore(directory: dir.path, options: Self.options())
            try store.append(keep)
            try store.append(gone)
            try store.flush()
            try store.append(
                Array(gone.prefix(10)).map {
                    var f = $0; f.timeMs += 10_000_000; return f
                })  // still in the WAL only
            try store.erase(device: gone[0].device)
            #expect(try store.replay(device: gone[0].device).isEmpty)
            try store.close()
        }
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        #expect(try store.replay(device: gone[0].device).isEmpty, "not resurrected from the WAL")
        #expect(try store.replay(device: keep[0].device) == keep.map { $0.canonicalized() })
        let needle = Array(gone[0].device.rawValue.utf8)
        for name in try PosixFileSystem().list(dir.path + "/segments") {
            let bytes = try SampleData.readFile(dir.path + "/segments/" + name)
            let found =
                bytes.count >= needle.count
                && (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
            #expect(!found, "\(name) still holds the erased device")
        }
        #expect(try store.verify().isClean)
    }

    /// An erasure whose pack rewrite fails (or crashes) is finished when the store next opens:
    /// no pack keeps the erased device's bytes.
    @Test(arguments: 0..<8 as Range<Int>)
    func anInterruptedEraseIsFinishedOnOpen(step: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = SimulatedFileSystem()
        let keep = TrackStoreTests.day(15, seconds: 2000)
        let gone = TrackStoreTests.day(16, seconds: 2000)
        let store = try TrackStore(directory: dir.path, options: Self.options(fs))
        try store.append(keep + gone)
        try store.flush()
        fs.failAfter(step)
        _ = try? store.erase(device: gone[0].device)
        try? store.close()
        var rng = SeededRandom(seed: UInt64(step))
        let image = fs.crashImage(&rng)
        let reopened = try TrackStore(directory: dir.path, options: Self.options(image))
        defer { try? reopened.close() }
        #expect(try reopened.catalog.pendingScrubs().isEmpty, "step \(step)")
        #expect(try reopened.replay(device: gone[0].device).isEmpty)
        #expect(try reopened.replay(device: keep[0].device) == keep.map { $0.canonicalized() })
        let needle = Array(gone[0].device.rawValue.utf8)
        for name in try image.list(dir.path + "/segments") {
            let bytes = image.content(dir.path + "/segments/" + name) ?? []
            let found =
                bytes.count >= needle.count
                && (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
            let live = try reopened.catalog.allSegments().filter { $0.file == name }.map(\.device)
            let scrubs = try reopened.catalog.pendingScrubs()
            #expect(!found, "step \(step): \(name) still holds the erased device; live: \(live), scrubs \(scrubs)")
        }
        #expect(try reopened.verify().isClean)
    }
}
