import FieldtraceCore
import Foundation

/// Settings of the write-ahead log. Each default says why.
public struct WALConfiguration: Sendable {
    /// The `wal/` directory.
    public var directory: String
    /// How long the committer waits for more batches before an fsync when less than
    /// `groupCommitBytes` is pending. 1 ms adds at most that much to a device's ack latency and
    /// lets hundreds of connections share one fsync.
    public var groupCommitWindowMicroseconds = 1000
    /// Commit at once when this much is pending: 8 MiB is about 150,000 fixes, a few ms of disk.
    public var groupCommitBytes = 8 << 20
    /// Roll to a new file past this size, so checkpoints can delete whole files.
    public var maxFileBytes = 64 << 20
    /// Largest record payload accepted on append and on recovery: 32 MiB, far above any batch
    /// a connection produces, and a hard stop for a damaged length field.
    public var maxRecordBytes = 32 << 20

    public init(directory: String) { self.directory = directory }
}

public enum WALError: Error, Sendable, CustomStringConvertible {
    /// An fsync or write failed. The log stops: nothing after it is acknowledged.
    case fatal(String)
    /// A damaged record in the middle of the log (not a torn tail). Recovery refuses to go on.
    case corrupt(file: String, offset: Int, detail: String)
    case closed
    case batchTooLarge(Int)

    public var description: String {
        switch self {
        case .fatal(let why): "WAL failed: \(why)"
        case .corrupt(let file, let offset, let detail): "WAL damaged in \(file) at offset \(offset): \(detail)"
        case .closed: "WAL closed"
        case .batchTooLarge(let n): "batch of \(n) bytes exceeds the WAL record limit"
        }
    }
}

/// What recovery found.
public struct WALRecovery: Sendable {
    /// Batches after the checkpoint, in sequence order.
    public var batches: [(sequence: UInt64, fixes: [Fix])] = []
    /// Bytes cut from a torn tail.
    public var truncatedBytes = 0
    /// The last durable sequence (the checkpoint if the log is empty).
    public var lastSequence: UInt64 = 0
}

/// An append-only, group-committed write-ahead log of fix batches.
///
/// `append` returns only once its batch is durable (written and fdatasynced). One committer
/// thread gathers everything appended while the previous fsync ran (plus up to the group-commit
/// window), writes it with one `pwrite` and syncs once. A failed write or sync is fatal: every
/// waiting and later append throws, so nothing is acknowledged that is not durable.
public final class WriteAheadLog: @unchecked Sendable {
    let configuration: WALConfiguration
    let fs: StoreFileSystem
    private let lock = ConditionLock()

    // Guarded by `lock`.
    private var pending = ByteWriter(capacity: 1 << 20)
    private var pendingSequence: UInt64
    private var durableSequence: UInt64
    private var waiters: [(sequence: UInt64, continuation: CheckedContinuation<UInt64, Error>)] = []
    private var failure: WALError?
    private var running = true
    private var committerDone = false

    // Owned by the committer thread (and `open`, before it starts).
    private var file: StoreFile?
    private var fileOffset = 0

    /// Commits (write + fsync) and their durations; guarded by `lock`.
    private var stats = WALStatistics()

    /// How many commits (one write and fsync each) have completed.
    public var syncCount: Int { lock.withLock { stats.commits } }

    /// Commit counters and the fsync latency histogram, for `/metrics`.
    public func statistics() -> WALStatistics { lock.withLock { stats } }

    private init(configuration: WALConfiguration, fs: StoreFileSystem, lastSequence: UInt64) {
        self.configuration = configuration
        self.fs = fs
        self.pendingSequence = lastSequence
        self.durableSequence = lastSequence
    }

    /// Opens the log: recovers every record after `checkpoint`, truncating a torn tail, and
    /// starts the committer. Throws `WALError.corrupt` on damage in the middle of the log.
    public static func open(
        _ configuration: WALConfiguration, fs: StoreFileSystem = PosixFileSystem(), checkpoint: UInt64
    ) throws -> (WriteAheadLog, WALRecovery) {
        try fs.makeDirectory(configuration.directory)
        let recovery = try WALRecovery.run(configuration, fs: fs, checkpoint: checkpoint)
        let log = WriteAheadLog(configuration: configuration, fs: fs, lastSequence: recovery.recovery.lastSequence)
        if let last = recovery.lastFile {
            log.file = try fs.open(last, create: false)
            log.fileOffset = try log.file!.size()
        }
        let thread = Thread { log.commitLoop() }
        thread.name = "fieldtrace-wal"
        thread.start()
        return (log, recovery.recovery)
    }

