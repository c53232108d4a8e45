import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceStore

@Suite struct TrackStoreTests {
    static let start: Int64 = 1_764_374_400_000  // 2025-11-29T00:00:00Z

    static func day(_ worker: Int, seconds: Int = 86_400, interval: Int = 1) -> [Fix] {
        var config = FleetSimulator.Configuration()
        config.intervalSeconds = interval
        var sim = FleetSimulator(seed: UInt64(worker), configuration: config)
        return sim.track(device: DeviceID("worker-\(worker)")!, startMs: start, durationSeconds: seconds)
    }

    @Test func storesAndReplaysADayExactlyAcrossReopen() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Self.day(1)
        do {
            let store = try TrackStore(directory: dir.path)
            for chunk in stride(from: 0, to: fixes.count, by: 1000) {
                try store.append(Array(fixes[chunk..<min(fixes.count, chunk + 1000)]))
            }
            try store.flush()
            #expect(try store.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
            try store.close()
        }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        #expect(store.recovery.batches.isEmpty, "the checkpoint covers everything flushed")
        let canonical = fixes.map { $0.canonicalized() }
        #expect(try store.replay(device: fixes[0].device) == canonical)
        let from = Self.start + 3_600_000 * 5 + 123
        let to = Self.start + 3_600_000 * 9
        #expect(
            try store.replay(device: fixes[0].device, from: from, to: to)
                == canonical.filter { $0.timeMs >= from && $0.timeMs <= to })
        let stats = try store.stats()
        #expect(stats.fixes == fixes.count && stats.segments >= 24 && stats.bufferedFixes == 0)
        #expect(try store.verify().isClean)
    }

    @Test func unflushedFixesComeBackFromTheWAL() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Self.day(2, seconds: 600)
        do {
            let store = try TrackStore(directory: dir.path)
            try store.append(fixes)
            try store.close()  // no flush: only the WAL has them
        }
        let store = try TrackStore(directory: dir.path)
        #expect(store.recovery.batches.count == 1)
        #expect(try store.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
        try store.flush()
        try store.close()
        let again = try TrackStore(directory: dir.path)
        defer { try? again.close() }
        #expect(again.recovery.batches.isEmpty)
        #expect(try again.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
    }

    @Test func lateDataAndResendsMergeInTimeOrderWithoutDuplicates() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = Self.day(3, seconds: 7200)
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let early = Array(fixes[0..<2000])
        let gap = Array(fixes[2000..<3000])  // arrives late, after the rest
        let rest = Array(fixes[3000...])
        try store.append(early)
        try store.append(rest)
        try store.flush()
        try store.append(gap)
        try store.append(Array(fixes[1500..<2500]))  // a resend overlapping both sides
        try store.flush()
        #expect(try store.catalog.segments(device: fixes[0].device).count >= 3)
        #expect(try store.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
    }

    @Test func findsDevicesInsideABoxDuringARange() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let a = Self.day(4, seconds: 3600)
        var b = Self.day(5, seconds: 3600)
        for i in b.indices { b[i].latitudeE7 -= 100_000_000 }  // 10 degrees south
        try store.append(a)
        try store.append(b)
        try store.flush()
        let box = (
            a.map(\.latitudeE7).min()!, a.map(\.latitudeE7).max()!, a.map(\.longitudeE7).min()!,
            a.map(\.longitudeE7).max()!
        )
        #expect(
            try store.devicesInside(
                minLatitudeE7: box.0, maxLatitudeE7: box.1, minLongitudeE7: box.2, maxLongitudeE7: box.3,
                from: Self.start, to: Self.start + 3_600_000) == [a[0].device])
        #expect(
            try store.devicesInside(
                minLatitudeE7: box.0, maxLatitudeE7: box.1, minLongitudeE7: box.2, maxLongitudeE7: box.3,
                from: Self.start + 7_200_000, to: Self.start + 9_000_000
            ).isEmpty)
    }

    @Test func verifyCatchesAFlippedByteInAPack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        try store.append(Self.day(6, seconds: 3600))
        try store.flush()
        #expect(try store.verify().isClean)
        let entry = try flipABitInTheFirstSegment(of: store, in: dir.path)
        let report = try store.verify()
        #expect(!report.isClean)
        #expect(report.problems.first?.contains("checksum") == true)
        #expect(throws: StoreError.self) { _ = try store.replay(device: entry.device) }
        try store.close()
    }

    /// A crash at any file operation while segments are written and the WAL is checkpointed
    /// loses nothing that was appended, and duplicates nothing.
    @Test(arguments: 0..<60 as Range<Int>)
    func crashWhileFlushingLosesNothing(failAfter: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = SimulatedFileSystem()
        var options = StoreOptions()
        options.fileSystem = fs
        options.walGroupCommitMicroseconds = 0
        options.segmentMaxFixes = 500
        let fixes = Self.day(7, seconds: 3000)
        let store = try TrackStore(directory: dir.path, options: options)
        for chunk in stride(from: 0, to: fixes.count, by: 700) {
            try store.append(Array(fixes[chunk..<min(fixes.count, chunk + 700)]))
        }
        fs.failAfter(failAfter)
        try? store.flush()
        try? store.close()
        var rng = SeededRandom(seed: UInt64(failAfter))
        options.fileSystem = fs.crashImage(&rng)
        let reopened = try TrackStore(directory: dir.path, options: options)
        defer { try? reopened.close() }
        #expect(
            try reopened.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() }, "fail after \(failAfter)")
        try reopened.flush()
        #expect(try reopened.replay(device: fixes[0].device) == fixes.map { $0.canonicalized() })
        #expect(try reopened.stats().fixes == fixes.count, "no duplicates stored")
    }

    /// A failed segment write (disk full) puts the fixes back: the checkpoint never passes them,
    /// and the next flush stores them.
    @Test func aFailedFlushKeepsItsFixesAndTheirWAL() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fs = SimulatedFileSystem()
        var options = StoreOptions()
        options.fileSystem = fs
        options.walGroupCommitMicroseconds = 0
        let first = Self.day(13, seconds: 1000)
        let second = Self.day(14, seconds: 1000)
        let store = try TrackStore(directory: dir.path, options: options)
        try store.append(first)
        fs.failAfter(0)
        #expect(throws: (any Error).self) { try store.flush() }
        fs.heal()
        try store.append(second)
        try store.flush()
        #expect(try store.replay(device: first[0].device) == first.map { $0.canonicalized() })
        #expect(try store.replay(device: second[0].device) == second.map { $0.canonicalized() })
        try store.close()
        let reopened = try TrackStore(directory: dir.path, options: options)
        defer { try? reopened.close() }
        #expect(try reopened.replay(device: first[0].device) == first.map { $0.canonicalized() })
        #expect(try reopened.stats().fixes == first.count + second.count)
    }
}
