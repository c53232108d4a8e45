import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceEngine
import FieldtraceStore
import FieldtraceTestSupport
import Foundation
import Synchronization

/// A fresh directory under the system temp folder, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "engine") {
        path = NSTemporaryDirectory() + "fieldtrace-\(label)-\(UInt64.random(in: 0...UInt64.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Engine time for tests: moves only when told.
final class FakeClock: Sendable {
    private let value: Atomic<Int64>
    init(_ startMs: Int64) { value = Atomic(startMs) }
    var nowMs: Int64 { value.load(ordering: .relaxed) }
    func advance(ms: Int64) { value.add(ms, ordering: .relaxed) }
    func set(_ ms: Int64) { value.store(ms, ordering: .relaxed) }
}

/// A store, its event log and an engine with the stand-in analyzer, on a temporary directory.
struct EngineHarness {
    let directory: String
    let clock: FakeClock
    let store: TrackStore
    let log: EventLog
    let engine: Engine<LatitudeLines>

    init(
        directory: String, clock: FakeClock, configuration: EngineConfiguration = Self.configuration(),
        storeOptions: StoreOptions = StoreOptions(),
        profile: @escaping @Sendable (DeviceID) -> DeviceProfile<LatitudeLines.Setup> = { _ in
            DeviceProfile(tenant: "t1", setup: LatitudeLines.Setup())
        }
    ) throws {
        self.directory = directory
        self.clock = clock
        store = try TrackStore(directory: directory, options: storeOptions)
        log = try EventLog(catalog: store.catalog)
        engine = Engine(
            store: store, eventLog: log, configuration: configuration, nowMs: { clock.nowMs },
            profile: profile)
        engine.start()
    }

    static func configuration(shards: Int = 2) -> EngineConfiguration {
        EngineConfiguration(shardCount: shards)
    }

    /// Every event in the log, in id order.
    func allEvents() throws -> [LoggedEvent] {
        var out: [LoggedEvent] = []
        while true {
            let page = try log.read(after: out.last?.id ?? 0, limit: 1000)
            if page.isEmpty { return out }
            out += page
        }
    }

    /// The analysis events that stand (not corrections, not connectivity, not withdrawn), as
    /// content keys (`late` cleared), sorted.
    func standingContents(of device: DeviceID) throws -> [String] {
        let events = try allEvents()
        let withdrawn = Set(events.compactMap(\.retracts))
        return events.filter {
            $0.device == device && $0.step != nil && $0.retracts == nil && !withdrawn.contains($0.id)
        }
        .map { Self.contentKey($0.payload) }.sorted()
    }

    static func contentKey(_ payload: String) -> String {
        payload.replacingOccurrences(of: #","late":true"#, with: #","late":false"#)
    }

    /// The reference: the events of the sorted track, as content keys, sorted.
    static func referenceContents(
        _ fixes: [Fix], device: DeviceID, configuration: EngineConfiguration = configuration(), finishAtEnd: Bool = true
    ) -> [String] {
        AnalysisRun<LatitudeLines>.events(
            of: fixes.map { $0.canonicalized() }, device: device, setup: LatitudeLines.Setup(),
            sessionGapMs: configuration.sessionGapMs, finishAtEnd: finishAtEnd
        )
        .map { event in
            var plain = event.event
            plain.late = false
            return plain.jsonLine
        }.sorted()
    }
}

/// Fixes of `workday-drive` days, one per `everySeconds`, day `k` (0-based) shifted by `k` days.
enum Tracks {
    static func days(_ count: Int, everySeconds: Int, seed: UInt64 = 1, device: DeviceID = DeviceID("w1")!) -> [Fix] {
        var out: [Fix] = []
        for day in 0..<count {
            let scenario = ScenarioCatalog.make("workday-drive", seed: seed + UInt64(day))!
            for (i, fix) in scenario.fixes.enumerated() where i % everySeconds == 0 {
                var fix = fix
                fix.device = device
                fix.timeMs += Int64(day) * 86_400_000
                fix.receivedMs = fix.receivedMs.map { $0 + Int64(day) * 86_400_000 }
                out.append(fix)
            }
        }
        return out
    }
}

/// A file system that fails every sync once `failing` is set: an fsync error.
final class FailingFileSystem: StoreFileSystem {
    let base = PosixFileSystem()
    let failing = Atomic<Bool>(false)

    func open(_ path: String, create: Bool) throws -> StoreFile {
        FailingFile(try base.open(path, create: create), fs: self)
    }
    func list(_ directory: String) throws -> [String] { try base.list(directory) }
    func remove(_ path: String) throws { try base.remove(path) }
    func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
    func syncDirectory(_ path: String) throws {
        if failing.load(ordering: .relaxed) { throw StoreIOError("fsync", path, errno: 5) }
        try base.syncDirectory(path)
    }
    func makeDirectory(_ path: String) throws { try base.makeDirectory(path) }
    func exists(_ path: String) -> Bool { base.exists(path) }
}

final class FailingFile: StoreFile {
    let file: StoreFile
    let fs: FailingFileSystem
    init(_ file: StoreFile, fs: FailingFileSystem) {
        self.file = file
        self.fs = fs
    }
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws { try file.write(bytes, at: offset) }
    func read(at offset: Int, count: Int) throws -> [UInt8] { try file.read(at: offset, count: count) }
    func size() throws -> Int { try file.size() }
    func sync() throws {
        if fs.failing.load(ordering: .relaxed) { throw StoreIOError("fdatasync", "wal", errno: 5) }
        try file.sync()
    }
    func truncate(to size: Int) throws { try file.truncate(to: size) }
    func close() { file.close() }
}
