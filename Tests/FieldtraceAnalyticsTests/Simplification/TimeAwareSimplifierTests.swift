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
                #expect(d <= 5, "fix \(i) is \(d) m off")
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

    /// The store's former implementation (SED Douglas-Peucker, plane at the first fix, no margin).
    static func former(_ fixes: [Fix], toleranceMeters: Double) -> [Int] {
        guard fixes.count > 2 else { return Array(fixes.indices) }
        let plane = LocalTangentPlane(originLatitude: fixes[0].latitude, originLongitude: fixes[0].longitude)
        let points = fixes.map { plane.project(latitude: $0.latitude, longitude: $0.longitude) }
        var keep = [Bool](repeating: false, count: fixes.count)
        keep[0] = true
        keep[fixes.count - 1] = true
        var stack: [(Int, Int)] = [(0, fixes.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last - first > 1 else { continue }
            let t0 = Double(fixes[first].timeMs)
            let span = Double(fixes[last].timeMs) - t0
            let (a, b) = (points[first], points[last])
            var worst = -1.0
            var worstIndex = first
            for i in (first + 1)..<last {
                let f = span > 0 ? (Double(fixes[i].timeMs) - t0) / span : 0.5
                let ex = a.eastM + (b.eastM - a.eastM) * f - points[i].eastM
                let ny = a.northM + (b.northM - a.northM) * f - points[i].northM
                if ex * ex + ny * ny > worst { (worst, worstIndex) = (ex * ex + ny * ny, i) }
            }
            if worst > toleranceMeters * toleranceMeters {
                keep[worstIndex] = true
                stack.append((first, worstIndex))
                stack.append((worstIndex, last))
            }
        }
        return keep.indices.filter { keep[$0] }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func keepsWhatTheFormerImplementationKept(seed: UInt64) {
        // The store's level-1 copies barely change: the new plane (east scale at the latitude
        // nearest the equator), relative times and the rounding margin decide a point within a
        // hair of the tolerance or a near-tie the other way a few times a day (2 to 7 of 1,000 to
        // 2,000 kept fixes on these days), nothing more.
        var sim = FleetSimulator(seed: seed)
        let fixes = sim.track(device: DeviceID("w")!, startMs: 1_764_374_400_000, durationSeconds: 86_400)
        for tolerance in [5.0, 20] {
            let kept = TimeAwareSimplifier.keptIndices(fixes, toleranceMeters: tolerance)
            let former = Self.former(fixes, toleranceMeters: tolerance)
            let differ = Set(kept).symmetricDifference(former).sorted()
            #expect(
                differ.count * 100 <= former.count,
                "seed \(seed), \(tolerance) m: \(kept.count) kept, formerly \(former.count); \(differ.prefix(20))")
        }
    }

    @Test func sameTimeEndsUseTheirMidpoint() {
        // Three fixes at one time: the middle one is compared with the midpoint of the other two.
        let plane = LocalTangentPlane(originLatitude: 10, originLongitude: 10)
        func fix(_ east: Double, _ north: Double) -> Fix {
            let p = plane.unproject(eastM: east, northM: north)
            return Fix(
                device: DeviceID("w")!, timeMs: 5000, latitudeE7: CoordinateE7.fromDegrees(p.latitude),
                longitudeE7: CoordinateE7.fromDegrees(p.longitude))
        }
        #expect(TimeAwareSimplifier.keptIndices([fix(0, 0), fix(50, 4), fix(100, 0)], toleranceMeters: 5) == [0, 2])
        #expect(
            TimeAwareSimplifier.keptIndices([fix(0, 0), fix(50, 6), fix(100, 0)], toleranceMeters: 5) == [0, 1, 2])
    }

    @Test func aMillionPointsOnALineKeepTwo() {
        let (lat, lon, time) = LargeTracks.line(count: 1_000_000)
        let kept = lat.withUnsafeBufferPointer { la in
            lon.withUnsafeBufferPointer { lo in
                time.withUnsafeBufferPointer {
                    TimeAwareSimplifier.keptIndices(latitudeE7: la, longitudeE7: lo, timeMs: $0, toleranceMeters: 1)
                }
            }
        }
        #expect(kept == [0, 999_999])
    }

    @Test func aMillionPointZigZagKeepsEveryPointWithoutRecursion() {
        let (lat, lon, time) = LargeTracks.zigZag(count: 1_000_000)
        let kept = lat.withUnsafeBufferPointer { la in
            lon.withUnsafeBufferPointer { lo in
                time.withUnsafeBufferPointer {
                    TimeAwareSimplifier.keptIndices(latitudeE7: la, longitudeE7: lo, timeMs: $0, toleranceMeters: 1)
                }
            }
        }
        #expect(kept == Array(0..<1_000_000))
    }
}
