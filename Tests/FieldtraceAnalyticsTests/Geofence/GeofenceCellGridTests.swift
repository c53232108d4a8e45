import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceAnalytics

/// The cell grid settles most (cell, fence) pairs at build time and keeps only part of each
/// boundary fence's edges: its answers must still be exactly those of the full test of every
/// fence, above all where rounding could differ (on vertices and edges, next to cell borders).
@Suite struct GeofenceCellGridTests {
    /// Every fence containing the point, by the full test of each fence (no index).
    func bruteForce(_ index: GeofenceIndex, _ point: (latitudeE7: Int32, longitudeE7: Int32)) -> [Int32] {
        (0..<index.count).filter {
            index.contains(fence: $0, latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7)
        }.map(Int32.init)
    }

    /// Points where the cell grid could go wrong: on and next to every few vertices, on edges,
    /// on circles' rims, on and next to cell borders, and uniform ones.
    func probePoints(_ fences: [Geofence], _ cells: GeofenceCellGrid, seed: UInt64) -> [(
        latitudeE7: Int32, longitudeE7: Int32
    )] {
        var rng = SeededRandom(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func e7(_ p: GeoPosition) -> (latitudeE7: Int32, longitudeE7: Int32) {
            (CoordinateE7.fromDegrees(p.latitude), CoordinateE7.fromDegrees(p.longitude))
        }
        var points: [(latitudeE7: Int32, longitudeE7: Int32)] = []
        for fence in fences {
            var runs: [[GeoPosition]] = []
            switch fence.shape {
            case .circle(let center, let radius):
                let plane = LocalTangentPlane(originLatitude: center.latitude, originLongitude: center.longitude)
                for _ in 0..<2 {
                    let angle = unit() * 2 * Double.pi
                    let (lat, lon) = plane.unproject(eastM: radius * cos(angle), northM: radius * sin(angle))
                    points.append((CoordinateE7.fromDegrees(lat), CoordinateE7.fromDegrees(lon)))
                }
            case .polygon(let rings): runs = rings
            case .multiPolygon(let polygons): runs = polygons.flatMap { $0 }
            case .corridor(let line, _): runs = [line]
            }
            for run in runs {
                for k in stride(from: 0, to: run.count - 1, by: 7) {
                    let a = e7(run[k])
                    let b = e7(run[k + 1])
                    points.append(a)
                    points.append((a.latitudeE7 &+ 1, a.longitudeE7 &- 1))
                    let t = unit()
                    points.append(
                        (
                            Int32((Double(a.latitudeE7) + t * Double(b.latitudeE7 - a.latitudeE7)).rounded()),
                            Int32((Double(a.longitudeE7) + t * Double(b.longitudeE7 - a.longitudeE7)).rounded())
                        ))
                }
            }
        }
        for _ in 0..<1_500 {
            let y = Int64(unit() * Double(cells.height + 1))
            let x = Int64(unit() * Double(cells.width + 1))
            let lat = cells.originLatitudeE7 + y * Int64(cells.cellLatitudeE7) + Int64(rng.next() % 3) - 1
            let lon = cells.originLongitudeE7 + x * Int64(cells.cellLongitudeE7) + Int64(rng.next() % 3) - 1
            let alongLat = cells.originLatitudeE7 + Int64(unit() * Double(cells.height) * Double(cells.cellLatitudeE7))
            let alongLon =
                cells.originLongitudeE7 + Int64(unit() * Double(cells.width) * Double(cells.cellLongitudeE7))
            points.append((Int32(lat), Int32(alongLon)))
            points.append((Int32(alongLat), Int32(lon)))
            points.append((Int32(lat), Int32(lon)))
        }
        return points
    }

    @Test(arguments: [(UInt64(3), 16), (4, 64), (5, 4), (6, 256)])
    func cellGridAnswersExactlyAsTheFullTests(seed: UInt64, cellsPerFence: Int) throws {
        let fences = try Geofence.readCollection(
            Array(SyntheticFences.geoJSON(count: 500, seed: seed, sideM: 6_000).utf8))
        let index = GeofenceIndex(fences: fences, cellsPerFence: cellsPerFence)
        let cells = index.cells
        #expect(cells.holds.filter { $0 }.count >= fences.count * 9 / 10, "the cell grid holds the fences")
        var points = probePoints(fences, cells, seed: seed)
        points += SyntheticFences.points(count: 1_000, seed: seed + 100, sideM: 6_000)
        var found: [Int32] = []
        var tags = Set<UInt32>()
        var hits = 0
        var thresholds = 0
        var (inline, overflowed) = (0, 0)
        // The batch API answers the same, point by point (its groups end mid-array too).
        var batchFences: [Int32] = []
        var ends: [Int] = []
        index.containing(points, fences: &batchFences, ends: &ends)
        #expect(ends.count == points.count)
        for (n, point) in points.enumerated() {
            let brute = bruteForce(index, point)
            let batch = batchFences[(n == 0 ? 0 : ends[n - 1])..<ends[n]]
            #expect(batch.sorted() == brute, "batch: seed \(seed) point \(n) \(point)")
            index.containing(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7, into: &found)
            #expect(found.sorted() == brute, "seed \(seed) point \(n) \(point)")
            #expect(index.countContaining(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) == brute.count)
            var candidates: [Int32] = []
            index.forEachCandidate(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) {
                candidates.append(Int32($0))
            }
            #expect(Set(candidates).count == candidates.count && Set(brute).isSubset(of: Set(candidates)))
            cells.forEachEntry(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) { _, word, entry in
                tags.insert(word & 7)
                if word & 7 >= GeofenceCellGrid.tagPolygonEven { thresholds += Int(entry[1] >> 16) }
            }
            if cells.place(cells.slot(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7)).overflowed {
                overflowed += 1
            } else {
                inline += 1
            }
            hits += brute.count
        }
        #expect(hits > points.count / 4, "dense enough to test something (\(hits) hits)")
        // Every kind of entry was exercised (the full-test fallback is for rare fences only),
        // polygon entries with thresholds, and cells inline and in the overflow table.
        let kinds: [UInt32] = [
            GeofenceCellGrid.tagInside, GeofenceCellGrid.tagCircle, GeofenceCellGrid.tagPolygonEven,
            GeofenceCellGrid.tagPolygonOdd, GeofenceCellGrid.tagCorridor, GeofenceCellGrid.tagPolygonBoxedEven,
            GeofenceCellGrid.tagPolygonBoxedOdd,
        ]
        #expect(Set(kinds).isSubset(of: tags), "entry kinds seen: \(tags.sorted())")
        #expect(thresholds > 0, "polygon entries with thresholds")
        #expect(inline > 0 && overflowed > 0, "cells inline \(inline), overflowed \(overflowed)")
    }

    /// Fences in two towns 500 km apart: too sparse for one dense table, so the hashed grid
    /// answers everything, still exactly.
    @Test func sparseTownsFallBackToTheHashedGrid() throws {
        var fences = try Geofence.readCollection(
            Array(SyntheticFences.geoJSON(count: 150, seed: 7, sideM: 4_000).utf8))
        let far = fences.enumerated().map { i, fence -> Geofence in
            var copy = fence
            copy.id = "far\(i)"
            func shift(_ p: GeoPosition) -> GeoPosition {
                GeoPosition(longitude: p.longitude + 5, latitude: p.latitude)
            }
            switch fence.shape {
            case .circle(let c, let r): copy.shape = .circle(center: shift(c), radiusM: r)
            case .polygon(let rings): copy.shape = .polygon(rings.map { $0.map(shift) })
            case .multiPolygon(let p): copy.shape = .multiPolygon(p.map { $0.map { $0.map(shift) } })
            case .corridor(let line, let w): copy.shape = .corridor(line: line.map(shift), widthM: w)
            }
            return copy
        }
        fences += far
        let index = GeofenceIndex(fences: fences)
        #expect(index.cells.holds.allSatisfy { !$0 })
        var points = SyntheticFences.points(count: 400, seed: 8, sideM: 4_000)
        points += points.map { ($0.latitudeE7, $0.longitudeE7 + 50_000_000) }
        var hits = 0
        var batchFences: [Int32] = []
        var ends: [Int] = []
        index.containing(points, fences: &batchFences, ends: &ends)
        for (n, point) in points.enumerated() {
            let brute = bruteForce(index, point)
            #expect(index.countContaining(latitudeE7: point.latitudeE7, longitudeE7: point.longitudeE7) == brute.count)
            #expect(batchFences[(n == 0 ? 0 : ends[n - 1])..<ends[n]].sorted() == brute)
            hits += brute.count
        }
        #expect(hits > 100)
        index.containing([], fences: &batchFences, ends: &ends)
        #expect(batchFences.isEmpty && ends.isEmpty)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
