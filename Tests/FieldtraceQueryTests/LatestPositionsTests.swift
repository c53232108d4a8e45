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
        let page = try latest.page(devices: (0..<4).map(Self.id), cursor: nil, limit: 100)
        #expect(page.fixes == [d0.last!, d1.last!, d2.last!])
        #expect(page.nextCursor == nil)
        #expect(latest.cache.count == 1)  // d0's segment was decoded once and remembered
        #expect(try latest.page(devices: [Self.id(0)], cursor: nil, limit: 1).fixes == [d0.last!])
        // A newer fix for d0 in the buffer wins over its segments.
        let newer = Fixtures.fix(500, device: Self.id(0)).canonicalized()
        try store.append([newer])
        #expect(try latest.page(devices: [Self.id(0)], cursor: nil, limit: 1).fixes == [newer])
    }

    @Test func pagesWalkTheDevicesInIdOrderWithAnOpaqueCursor() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let devices = (0..<25).map(Self.id)
        let store = try Fixtures.store(
            dir,
            devices.enumerated().filter { $0.offset != 7 }.map { Fixtures.fix(Double($0.offset), device: $0.element) })
        defer { try? store.close() }
        let latest = LatestPositions(store: store)
        var seen: [DeviceID] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try latest.page(devices: devices.reversed() + devices, cursor: cursor, limit: 10)
            seen += page.fixes.map(\.device)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        #expect(pages == 3)
        #expect(seen == devices.sorted().filter { $0 != Self.id(7) })
        #expect(throws: QueryError.self) { try latest.page(devices: devices, cursor: "zz", limit: 10) }
        #expect(LatestPositions.decodeCursor(LatestPositions.encodeCursor(DeviceID("a&b=c")!)) == DeviceID("a&b=c"))
        #expect(LatestPositions.decodeCursor("00") == nil && LatestPositions.decodeCursor("") == nil)
    }

    @Test func limitIsCheckedAndTheListIsJSON() throws {
        #expect(try LatestPositions.pageParameters(QueryParameters([:])).limit == 100)
        let given = try LatestPositions.pageParameters(QueryParameters(["limit": "1000", "cursor": "6430"]))
        #expect(given.cursor == "6430" && given.limit == 1000)
        #expect(throws: QueryError.self) { try LatestPositions.pageParameters(QueryParameters(["limit": "1001"])) }
        #expect(throws: QueryError.self) { try LatestPositions.pageParameters(QueryParameters(["limit": "0"])) }
        let page = LatestPositions.Page(
            fixes: [Fixtures.fix(1), Fixtures.fix(2, device: Self.id(1))], nextCursor: "6431")
        let json = try ParseBack.json(QueryJSON.latest(page))
        #expect(try json["items"]?.arrayValue?.map(ParseBack.fix) == page.fixes)
        #expect(json["next_cursor"]?.stringValue == "6431")
        #expect(try ParseBack.json(QueryJSON.latest(.init(fixes: [], nextCursor: nil)))["next_cursor"] == .null)
    }
}
