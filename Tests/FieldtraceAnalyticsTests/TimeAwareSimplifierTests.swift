import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct TimeAwareSimplifierTests {
    @Test func everyDroppedFixIsWithinToleranceOfTheSimplifiedTrackAtItsTime() {
        var sim = FleetSimulator(seed: 11)
        let fixes = sim.track(device: DeviceID("w")!, startMs: 0, durationSeconds: 20_000)
        let kept = TimeAwareSimplifier.keptIndices(fixes, toleranceMeters: 5)
        #expect(kept.first == 0 && kept.last == fixes.count - 1)
        #expect(kept.count < fixes.count / 3, "a 1 Hz track simplifies a lot at 5 m")
        for (a, b) in zip(kept, kept.dropFirst()) {
            for i in (a + 1)..<b {
                let f = Double(fixes[i].timeMs - fixes[a].timeMs) / Double(fixes[b].timeMs - fixes[a].timeMs)
                let lat = fixes[a].latitude + (fixes[b].latitude - fixes[a].latitude) * f
                let lon = fixes[a].longitude + (fixes[b].longitude - fixes[a].longitude) * f
                let d = Geodesy.haversineMeters(lat1: lat, lon1: lon, lat2: fixes[i].latitude, lon2: fixes[i].longitude)
                #expect(d <= 5.05, "fix \(i) is \(d) m off")
            }
        }
    }

    @Test func keepsTheArrivalAndDepartureOfAStop() {
        // Drive east 100 s at 10 m/s, stand 300 s, drive on: plain DP would drop the stop.
        var fixes: [Fix] = []
        var east = 0.0
        let plane = LocalTangentPlane(originLatitude: 30, originLongitude: 120)
        for t in 0..<700 {
            if t < 100 || t >= 400 { east += 10 }
            let p = plane.unproject(eastM: east, northM: 0)
            fixes.append(
                Fix(
                    device: DeviceID("w")!, timeMs: Int64(t) * 1000, latitudeE7: CoordinateE7.fromDegrees(p.latitude),
                    longitudeE7: CoordinateE7.fromDegrees(p.longitude)))
        }
        let kept = TimeAwareSimplifier.keptIndices(fixes)
        #expect(kept.contains(100) || kept.contains(99))
        #expect(kept.contains(400) || kept.contains(399))
        #expect(kept.count <= 6)
    }

    @Test func tinyInputsAreKept() {
        let f = Fix(device: DeviceID("w")!, timeMs: 0, latitudeE7: 0, longitudeE7: 0)
        #expect(TimeAwareSimplifier.keptIndices([]) == [])
        #expect(TimeAwareSimplifier.keptIndices([f]) == [0])
        #expect(TimeAwareSimplifier.keptIndices([f, f]) == [0, 1])
        #expect(TimeAwareSimplifier.keptIndices([f, f, f]) == [0, 2])
    }
}
