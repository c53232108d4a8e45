import FieldtraceCore
import FieldtraceStore
import Testing

@testable import FieldtraceQuery

@Suite struct LatestPositionsTests {
    static func id(_ i: Int) -> DeviceID { DeviceID("d\(i)")! }

    @Test func newestFixComesFromTheBufferOrTheNewestSegment() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        var options = StoreOptions()
        options.segmentMaxFixes = 50
        let store = try TrackStore(directory: dir.path, options: options)
        defer { try? store.close() }
        // d0: all in segments; d1: segments plus a buffered tail; d2: only buffered; d3: nothing.
        let d0 = Fixtures.simulated(seconds: 120, seed: 1, device: Self.id(0))
        let d1 = Fixtures.simulated(seconds: 130, seed: 2, device: Self.id(1))
        let d2 = Fixtures.simulated(seconds: 10, seed: 3, device: Self.id(2))
        try store.append(d0 + Array(d1[..<100]))
        try store.flush()
        try store.append(Array(d1[100...]) + d2)
        // A late fix older than d0's newest lands in its own segment and must not win.
        try store.append([Fixtures.fix(5, device: Self.id(0))])
        try store.flush(devices: [Self.id(0)])
        let latest = LatestPositions(store: store)
        #expect(try latest.fixes(devices: (0..<4).map(Self.id)) == [d0.last!, d1.last!, d2.last!])
        #expect(latest.cache.count == 1)  // d0's segment was decoded once and remembered
        #expect(try latest.fixes(devices: [Self.id(2), Self.id(0)]) == [d2.last!, d0.last!])
        #expect(latest.cache.count == 1)
        // A newer fix for d0 in the buffer wins over its segments.
        let newer = Fixtures.fix(500, device: Self.id(0)).canonicalized()
        try store.append([newer])
        #expect(try latest.fixes(devices: [Self.id(0)]) == [newer])
        // Once sealed, the new segment is read (and remembered) instead.
        try store.flush()
        #expect(try latest.fixes(devices: [Self.id(0)]) == [newer] && latest.cache.count == 2)
    }

    @Test func manyDevicesAcrossLockBatchesAndAFullCache() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let devices = (0..<600).map(Self.id)
        let fixes = devices.enumerated().flatMap { i, id in
            [Fixtures.fix(Double(i), device: id), Fixtures.fix(Double(i) + 1000, device: id, accuracyM: 3)]
        }
        let store = try Fixtures.store(dir, fixes)
        defer { try? store.close() }
        let latest = LatestPositions(store: store, cache: SegmentTailCache(capacity: 100))
        let newest = try latest.fixes(devices: devices.reversed())
        #expect(newest.map(\.device) == devices.reversed())
        #expect(newest.allSatisfy { $0.accuracyM == 3 })
        #expect(latest.cache.count <= 100)
        #expect(try latest.fixes(devices: devices) == newest.reversed())
    }

    @Test func theListIsJSON() throws {
        let fixes = [Fixtures.fix(1), Fixtures.fix(2, device: Self.id(1))]
        let json = try ParseBack.json(QueryJSON.latest(fixes, nextCursor: "6431"))
        #expect(try json["items"]?.arrayValue?.map(ParseBack.fix) == fixes)
        #expect(json["next_cursor"]?.stringValue == "6431")
        #expect(try ParseBack.json(QueryJSON.latest([], nextCursor: nil))["next_cursor"] == .null)
    }
}
