import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

@testable import FieldtraceStore

@Suite struct WriteAheadLogTests {
    static func batch(_ seed: UInt64, count: Int = 5) -> [Fix] {
        SegmentCodecTests.randomFixes(seed: seed, count: count)
    }

    static func config(_ dir: String = "/data/wal") -> WALConfiguration {
        var c = WALConfiguration(directory: dir)
        c.groupCommitWindowMicroseconds = 0
        c.maxFileBytes = 2048  // roll often so the tests cross files
        return c
    }

    @Test func recoversEverythingAppended() throws {
        let fs = SimulatedFileSystem()
        let (log, first) = try WriteAheadLog.open(Self.config(), fs: fs, checkpoint: 0)
        #expect(first.batches.isEmpty)
        var appended: [[Fix]] = []
        for i in 0..<40 as Range<UInt64> {
            let b = Self.batch(i)
            #expect(try log.appendAndWait(b) == i + 1)
            appended.append(b.map { $0.canonicalized() })
        }
        try log.close()
        #expect(try fs.list("/data/wal").count > 1)
        let (reopened, recovery) = try WriteAheadLog.open(Self.config(), fs: fs, checkpoint: 0)
        #expect(recovery.batches.map(\.fixes) == appended)
        #expect(recovery.lastSequence == 40)
        #expect(try reopened.appendAndWait(Self.batch(99)) == 41)
        try reopened.close()
    }

    @Test func asyncAppendsFromManyTasksAllBecomeDurable() async throws {
        let dir = NSTemporaryDirectory() + "fieldtrace-wal-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = WALConfiguration(directory: dir)
        c.groupCommitWindowMicroseconds = 500
        let (log, _) = try WriteAheadLog.open(c, checkpoint: 0)
        let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for i in 0..<200 as Range<UInt64> { group.addTask { try await log.append(Self.batch(i, count: 3)) } }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        #expect(Set(sequences) == Set(1...200))
        #expect(log.syncCount < 200, "group commit shares fsyncs")
        let stats = log.statistics()
        #expect(stats.commits == log.syncCount && stats.batches == 200, "every batch made durable by one commit")
        #expect(stats.buckets.reduce(0, +) == stats.commits && stats.bytes > 200 * 16)
        #expect(stats.maxNanoseconds > 0 && stats.totalNanoseconds >= stats.maxNanoseconds)
        try log.close()
        let (again, recovery) = try WriteAheadLog.open(c, checkpoint: 0)
        #expect(recovery.batches.map(\.sequence) == Array(1...200))
        try again.close()
    }

    @Test func checkpointSkipsAndDeletesOldFiles() throws {
        let fs = SimulatedFileSystem()
        let (log, _) = try WriteAheadLog.open(Self.config(), fs: fs, checkpoint: 0)
        for i in 0..<30 as Range<UInt64> { _ = try log.appendAndWait(Self.batch(i)) }
        let before = try fs.list("/data/wal").count
        try log.checkpoint(through: 20)
        #expect(try fs.list("/data/wal").count < before)
        try log.close()
        let (again, recovery) = try WriteAheadLog.open(Self.config(), fs: fs, checkpoint: 20)
        #expect(recovery.batches.map(\.sequence) == Array(21...30))
        try again.close()
    }

    @Test func tornTailIsTruncated() throws {
        let fs = SimulatedFileSystem()
        let (log, _) = try WriteAheadLog.open(Self.config(), fs: fs, checkpoint: 0)
        for i in 0..<3 as Range<UInt64> { _ = try log.appendAndWait(Self.batch(i)) }
        try log.close()
        let path = "/data/wal/" + (try fs.list("/data/wal").last!)
        let file = try fs.open(path, create: false)
        let size = try file.size()
        try file.write([0x40, 0x00, 0x00, 0x00, 0x12, 0x34], at: size)  // a record header, body missing
        let (again, recovery) = try WriteAheadLog.open(Self.config(), fs: fs, checkpoint: 0)
        #expect(recovery.batches.count == 3)
        #expect(recovery.truncatedBytes == 6)
        #expect(try fs.open(path, create: false).size() == size)
        try again.close()
    }

    @Test func damageInTheMiddleFailStops() throws {
        let fs = SimulatedFileSystem()
        var c = Self.config()
        c.maxFileBytes = 1 << 20
        let (log, _) = try WriteAheadLog.open(c, fs: fs, checkpoint: 0)
        for i in 0..<5 as Range<UInt64> { _ = try log.appendAndWait(Self.batch(i)) }
        try log.close()
        let path = "/data/wal/" + (try fs.list("/data/wal").first!)
        fs.flip(path, byte: 30)  // inside the first record
        #expect(throws: WALError.self) { _ = try WriteAheadLog.open(c, fs: fs, checkpoint: 0) }
    }

    @Test func everyFlippedByteIsCaught() throws {
        let fs = SimulatedFileSystem()
        var c = Self.config()
        c.maxFileBytes = 1 << 20
        let (log, _) = try WriteAheadLog.open(c, fs: fs, checkpoint: 0)
        for i in 0..<3 as Range<UInt64> { _ = try log.appendAndWait(Self.batch(i)) }
        try log.close()
        let name = try fs.list("/data/wal").first!
        let original = fs.content("/data/wal/" + name)!
        for byte in 0..<original.count {
            var damaged = original
            damaged[byte] ^= 0x10
            let copy = SimulatedFileSystem()
            try copy.makeDirectory("/data/wal")
            let file = try copy.open("/data/wal/" + name, create: true)
            try file.write(damaged, at: 0)
            try file.sync()
            // Either recovery refuses (damage in the middle) or it cuts the damaged last record
            // as a torn tail, and says so; it never returns a damaged batch.
            if let (again, recovery) = try? WriteAheadLog.open(c, fs: copy, checkpoint: 0) {
                try again.close()
                #expect(recovery.batches.count == 2, "byte \(byte)")
                #expect(recovery.truncatedBytes > 0, "byte \(byte)")
            }
        }
    }

    /// Crash simulation: appends batches, crashing the disk at a random operation; the image a
    /// crash could leave must hold every batch whose append returned, in order, without gaps.
    @Test(arguments: 0..<1000 as Range<UInt64>)
    func crashesNeverLoseDurableBatches(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let fs = SimulatedFileSystem()
        var c = Self.config()
        c.maxFileBytes = 512 + Int(rng.next() % 4096)
        let (log, _) = try WriteAheadLog.open(c, fs: fs, checkpoint: 0)
        fs.failAfter(Int(rng.next() % 60))
        var durable: [[Fix]] = []
        for i in 0..<30 as Range<UInt64> {
            let b = Self.batch(seed &* 31 &+ i, count: 1 + Int(rng.next() % 6))
            guard (try? log.appendAndWait(b)) != nil else { break }
            durable.append(b.map { $0.canonicalized() })
        }
        try? log.close()
        let image = fs.crashImage(&rng)
        let (again, recovery) = try WriteAheadLog.open(c, fs: image, checkpoint: 0)
        let recovered = recovery.batches.map(\.fixes)
        #expect(recovered.count >= durable.count, "seed \(seed)")
        #expect(Array(recovered.prefix(durable.count)) == durable, "seed \(seed)")
        #expect(
            recovery.batches.map(\.sequence)
                == Array(1...UInt64(max(1, recovered.count))).prefix(recovered.count).map { $0 })
        // The log goes on after recovery.
        #expect(try again.appendAndWait(Self.batch(7)) == UInt64(recovered.count) + 1)
        try again.close()
    }
}
