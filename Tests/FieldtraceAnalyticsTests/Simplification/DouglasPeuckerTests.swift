import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct DouglasPeuckerTests {
    /// Textbook recursive Douglas-Peucker (segment distance) on the same projected points: the
    /// reference for the iterative split.
    static func textbook(_ track: ProjectedTrack, toleranceMeters: Double) -> [Int] {
        let limit = toleranceMeters * (1 - 1e-9) - 1e-6
        let (e, n) = (track.eastM, track.northM)
        var keep = [Bool](repeating: false, count: track.count)
        func run(_ first: Int, _ last: Int) {
            guard last - first > 1 else { return }
            var worst = -1.0
            var worstIndex = first
            let dx = e[last] - e[first]
            let dy = n[last] - n[first]
            let length2 = dx * dx + dy * dy
            for i in (first + 1)..<last {
                let px = e[i] - e[first]
                let py = n[i] - n[first]
                let along = length2 > 0 ? min(max((px * dx + py * dy) * (1 / length2), 0), 1) : 0
                let d2 = (px - dx * along) * (px - dx * along) + (py - dy * along) * (py - dy * along)
                if d2 > worst { (worst, worstIndex) = (d2, i) }
            }
            if worst > limit * limit {
                keep[worstIndex] = true
                run(first, worstIndex)
                run(worstIndex, last)
            }
        }
        guard track.count > 0 else { return [] }
        keep[0] = true
        keep[track.count - 1] = true
        run(0, track.count - 1)
        return keep.indices.filter { keep[$0] }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func equalsTextbookDouglasPeuckerOnSimulatedDays(seed: UInt64) {
        var sim = FleetSimulator(seed: seed)
        let fixes = sim.track(device: DeviceID("w")!, startMs: 0, durationSeconds: 86_400)
        var track = ProjectedTrack()
        track.load(fixes)
        for tolerance in [2.0, 5, 20] {
            let kept = DouglasPeucker.keptIndices(fixes, toleranceMeters: tolerance)
            #expect(kept == Self.textbook(track, toleranceMeters: tolerance), "seed \(seed), \(tolerance) m")
            let (error, index) = SimplificationChecks.maxSegmentErrorMeters(fixes, kept: kept)
            #expect(error <= tolerance, "seed \(seed): fix \(index) is \(error) m off")
        }
    }

    @Test func keepsTheTipOfAnOutAndBackSpike() {
        // Out 200 m east and back: every point is on the line through the ends, none near the
        // (zero-length) segment between them. A line-distance DP would keep 2 points.
        let plane = LocalTangentPlane(originLatitude: 45, originLongitude: 7)
        let fixes = (0...40).map { i in
            let p = plane.unproject(eastM: Double(20 - abs(i - 20)) * 10, northM: 0)
            return Fix(
                device: DeviceID("w")!, timeMs: Int64(i) * 1000, latitudeE7: CoordinateE7.fromDegrees(p.latitude),
                longitudeE7: CoordinateE7.fromDegrees(p.longitude))
        }
        #expect(DouglasPeucker.keptIndices(fixes, toleranceMeters: 5) == [0, 20, 40])
    }

    @Test func tinyInputs() {
        let f = Fix(device: DeviceID("w")!, timeMs: 0, latitudeE7: 0, longitudeE7: 0)
        #expect(DouglasPeucker.keptIndices([], toleranceMeters: 5) == [])
        #expect(DouglasPeucker.keptIndices([f], toleranceMeters: 5) == [0])
        #expect(DouglasPeucker.keptIndices([f, f], toleranceMeters: 5) == [0, 1])
        #expect(DouglasPeucker.keptIndices([f, f, f], toleranceMeters: 0.5) == [0, 2])
        // A tolerance under the 1 µm rounding margin keeps everything, even exact duplicates.
        #expect(DouglasPeucker.keptIndices([f, f, f], toleranceMeters: 0) == [0, 1, 2])
    }

    @Test func aMillionPointsOnALineKeepTwo() {
        let (lat, lon, _) = LargeTracks.line(count: 1_000_000)
        let kept = lat.withUnsafeBufferPointer { la in
            lon.withUnsafeBufferPointer {
                DouglasPeucker.keptIndices(latitudeE7: la, longitudeE7: $0, toleranceMeters: 1)
            }
        }
        #expect(kept == [0, 999_999])
    }

    @Test func aMillionPointZigZagKeepsEveryPointWithoutRecursion() {
        // Textbook DP peels one point per split here: depth a million, n² work. The explicit stack
        // and the middle split after lopsided runs finish it in O(n log n).
        let (lat, lon, _) = LargeTracks.zigZag(count: 1_000_000)
        let kept = lat.withUnsafeBufferPointer { la in
            lon.withUnsafeBufferPointer {
                DouglasPeucker.keptIndices(latitudeE7: la, longitudeE7: $0, toleranceMeters: 1)
            }
        }
        #expect(kept.count == 1_000_000)
        #expect(kept == Array(0..<1_000_000))
    }
}

/// Big synthetic tracks as raw columns (a million `Fix`es would cost 100 MB in a test).
enum LargeTracks {
    /// Points 1 m apart going east along the equator, 1 s apart.
    static func line(count: Int) -> ([Int32], [Int32], [Int64]) {
        let lat = [Int32](repeating: 100, count: count)
        let lon = (0..<count).map { Int32($0 * 90) }
        let time = (0..<count).map { Int64($0) * 1000 }
        return (lat, lon, time)
    }

    /// Points 1 m apart going east, alternating 10 m north and south of the equator, 1 s apart.
    static func zigZag(count: Int) -> ([Int32], [Int32], [Int64]) {
        let lat = (0..<count).map { Int32($0 % 2 == 0 ? 900 : -900) }
        let lon = (0..<count).map { Int32($0 * 90) }
        let time = (0..<count).map { Int64($0) * 1000 }
        return (lat, lon, time)
    }
}