    static func fileName(firstSequence: UInt64) -> String {
        let digits = String(firstSequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".wal"
    }

    /// Appends a batch; returns its sequence once it is durable.
    public func append(_ fixes: [Fix]) async throws -> UInt64 {
        let sequence = try enqueue(fixes)
        return try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if durableSequence >= sequence {
                lock.unlock()
                continuation.resume(returning: sequence)
            } else if let failure {
                lock.unlock()
                continuation.resume(throwing: failure)
            } else {
                waiters.append((sequence, continuation))
                lock.unlock()
            }
        }
    }

    /// Appends a batch and blocks the calling thread until it is durable.
    public func appendAndWait(_ fixes: [Fix]) throws -> UInt64 {
        let sequence = try enqueue(fixes)
        lock.lock()
        defer { lock.unlock() }
        while durableSequence < sequence && failure == nil { lock.wait() }
        if durableSequence >= sequence { return sequence }
        throw failure!
    }

    private func enqueue(_ fixes: [Fix]) throws -> UInt64 {
        var payload = ByteWriter(capacity: fixes.count * 48 + 16)
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        guard running else { throw WALError.closed }
        let sequence = pendingSequence + 1
        WALBatchCodec.encode(sequence: sequence, fixes: fixes, into: &payload)
        guard payload.bytes.count <= configuration.maxRecordBytes else {
            throw WALError.batchTooLarge(payload.bytes.count)
        }
        pendingSequence = sequence
        WALRecord.append(payload: payload.bytes[...], to: &pending)
        lock.broadcast()
        return sequence
    }

    /// The last durable sequence.
    public var lastDurableSequence: UInt64 { lock.withLock { durableSequence } }

    private func commitLoop() {
        var buffer = ByteWriter(capacity: 1 << 20)
        lock.lock()
        while true {
            while pending.bytes.isEmpty && running { lock.wait() }
            if pending.bytes.isEmpty && !running { break }
            if pending.bytes.count < configuration.groupCommitBytes && running
                && configuration.groupCommitWindowMicroseconds > 0
            {
                lock.wait(microseconds: configuration.groupCommitWindowMicroseconds)
            }
            swap(&buffer.bytes, &pending.bytes)
            let first = durableSequence + 1  // only this thread advances durableSequence
            let target = pendingSequence
            lock.unlock()

            var writeFailure: WALError?
            let started = ContinuousClock.now
            do {
                try writeAndSync(buffer.bytes, firstSequence: first)
            } catch {
                writeFailure = .fatal("\(error)")
            }
            let elapsed = ContinuousClock.now - started
            let bytes = buffer.bytes.count
            buffer.bytes.removeAll(keepingCapacity: true)

            lock.lock()
            var ready: [(UInt64, CheckedContinuation<UInt64, Error>)] = []
            if let error = writeFailure {
                failure = error
                ready = waiters
                waiters.removeAll()
                lock.broadcast()
                lock.unlock()
                for (_, c) in ready { c.resume(throwing: error) }
                lock.lock()
                break
            }
            durableSequence = target
            stats.record(commitDuration: elapsed, bytes: bytes, batches: Int(target - first + 1))
            waiters.removeAll { entry in
                if entry.sequence <= target {
                    ready.append(entry)
                    return true
                }
                return false
            }
            lock.broadcast()
            lock.unlock()
            for (sequence, c) in ready { c.resume(returning: sequence) }
            lock.lock()
        }
        committerDone = true
        lock.broadcast()
        lock.unlock()
    }

    private func writeAndSync(_ bytes: [UInt8], firstSequence: UInt64) throws {
        if file == nil || fileOffset >= configuration.maxFileBytes {
            if let old = file {
                try old.sync()
                old.close()
            }
            let path = configuration.directory + "/" + Self.fileName(firstSequence: firstSequence)
            file = try fs.open(path, create: true)
            fileOffset = try file!.size()
            try fs.syncDirectory(configuration.directory)
        }
        try file!.write(bytes, at: fileOffset)
        try file!.sync()
        fileOffset += bytes.count
    }

    /// Deletes the log files whose records are all at or below `sequence` (they are in segments).
    public func checkpoint(through sequence: UInt64) throws {
        let names = try fs.list(configuration.directory).filter { $0.hasSuffix(".wal") }.sorted()
        let firsts = names.compactMap { UInt64($0.dropLast(4)) }
        guard firsts.count == names.count else { return }
        var removed = false
        for (index, name) in names.enumerated() where index + 1 < names.count {
            // File `index` holds sequences firsts[index] ..< firsts[index + 1].
            if firsts[index + 1] - 1 <= sequence {
                try fs.remove(configuration.directory + "/" + name)
                removed = true
            }
        }
        if removed { try fs.syncDirectory(configuration.directory) }
    }

    /// Stops accepting appends, commits what is pending, stops the committer, closes the file.
    public func close() throws {
        lock.lock()
        running = false
        lock.broadcast()
        while !committerDone { lock.wait() }
        let failure = self.failure
        lock.unlock()
        file?.close()
        file = nil
        if let failure { throw failure }
    }
}
