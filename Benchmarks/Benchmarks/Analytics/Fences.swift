import Benchmark
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// Geofence lookups against 20,000 mixed fences (`SyntheticFences`: circles, polygons of 5-50
/// vertices with some holes, corridors; the same set `scripts/peers/fences.py` gives shapely),
/// and the monitor's throughput on a fleet day. Units: one iteration = `lookupsPerIteration`
/// point lookups (exact containment: the ids of all fences containing the point, consumed) or
/// one fleet day of fixes. `Fences.lookup.N` asks point by point
/// (`containing(latitudeE7:longitudeE7:into:)`), `Fences.lookup.batch.N` the same points in one
/// call (`containing(_:fences:ends:)`, the bulk path, as a peer's vectorised query).
func fenceBenchmarks() {
    let lookupsPerIteration = 100_000
    for count in [10_000, 20_000] {
        Benchmark(
            "Fences.lookup.\(count)",
            configuration: .init(
                maxDuration: .seconds(3))
        ) { (benchmark: Benchmark, setup: (index: GeofenceIndex, points: [(latitudeE7: Int32, longitudeE7: Int32)])) in
            let (index, points) = setup
            var found: [Int32] = []
            found.reserveCapacity(64)
            var checksum = 0
            for _ in benchmark.scaledIterations {
                for point in points {
                    index.containing(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7, into: &found)
                    for fence in found { checksum &+= Int(fence) }
                }
            }
            blackHole(checksum)
        } setup: {
            randomLookups(fences: count, points: lookupsPerIteration)
        }

        Benchmark(
            "Fences.lookup.batch.\(count)",
            configuration: .init(
                maxDuration: .seconds(3))
        ) { (benchmark: Benchmark, setup: (index: GeofenceIndex, points: [(latitudeE7: Int32, longitudeE7: Int32)])) in
            let (index, points) = setup
            // Buffers sized once (a caller keeps them): the lookups themselves allocate nothing.
            var fences: [Int32] = []
            fences.reserveCapacity(4 * points.count)
            var ends: [Int] = []
            ends.reserveCapacity(points.count)
            var checksum = 0
            for _ in benchmark.scaledIterations {
                index.containing(points, fences: &fences, ends: &ends)
                for fence in fences { checksum &+= Int(fence) }
                checksum &+= ends.last ?? 0
            }
            blackHole(checksum)
        } setup: {
            randomLookups(fences: count, points: lookupsPerIteration)
        }
    }

    // The lookups a fleet makes: every fix of `fieldtrace simulate --seed 1 --devices 10
    // --hours 8` (288,000 fixes, workers spread over the same city) against the same fences;
    // spatially coherent, as production lookups are. The peer reads that CSV.
    Benchmark(
        "Fences.lookup.fleet.20000",
        configuration: .init(
            maxDuration: .seconds(3))
    ) { (benchmark: Benchmark, setup: (index: GeofenceIndex, points: [(latitudeE7: Int32, longitudeE7: Int32)])) in
        let (index, points) = setup
        var found: [Int32] = []
        found.reserveCapacity(64)
        var checksum = 0
        for _ in benchmark.scaledIterations {
            for point in points {
                index.containing(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7, into: &found)
                for fence in found { checksum &+= Int(fence) }
            }
        }
        blackHole(checksum)
    } setup: {
        let fences = try! Geofence.readCollection(Array(SyntheticFences.geoJSON(count: 20_000, seed: 1).utf8))
        var points: [(latitudeE7: Int32, longitudeE7: Int32)] = []
        for worker in 0..<10 {
            // As SimulateCommand.runFleet does for --seed 1.
            var sim = FleetSimulator(seed: 1 &* 1_000_003 &+ UInt64(worker))
            let fixes = sim.track(
                device: DeviceID("worker-\(worker)")!, startMs: 1_714_521_600_000, durationSeconds: 8 * 3_600,
                latitude: 31.2304 + Double(worker % 17 - 8) * 0.01,
                longitude: 121.4737 + Double(worker % 13 - 6) * 0.012)
            points += fixes.map { ($0.latitudeE7, $0.longitudeE7) }
        }
        return (index: GeofenceIndex(fences: fences), points: points)
    }

    Benchmark(
        "Fences.index.build.20000",
        configuration: .init(maxDuration: .seconds(3))
    ) { (benchmark: Benchmark, fences: [Geofence]) in
        for _ in benchmark.scaledIterations { blackHole(GeofenceIndex(fences: fences)) }
    } setup: {
        try! Geofence.readCollection(Array(SyntheticFences.geoJSON(count: 20_000, seed: 1).utf8))
    }

    Benchmark(
        "Fences.parse.geojson.20000",
        configuration: .init(maxDuration: .seconds(3))
    ) { (benchmark: Benchmark, bytes: [UInt8]) in
        for _ in benchmark.scaledIterations { blackHole(try! Geofence.readCollection(bytes)) }
    } setup: {
        Array(SyntheticFences.geoJSON(count: 20_000, seed: 1).utf8)
    }

    // Monitor: 8 workers x 8 h at 1 Hz (230,400 fixes) through the 20,000-fence set.
    Benchmark(
        "Fences.monitor.fixes.230400",
        configuration: .init(maxDuration: .seconds(5))
    ) { (benchmark: Benchmark, setup: (index: GeofenceIndex, fixes: [Fix])) in
        let (index, fixes) = setup
        for _ in benchmark.scaledIterations {
            var monitor = GeofenceMonitor(index: index)
            var events: [AnalyticsEvent] = []
            events.reserveCapacity(4096)
            for fix in fixes { monitor.process(fix, into: &events) }
            blackHole(events.count)
        }
    } setup: {
        let fences = try! Geofence.readCollection(Array(SyntheticFences.geoJSON(count: 20_000, seed: 1).utf8))
        var fixes: [Fix] = []
        for d in 0..<8 {
            var sim = FleetSimulator(seed: UInt64(100 + d))
            fixes += sim.track(
                device: DeviceID("w\(d)")!, startMs: 1_714_521_600_000, durationSeconds: 8 * 3_600,
                latitude: SyntheticFences.originLatitude, longitude: SyntheticFences.originLongitude)
        }
        fixes.sort { ($0.timeMs, $0.device.rawValue) < ($1.timeMs, $1.device.rawValue) }
        return (index: GeofenceIndex(fences: fences), fixes: fixes)
    }
}

/// `count` synthetic mixed fences and their index, and the uniform random points looked up in
/// every iteration (the same for the single and the batch benchmarks).
private func randomLookups(fences count: Int, points lookups: Int) -> (
    index: GeofenceIndex, points: [(latitudeE7: Int32, longitudeE7: Int32)]
) {
    let fences = try! Geofence.readCollection(Array(SyntheticFences.geoJSON(count: count, seed: 1).utf8))
    let points = SyntheticFences.points(count: lookups, seed: 2)
    return (index: GeofenceIndex(fences: fences), points: points)
}
