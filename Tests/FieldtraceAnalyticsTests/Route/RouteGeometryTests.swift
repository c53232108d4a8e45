import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct RouteGeometryTests {
    func uniform(_ rng: inout SeededRandom) -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    /// A random walk polyline around a point, with some long and many short segments.
    func randomRoute(_ rng: inout SeededRandom, vertices: Int) -> [PlannedRoute.Point] {
        var lat = 40.0
        var lon = -3.7
        var points: [PlannedRoute.Point] = []
        for _ in 0..<vertices {
            points.append(PlannedRoute.Point(latitude: lat, longitude: lon))
            let scale = uniform(&rng) < 0.1 ? 0.01 : 0.0005
            lat += (uniform(&rng) - 0.5) * scale
            lon += (uniform(&rng) - 0.5) * scale
        }
        return points
    }

    func bruteForce(_ g: RouteGeometry, _ points: [PlannedRoute.Point], x: Double, y: Double) -> Double {
        var best = Double.infinity
        let xy = points.map { g.plane.project(latitude: $0.latitude, longitude: $0.longitude) }
        for s in 0..<(xy.count - 1) {
            let (ax, ay, bx, by) = (xy[s].eastM, xy[s].northM, xy[s + 1].eastM, xy[s + 1].northM)
            let dx = bx - ax
            let dy = by - ay
            let l2 = dx * dx + dy * dy
            let t = l2 > 0 ? min(1, max(0, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0
            let ex = ax + t * dx - x
            let ey = ay + t * dy - y
            best = min(best, (ex * ex + ey * ey).squareRoot())
        }
        return best
    }

    @Test func theIndexedNearestSegmentIsTheBruteForceOne() {
        for seed in UInt64(1)...30 {
            var rng = SeededRandom(seed: seed)
            let points = randomRoute(&rng, vertices: 2 + Int(uniform(&rng) * 400))
            let g = RouteGeometry(points: points)
            for _ in 0..<200 {
                let x = (uniform(&rng) - 0.5) * 6000
                let y = (uniform(&rng) - 0.5) * 6000
                let expected = bruteForce(g, points, x: x, y: y)
                let p = g.project(x: x, y: y)
                #expect(abs(p.distanceMeters - expected) < 1e-6, "seed \(seed)")
                // A hint never makes the answer worse than the acceptance distance allows.
                let hinted = g.project(x: x, y: y, hint: Int(uniform(&rng) * Double(g.segmentCount)), acceptMeters: 30)
                #expect(hinted.distanceMeters <= max(30, expected + 1e-6), "seed \(seed)")
                #expect(hinted.alongMeters >= 0 && hinted.alongMeters <= g.lengthMeters + 1e-6)
            }
        }
    }

    @Test func alongRoutePositionsAndLengthAreMetres() {
        let plane = LocalTangentPlane(originLatitude: 10, originLongitude: 10)
        let points = [(0.0, 0.0), (1000, 0), (1000, 500)].map {
            let p = plane.unproject(eastM: $0.0, northM: $0.1)
            return PlannedRoute.Point(latitude: p.latitude, longitude: p.longitude)
        }
        let g = RouteGeometry(points: points)
        #expect(abs(g.lengthMeters - 1500) < 1.5)
        let p = g.project(latitude: points[1].latitude + 0.001, longitude: points[1].longitude + 0.0001)
        #expect(p.segment == 1)
        #expect(abs(p.alongMeters - (1000 + 111.2)) < 2)
        #expect(abs(p.distanceMeters - 11) < 1)
    }
}
