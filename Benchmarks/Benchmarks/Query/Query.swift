import Benchmark
import FieldtraceCore
import FieldtraceQuery
import FieldtraceStore
import FieldtraceTestSupport
import Foundation

/// The query API's hot paths without HTTP: a device-day (86,400 fixes at 1 Hz) read from a store
/// and rendered as GeoJSON in 64 KiB chunks (the bar: p99 <= 20 ms under 8 concurrent
/// clients on 2 cores), the renderers alone, position-at lookups and latest positions.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(3))

    let start: Int64 = 1_764_374_400_000
    var sim = FleetSimulator(seed: 1)
    let device = DeviceID("worker-1")!
    // As the store returns them (optional values at storage resolution).
    let day = sim.track(device: device, startMs: start, durationSeconds: 86_400).map { $0.canonicalized() }
    let dayRange = start..<(start + 86_400_000)

    func render(_ format: TrackFormat, _ fixes: [Fix]) -> Int {
        var renderer = TrackRenderer(format: format, device: device, fixes: fixes, range: dayRange)
        var bytes = 0
        renderer.write { bytes += $0.count }
        return bytes
    }

    func withStore(_ label: String, _ body: (TrackStore) async -> Void) async {
        let dir = NSTemporaryDirectory() + "fieldtrace-bench-query-\(label)-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try! TrackStore(directory: dir)
        try! await store.append(day)
        try! store.flush()
        _ = try! store.replay(device: device)  // warm the page cache
        await body(store)
        try? store.close()
    }

    Benchmark("Track GeoJSON from store: replay + render (86400 fixes)") { benchmark in
        await withStore("geojson") { store in
            let reader = TrackReader(store: store)
            let request = TrackRequest(device: device, range: dayRange, format: .geojson)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(render(.geojson, try! reader.fixes(for: request)))
            }
            benchmark.stopMeasurement()
        }
    }

    Benchmark(
        "Track GeoJSON from store, 8 concurrent requests (8 x 86400 fixes)",
        configuration: .init(metrics: [.wallClock, .throughput], warmupIterations: 1, maxDuration: .seconds(5))
    ) { benchmark in
        await withStore("geojson8") { store in
            let reader = TrackReader(store: store)
            let request = TrackRequest(device: device, range: dayRange, format: .geojson)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                await withTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 { group.addTask { render(.geojson, try! reader.fixes(for: request)) } }
                    for await bytes in group { blackHole(bytes) }
                }
            }
            benchmark.stopMeasurement()
        }
    }

    for format in TrackFormat.allCases {
        Benchmark("Render \(format.rawValue) only (86400 fixes)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(render(format, day)) }
        }
    }

    Benchmark("Position at an instant (1000 lookups)") { benchmark in
        await withStore("position") { store in
            let locator = PositionLocator(store: store)
            var random = SeededRandom(seed: 7)
            let instants = (0..<1000).map { _ in start + Int64(random.next() % 86_400_000) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                for at in instants { blackHole(try! locator.position(device: device, atMs: at).radiusMeters) }
            }
            benchmark.stopMeasurement()
        }
    }

    Benchmark("Latest positions, 1000 devices, warm cache (1000 devices)") { benchmark in
        let dir = NSTemporaryDirectory() + "fieldtrace-bench-latest-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try! TrackStore(directory: dir)
        var fleet = FleetSimulator(seed: 2)
        var devices: [DeviceID] = []
        for i in 0..<1000 {
            let id = DeviceID("d\(i)")!
            devices.append(id)
            try! store.append(fleet.track(device: id, startMs: start, durationSeconds: 600))
        }
        try! store.flush()
        let latest = LatestPositions(store: store)
        _ = try! latest.page(devices: devices, cursor: nil, limit: 1000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(QueryJSON.latest(try! latest.page(devices: devices, cursor: nil, limit: 1000)).count)
        }
        benchmark.stopMeasurement()
        try? store.close()
    }
}
