import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceStore

/// `replayColumns` gives what `replay` gives (as columns) wherever it answers, and declines
/// (nil) where segments overlap.
@Suite struct TrackColumnsTests {
    static let start = TrackStoreTests.start

    static func columns(_ fixes: [Fix]) -> TrackColumns? { TrackColumns(fixes: fixes) }

    @Test func sameAsReplayAcrossSegmentsRangesAndTheBuffer() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.segmentMaxFixes = 500
        let fixes = TrackStoreTests.day(4, seconds: 3000)
        let device = fixes[0].device
        let store = try TrackStore(directory: dir.path, options: options)
        defer { try? store.close() }
        try store.append(Array(fixes[..<2600]))
        try store.flush()
        try store.append(Array(fixes[2600...]))  // stays buffered
        #expect(try store.stats().bufferedFixes == 400 && store.stats().segments >= 6)
        let ranges: [(Int64, Int64)] = [
            (.min, .max), (Self.start + 123_456, Self.start + 2_000_000),
            (Self.start + 2_500_000, Self.start + 2_700_500),
            (Self.start + 2_800_000, Self.start + 2_800_000), (Self.start - 10, Self.start + 10),
            (Self.start + 9_000_000, .max),
        ]
        for (from, to) in ranges {
            let replayed = try store.replay(device: device, from: from, to: to)
            let columns = try #require(try store.replayColumns(device: device, from: from, to: to))
            #expect(columns == Self.columns(replayed), "[\(from), \(to)]")
            #expect(columns.count == replayed.count)
            #expect((0..<columns.count).allSatisfy { columns.altitudeM($0) == replayed[$0].altitudeM })
        }
        #expect(try store.replayColumns(device: DeviceID("nobody")!)?.count == 0)
    }

    /// Segments where some fixes have no altitude (a presence bitmap) and where none has one.
    @Test func absentAltitudesStayAbsent() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = StoreOptions()
        options.segmentMaxFixes = 300
        var fixes = TrackStoreTests.day(7, seconds: 900)
        for i in fixes.indices where i % 7 == 3 || i >= 600 { fixes[i].altitudeM = nil }
        let device = fixes[0].device
        let store = try TrackStore(directory: dir.path, options: options)
        defer { try? store.close() }
        try store.append(fixes)
        try store.flush()
        let columns = try #require(try store.replayColumns(device: device))
        let replayed = try store.replay(device: device)
        #expect(columns == Self.columns(replayed) && columns.count == 900)
        #expect((0..<900).allSatisfy { (columns.altitudeM($0) == nil) == (fixes[$0].altitudeM == nil) })
        let part = try #require(
            try store.replayColumns(device: device, from: Self.start + 250_000, to: Self.start + 650_000))
        #expect(
            part == Self.columns(try store.replay(device: device, from: Self.start + 250_000, to: Self.start + 650_000))
        )
    }

    @Test func declinesOverlappingSegments() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixes = TrackStoreTests.day(5, seconds: 3000)
        let device = fixes[0].device
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        try store.append(Array(fixes[..<1000]) + Array(fixes[2000...]))
        try store.flush()
        try store.append(Array(fixes[1000..<2000]))  // late: a segment inside the others' span
        try store.flush()
        #expect(try store.replayColumns(device: device) == nil)
        // A range within one segment has no overlap.
        let inner = try store.replayColumns(device: device, from: Self.start, to: Self.start + 500_000)
        #expect(inner == Self.columns(try store.replay(device: device, from: Self.start, to: Self.start + 500_000)))
    }

    @Test func aDamagedSegmentIsAnError() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        try store.append(TrackStoreTests.day(6, seconds: 3600))
        try store.flush()
        let entry = try flipABitInTheFirstSegment(of: store, in: dir.path)
        #expect(throws: StoreError.self) { _ = try store.replayColumns(device: entry.device) }
    }
}
