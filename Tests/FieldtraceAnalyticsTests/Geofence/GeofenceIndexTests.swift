import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceAnalytics

/// Metres east/north of an origin to GeoJSON positions and E7 points, for readable tests.
struct PlaneHelper {
    let plane: LocalTangentPlane
    init(latitude: Double = 30, longitude: Double = 120) {
        plane = LocalTangentPlane(originLatitude: latitude, originLongitude: longitude)
    }
    func position(_ east: Double, _ north: Double) -> GeoPosition {
        let (lat, lon) = plane.unproject(eastM: east, northM: north)
        return GeoPosition(longitude: lon, latitude: lat)
    }
    func e7(_ east: Double, _ north: Double) -> (latitudeE7: Int32, longitudeE7: Int32) {
        let (lat, lon) = plane.unproject(eastM: east, northM: north)
        return (CoordinateE7.fromDegrees(lat), CoordinateE7.fromDegrees(lon))
    }
    func ring(_ points: [(Double, Double)]) -> [GeoPosition] {
        let ring = points.map { position($0.0, $0.1) }
        return ring + [ring[0]]
    }
}

@Suite struct GeofenceIndexTests {
    let p = PlaneHelper()

    func distance(_ index: GeofenceIndex, _ fence: Int, _ east: Double, _ north: Double) -> Double {
        let e = p.e7(east, north)
        return index.signedDistanceM(fence: fence, latitudeE7: e.latitudeE7, longitudeE7: e.longitudeE7)
    }

    @Test func signedDistanceIsNegativeInsideForEveryKind() {
        let fences = [
            Geofence(id: "c", shape: .circle(center: p.position(0, 0), radiusM: 100)),
            Geofence(
                id: "p",
                shape: .polygon([
                    p.ring([(-100, -100), (100, -100), (100, 100), (-100, 100)]),
                    p.ring([(-25, -25), (-25, 25), (25, 25), (25, -25)]),
                ])),
            Geofence(id: "k", shape: .corridor(line: [p.position(0, 0), p.position(1000, 0)], widthM: 40)),
        ]
        let index = GeofenceIndex(fences: fences)
        let cases: [(Int, Double, Double, Double)] = [
            (0, 50, 0, -50), (0, 0, 150, 50), (0, 0, 0, -100),
            (1, 60, 0, -35), (1, 90, 90, -10), (1, 0, 0, 25), (1, 0, 130, 30), (1, 130, 140, 50),
            (2, 500, 10, -10), (2, 500, -30, 10), (2, 1100, 0, 80), (2, -20, 0, 0),
        ]
        for (fence, east, north, expected) in cases {
            let d = distance(index, fence, east, north)
            #expect(abs(d - expected) < 0.2, "fence \(fence) at (\(east), \(north)): \(d), expected \(expected)")
            let e = p.e7(east, north)
            if abs(expected) > 0.5 {
                #expect(
                    index.contains(fence: fence, latitudeE7: e.latitudeE7, longitudeE7: e.longitudeE7) == (expected < 0)
                )
            }
        }
    }

    @Test func fencesAcrossTheAntimeridianWork() {
        let q = PlaneHelper(latitude: -17, longitude: 180)
        let fence = Geofence(
            id: "fiji", shape: .polygon([q.ring([(-500, -500), (500, -500), (500, 500), (-500, 500)])]))
        let index = GeofenceIndex(fences: [fence])
        for (east, north, inside) in [
            (0.0, 0.0, true), (-400, 100, true), (400, -100, true), (600, 0, false), (-600, 0, false),
        ] {
            let e = q.e7(east, north)
            var found: [Int32] = []
            index.containing(latitudeE7: e.latitudeE7, longitudeE7: e.longitudeE7, into: &found)
            #expect(found == (inside ? [0] : []), "at (\(east), \(north))")
            let d = index.signedDistanceM(fence: 0, latitudeE7: e.latitudeE7, longitudeE7: e.longitudeE7)
            #expect((d < 0) == inside && abs(abs(d) - (inside ? 500 - abs(east) : abs(east) - 500)) < 0.5)
        }
    }

    /// The index finds exactly what a brute-force scan finds, over a dense synthetic set.
    @Test(arguments: [(UInt64(1), 3_000), (2, 8_000)])
    func lookupsAgreeWithABruteForceScan(seed: UInt64, count: Int) throws {
        let fences = try Geofence.readCollection(
            Array(SyntheticFences.geoJSON(count: count, seed: seed, sideM: 15_000).utf8))
        let index = GeofenceIndex(fences: fences)
        let points = SyntheticFences.points(count: 4_000, seed: seed + 100, sideM: 15_000)
        var found: [Int32] = []
        var hits = 0
        for (n, point) in points.enumerated() {
            index.containing(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7, into: &found)
            let brute = (0..<fences.count).filter {
                index.contains(fence: $0, latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7)
            }
            #expect(found.sorted() == brute.map(Int32.init), "seed \(seed) point \(n)")
            #expect(index.countContaining(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) == brute.count)
            // Containment agrees with the sign of the distance (computed without the index's
            // raster and circle shortcuts), away from the boundary's rounding.
            var candidates: [Int] = []
            index.forEachCandidate(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) {
                candidates.append($0)
            }
            for f in candidates {
                let d = index.signedDistanceM(fence: f, latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7)
                if d < -0.01 { #expect(found.contains(Int32(f)), "seed \(seed) point \(n) fence \(f) at \(d) m") }
                if d > 0.01 { #expect(!found.contains(Int32(f)), "seed \(seed) point \(n) fence \(f) at \(d) m") }
            }
            hits += brute.count
        }
        #expect(hits > points.count / 4, "seed \(seed): the set is dense enough to test something (\(hits) hits)")
    }

    @Test func candidatesAreASupersetAndEachFenceComesOnce() throws {
        let fences = try Geofence.readCollection(
            Array(SyntheticFences.geoJSON(count: 2_000, seed: 9, sideM: 10_000).utf8))
        let index = GeofenceIndex(fences: fences, maxCellsPerFence: 4)
        for point in SyntheticFences.points(count: 2_000, seed: 10, sideM: 10_000) {
            var candidates: [Int] = []
            index.forEachCandidate(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) {
                candidates.append($0)
            }
            #expect(Set(candidates).count == candidates.count)
            var containing: [Int] = []
            index.forEachContaining(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) {
                containing.append($0)
            }
            #expect(Set(containing).isSubset(of: Set(candidates)))
        }
        #expect(index.position(ofID: "f17") == 17 && index.position(ofID: "nope") == nil)
    }
}

@Suite struct GeofenceShapesLayoutTests {
    @Test func aCompiledFenceFitsOneCacheLine() {
        #expect(MemoryLayout<GeofenceShapes.Record>.stride == 64)
    }
}
