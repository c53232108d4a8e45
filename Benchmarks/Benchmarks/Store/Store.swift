import Benchmark
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Foundation

/// Storage hot paths: segment encode and decode, WAL append with real fsync, replay of a
/// device-day from disk. Each benchmark names its unit of work; fixes/s = throughput x fixes
/// per iteration (in the name).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(3))

    let start: Int64 = 1_764_374_400_000
    var sim = FleetSimulator(seed: 1)
    let day = sim.track(device: DeviceID("worker-1")!, startMs: start, durationSeconds: 86_400)
    let hour = Array(day[36_000..<39_600])
    let encodedHour = SegmentEncoder.encode(hour)
    // A slow tracker: 0.1 Hz, a segment of 3,600 fixes (10 hours) as the store cuts it; modelled body.
    var slowConfig = FleetSimulator.Configuration()
    slowConfig.intervalSeconds = 10
    var slowSim = FleetSimulator(seed: 1, configuration: slowConfig)
    let slowDay = slowSim.track(device: DeviceID("worker-2")!, startMs: start, durationSeconds: 86_400)
    let slowSegment = Array(slowDay[0..<3600])
    let encodedSlow = SegmentEncoder.encode(slowSegment)

    Benchmark("Segment encode (3600 fixes, 1 Hz)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SegmentEncoder.encode(hour)) }
    }

    Benchmark("Segment decode (3600 fixes, 1 Hz)") { benchmark in
        var decoder = SegmentDecoder()
        var out: [Fix] = []
        out.reserveCapacity(3600)
        for _ in benchmark.scaledIterations {
            out.removeAll(keepingCapacity: true)
            encodedHour.withUnsafeBytes { _ = try? decoder.decode($0, into: &out) }
            blackHole(out.count)
        }
    }

    Benchmark("Segment decode to columns (3600 fixes, 1 Hz)") { benchmark in
        var decoder = SegmentDecoder()
        for _ in benchmark.scaledIterations {
            let sum: Int64 = encodedHour.withUnsafeBytes { raw -> Int64 in
                (try? decoder.decodeColumns(raw) { c in
                    var s: Int64 = 0
                    for i in 0..<c.count { s &+= Int64(c.latitudeE7(i)) &+ c.timeMs(i) }
                    return s
                }) ?? Int64(0)
            }
            blackHole(sum)
        }
    }

    Benchmark("Segment encode (3600 fixes, 0.1 Hz, modelled)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SegmentEncoder.encode(slowSegment)) }
    }

    Benchmark("Segment decode (3600 fixes, 0.1 Hz, modelled)") { benchmark in
        var decoder = SegmentDecoder()
        var out: [Fix] = []
        out.reserveCapacity(3600)
        for _ in benchmark.scaledIterations {
            out.removeAll(keepingCapacity: true)
            encodedSlow.withUnsafeBytes { _ = try? decoder.decode($0, into: &out) }
            blackHole(out.count)
        }
    }

    Benchmark("Segment decode to columns (3600 fixes, 0.1 Hz, modelled)") { benchmark in
        var decoder = SegmentDecoder()
        for _ in benchmark.scaledIterations {
            let sum: Int64 = encodedSlow.withUnsafeBytes { raw -> Int64 in
                (try? decoder.decodeColumns(raw) { c in
                    var s: Int64 = 0
                    for i in 0..<c.count { s &+= Int64(c.latitudeE7(i)) &+ c.timeMs(i) }
                    return s
                }) ?? Int64(0)
            }
            blackHole(sum)
        }
    }

    Benchmark("WAL append, real fsync (8 concurrent batches x 10000 fixes)") { benchmark in
        let dir = NSTemporaryDirectory() + "fieldtrace-bench-wal-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (log, _) = try! WriteAheadLog.open(WALConfiguration(directory: dir), checkpoint: 0)
        let batches = (0..<8).map { i in Array(day[(i * 10_000)..<((i + 1) * 10_000)]) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            await withTaskGroup(of: Void.self) { group in
                for batch in batches { group.addTask { _ = try? await log.append(batch) } }
            }
        }
        benchmark.stopMeasurement()
        try? log.close()
    }

    Benchmark("Replay one device-day from disk (86400 fixes)") { benchmark in
        let dir = NSTemporaryDirectory() + "fieldtrace-bench-replay-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try! TrackStore(directory: dir)
        try! store.append(day)
        try! store.flush()
        _ = try! store.replay(device: day[0].device)  // warm the page cache
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try! store.replay(device: day[0].device).count) }
        benchmark.stopMeasurement()
        try? store.close()
    }

    Benchmark("Replay one device-day from disk at 0.1 Hz (8640 fixes)") { benchmark in
        let dir = NSTemporaryDirectory() + "fieldtrace-bench-replay-slow-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try! TrackStore(directory: dir)
        try! store.append(slowDay)
        try! store.flush()
        _ = try! store.replay(device: slowDay[0].device)  // warm the page cache
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try! store.replay(device: slowDay[0].device).count) }
        benchmark.stopMeasurement()
        try? store.close()
    }
}
