import Benchmark
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// Stops, trips, overspeed and route deviation over one simulated 1 Hz worker day (86,400
/// fixes, `FleetSimulator` seed 1): fixes/s = throughput x 86,400. The route benchmark follows a
/// planned route made of every 30th fix of the same day (about 2,900 vertices, 50 m corridor).
func motionBenchmarks() {
    let device = DeviceID("worker-1")!
    var sim = FleetSimulator(seed: 1)
    let day = sim.track(device: device, startMs: 1_764_374_400_000, durationSeconds: 86_400)
    let route = PlannedRoute(
        id: "route-1", device: device, fromMs: day.first!.timeMs, toMs: day.last!.timeMs, widthMeters: 50,
        points: stride(from: 0, to: day.count, by: 30).map {
            PlannedRoute.Point(latitude: day[$0].latitude, longitude: day[$0].longitude)
        })
    let geometry = RouteGeometry(route: route)

    Benchmark("Stop detection (86400 fixes, 1 Hz day)") { benchmark in
        var events: [AnalyticsEvent] = []
        events.reserveCapacity(256)
        for _ in benchmark.scaledIterations {
            var detector = StopDetector(device: device)
            events.removeAll(keepingCapacity: true)
            for fix in day { detector.process(fix, into: &events) }
            detector.finish(into: &events)
            blackHole(events.count)
        }
    }

    Benchmark("Stops and trips (86400 fixes, 1 Hz day)") { benchmark in
        var events: [AnalyticsEvent] = []
        events.reserveCapacity(256)
        for _ in benchmark.scaledIterations {
            var builder = TripBuilder(device: device)
            events.removeAll(keepingCapacity: true)
            for fix in day { builder.process(fix, into: &events) }
            builder.finish(into: &events)
            blackHole(events.count)
        }
    }

    Benchmark("Overspeed, 50 km/h (86400 fixes, 1 Hz day)") { benchmark in
        var events: [AnalyticsEvent] = []
        events.reserveCapacity(256)
        for _ in benchmark.scaledIterations {
            var detector = OverspeedDetector(device: device, limit: .constant(metersPerSecond: 50 / 3.6))
            events.removeAll(keepingCapacity: true)
            for fix in day { detector.process(fix, into: &events) }
            detector.finish(into: &events)
            blackHole(events.count)
        }
    }

    Benchmark("Route deviation and coverage (86400 fixes, 1 Hz day, 2880-vertex route)") { benchmark in
        var events: [AnalyticsEvent] = []
        events.reserveCapacity(256)
        for _ in benchmark.scaledIterations {
            var detector = RouteDeviationDetector(route: route, geometry: geometry)
            events.removeAll(keepingCapacity: true)
            for fix in day { detector.process(fix, into: &events) }
            detector.finish(into: &events)
            blackHole(events.count)
        }
    }
}
