import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Testing

@testable import FieldtraceQuery

@Suite struct TrackReaderTests {
    static let day = Fixtures.dayStart
    static let device = Fixtures.device

    static func request(
        _ from: Int64, _ to: Int64, smoothing: TrackSmoothing = .none, simplify: Double? = nil, level: Int = 0
    ) -> TrackRequest {
        TrackRequest(
            device: device, range: (day + from * 1000)..<(day + to * 1000), smoothing: smoothing,
            simplifyMeters: simplify, level: level)
    }

    /// Small segments (100 fixes), so ranges cross several, and the last 150 fixes left in the
    /// WAL buffer.
    static func options() -> StoreOptions {
        var options = StoreOptions()
        options.segmentMaxFixes = 100
        return options
    }

    @Test func rangesAreHalfOpenAndCrossSegmentsAndTheBuffer() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let fixes = Fixtures.simulated(seconds: 1000)
        let store = try Fixtures.store(dir, fixes, buffered: 150, options: Self.options())
        defer { try? store.close() }
        #expect(try store.stats().bufferedFixes > 0 && store.stats().segments >= 8)
        let reader = TrackReader(store: store)
        #expect(try reader.fixes(for: Self.request(0, 1000)) == fixes)
        // [50 s, 900 s): from the middle of a segment into the buffer; the fix at 900 s is out.
        #expect(try reader.fixes(for: Self.request(50, 900)) == Array(fixes[50..<900]))
        #expect(try reader.fixes(for: Self.request(899, 900)) == [fixes[899]])
        #expect(try reader.fixes(for: Self.request(2000, 3000)).isEmpty)
        #expect(
            try reader.fixes(for: TrackRequest(device: DeviceID("nobody")!, range: Self.day..<(Self.day + 1000)))
                .isEmpty)
    }

    @Test func lateFixesInOverlappingSegmentsComeOutMergedOnce() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let fixes = Fixtures.simulated(seconds: 300)
        let odd = fixes.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let even = fixes.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        try store.append(odd)
        try store.flush()
        try store.append(even + Array(odd[0..<10]))  // late data, with duplicates
        try store.flush()
        #expect(try TrackReader(store: store).fixes(for: Self.request(0, 300)) == fixes)
    }

    @Test func smoothingKeepsCleanFixesAtTheirEstimatesAndDropsOutliers() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        // A walk east at 1.5 m/s with a 2 km jump at 100 s.
        var fixes = (0..<200).map { Fixtures.fix(Double($0), east: 1.5 * Double($0), accuracyM: 5) }
        fixes[100] = Fixtures.fix(100, east: 2000, north: 2000, accuracyM: 5)
        let store = try Fixtures.store(dir, fixes.map { $0.canonicalized() })
        defer { try? store.close() }
        let reader = TrackReader(store: store)
        for smoothing in [TrackSmoothing.kalman, .rts] {
            let smoothed = try reader.fixes(for: Self.request(0, 200, smoothing: smoothing))
            #expect(!smoothed.contains { $0.timeMs == fixes[100].timeMs }, "\(smoothing) keeps the jump")
            #expect(smoothed.count >= 190)
            let plane = LocalTangentPlane(originLatitude: 31.23, originLongitude: 121.47)
            for fix in smoothed {
                let p = plane.project(latitude: fix.latitude, longitude: fix.longitude)
                #expect(abs(p.northM) < 5, "\(smoothing) at \(fix.timeMs)")
            }
        }
        #expect(try reader.fixes(for: Self.request(0, 200)).count == 200)
    }

    @Test func simplificationKeepsEveryDroppedFixWithinTheToleranceAtItsTime() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let fixes = Fixtures.simulated(seconds: 3000)
        let store = try Fixtures.store(dir, fixes)
        defer { try? store.close() }
        let simplified = try TrackReader(store: store).fixes(for: Self.request(0, 3000, simplify: 10))
        #expect(simplified.count < fixes.count / 3 && simplified.count >= 2)
        #expect(simplified.first == fixes.first && simplified.last == fixes.last)
        #expect(Set(simplified.map(\.timeMs)).isSubset(of: fixes.map(\.timeMs)))
        // Synchronized distance of every original fix to the simplified track at its time.
        var k = 0
        for fix in fixes {
            while k + 1 < simplified.count - 1 && simplified[k + 1].timeMs <= fix.timeMs { k += 1 }
            let a = simplified[k]
            let b = simplified[min(k + 1, simplified.count - 1)]
            let f = b.timeMs > a.timeMs ? Double(fix.timeMs - a.timeMs) / Double(b.timeMs - a.timeMs) : 0
            let lat = a.latitude + (b.latitude - a.latitude) * f
            let lon = a.longitude + (b.longitude - a.longitude) * f
            #expect(Geodesy.haversineMeters(lat1: lat, lon1: lon, lat2: fix.latitude, lon2: fix.longitude) <= 10.05)
        }
    }

    @Test func levelOneIsTheStoredCopyWhereThereIsOneAndSimplifiedRawElsewhere() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let fixes = Fixtures.simulated(seconds: 2000)
        // 0-500 s sealed with copies, then its raw data expired.
        let first = try TrackStore(directory: dir.path, options: Self.options())
        try first.append(Array(fixes[..<500]))
        try first.flush()
        try first.catalog.setRetention(.init(rawDays: 1, allDays: nil), device: Self.device)
        try first.applyRetention(nowMs: fixes[499].timeMs + 86_400_000 + 1)
        try first.close()
        // 500-1000 s sealed by a store that wrote no copies.
        var noCopies = Self.options()
        noCopies.levelOneToleranceMeters = nil
        let old = try TrackStore(directory: dir.path, options: noCopies)
        try old.append(Array(fixes[500..<1000]))
        try old.flush()
        try old.close()
        // 1000-1950 s sealed with copies, 1950-2000 s still in the WAL buffer.
        let store = try TrackStore(directory: dir.path, options: Self.options())
        defer { try? store.close() }
        try store.append(Array(fixes[1000..<1950]))
        try store.flush()
        try store.append(Array(fixes[1950...]))
        #expect(try store.stats().bufferedFixes == 50)
        let reader = TrackReader(store: store)
        #expect(try reader.fixes(for: Self.request(0, 2000)) == Array(fixes[500...]))  // raw: 0-500 s expired
        let storedCopy = try store.replay(device: Self.device, level: 1)
        let split = storedCopy.firstIndex { $0.timeMs >= fixes[500].timeMs } ?? storedCopy.count
        let expected =
            Array(storedCopy[..<split]) + TimeAwareSimplifier.simplify(Array(fixes[500..<1000]))
            + Array(storedCopy[split...]) + TimeAwareSimplifier.simplify(Array(fixes[1950...]))
        #expect(split > 2 && storedCopy.count - split > 2)
        let levelOne = try reader.fixes(for: Self.request(0, 2000, level: 1))
        #expect(levelOne == expected)
        #expect(levelOne.count < 2000 / 3)
        // A range inside one copy reads only the copy; one inside the buffer only the buffer.
        #expect(
            try reader.fixes(for: Self.request(1200, 1300, level: 1))
                == storedCopy.filter {
                    $0.timeMs >= fixes[1200].timeMs && $0.timeMs < fixes[1300].timeMs
                })
        #expect(
            try reader.fixes(for: Self.request(1960, 1990, level: 1))
                == TimeAwareSimplifier.simplify(Array(fixes[1960..<1990])))
    }
}
