import FieldtraceCore
import FieldtraceStore
import Testing

@testable import FieldtraceQuery

@Suite struct PositionLocatorTests {
    static let day = Fixtures.dayStart
    static let plane = LocalTangentPlane(originLatitude: 31.23, originLongitude: 121.47)

    /// Fixes every 10 s walking east at 1 m/s for 100 s, then nothing for an hour, then 10 more;
    /// the last 3 stay in the WAL buffer.
    static let fixes: [Fix] =
        (0...10).map { Fixtures.fix(Double($0 * 10), east: Double($0 * 10), accuracyM: 6) }
        + (0..<10).map { Fixtures.fix(3700 + Double($0), east: 100, hdop: 1) }

    static func locator(_ dir: TemporaryDirectory) throws -> (TrackStore, PositionLocator) {
        let store = try Fixtures.store(dir, fixes.map { $0.canonicalized() }, buffered: 3)
        return (store, PositionLocator(store: store))
    }

    static func east(_ p: PositionEstimate) -> Double {
        plane.project(latitude: Double(p.latitudeE7!) / 1e7, longitude: Double(p.longitudeE7!) / 1e7).eastM
    }

    @Test func aFixAtTheInstantIsExactWithItsAccuracy() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let (store, locator) = try Self.locator(dir)
        defer { try? store.close() }
        let p = try locator.position(device: Fixtures.device, atMs: Self.day + 30_000)
        #expect(p.status == .exact && p.latitudeE7 == Self.fixes[3].latitudeE7 && p.before == p.after)
        // 6 m at 68% is a per-axis sigma of 3.97 m, 9.73 m at 95%.
        #expect(abs(p.radiusMeters! - 6 / 1.509_592_185 * 2.447_746_83) < 1e-6)
        // In the buffer too.
        #expect(try locator.position(device: Fixtures.device, atMs: Self.day + 3_709_000).status == .exact)
    }

    @Test func betweenFixesItInterpolatesWithAccuracyAndMotion() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let (store, locator) = try Self.locator(dir)
        defer { try? store.close() }
        let p = try locator.position(device: Fixtures.device, atMs: Self.day + 32_500)
        #expect(p.status == .interpolated)
        #expect(abs(Self.east(p) - 32.5) < 0.05)
        #expect(p.before?.timeMs == Self.day + 30_000 && p.after?.timeMs == Self.day + 40_000)
        // 1 m/s observed, 1.5 m/s floor: budget 15 m over 10 m, a quarter of the way.
        let motion = PositionModel.motionRadiusMeters(distanceMeters: 10, budgetMeters: 15, fraction: 0.25)
        #expect(p.assumedSpeedMps == 1.5)
        #expect(abs(p.radiusMeters! - (9.7266 + motion)) < 0.05)
        #expect(motion > 0 && motion < 0.25 * (15 + 10))
        // Across the segment/buffer boundary (fixes 16 and 17 of 20).
        let q = try locator.position(device: Fixtures.device, atMs: Self.day + 3_706_500)
        #expect(q.status == .interpolated && q.before?.timeMs == Self.day + 3_706_000)
    }

    @Test func gapsAndTheEndsOfTheTrackGiveNoPosition() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let (store, locator) = try Self.locator(dir)
        defer { try? store.close() }
        func status(_ seconds: Int64, _ device: DeviceID = Fixtures.device) throws -> PositionEstimate.Status {
            try locator.position(device: device, atMs: Self.day + seconds * 1000).status
        }
        #expect(try status(-1) == .beforeTrack)
        #expect(try status(-86_400) == .beforeTrack)
        #expect(try status(3710) == .afterTrack)
        #expect(try status(1000) == .gap)  // an hour without fixes, nothing within 10 minutes
        #expect(try status(200) == .gap)  // the fix before is within 10 minutes, the one after is not
        let p = try locator.position(device: Fixtures.device, atMs: Self.day + 200_000)
        #expect(p.before?.timeMs == Self.day + 100_000 && p.after == nil && p.latitudeE7 == nil)
        #expect(try status(5, DeviceID("nobody")!) == .noTrack)
    }

    @Test func aGapJustOverTheLimitIsNotInterpolated() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let fixes = [Fixtures.fix(0), Fixtures.fix(600), Fixtures.fix(1200.001)]
        let store = try Fixtures.store(dir, fixes)
        defer { try? store.close() }
        let locator = PositionLocator(store: store)
        #expect(try locator.position(device: Fixtures.device, atMs: Self.day + 300_000).status == .interpolated)
        let p = try locator.position(device: Fixtures.device, atMs: Self.day + 900_000)
        #expect(p.status == .gap && p.before?.timeMs == Self.day + 600_000 && p.after?.timeMs == Self.day + 1_200_001)
        // Standing still for 10 minutes: the worker could have walked 225 m away and back.
        let still = try locator.position(device: Fixtures.device, atMs: Self.day + 300_000)
        // Fixes without accuracy or HDOP: 5 m per axis, 12.24 m at 95%; then 450 m of motion.
        #expect(abs(still.radiusMeters! - (5 * 2.447_746_83 + 450)) < 0.01)
    }

    @Test func invalidAndOutlierFixesAreSkipped() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        var outlier = Fixtures.fix(10, east: 500)
        outlier.flags.insert(.outlier)
        let fixes = [Fixtures.fix(0), Fixtures.fix(5, east: 900, flags: []), outlier, Fixtures.fix(20, east: 20)]
        let store = try Fixtures.store(dir, fixes)
        defer { try? store.close() }
        let p = try PositionLocator(store: store).position(device: Fixtures.device, atMs: Self.day + 10_000)
        #expect(p.status == .interpolated && abs(Self.east(p) - 10) < 0.05)
    }

    @Test func theMotionTermIsTheLensBetweenTheTwoReachableDiscs() {
        // Straight at exactly the budget: no room to deviate.
        #expect(PositionModel.motionRadiusMeters(distanceMeters: 100, budgetMeters: 100, fraction: 0.3) < 1e-6)
        // Standing still: the smaller of the two discs.
        #expect(PositionModel.motionRadiusMeters(distanceMeters: 0, budgetMeters: 100, fraction: 0.3) == 30)
        // Halfway with budget 2d: the circles meet at (d/2, sqrt(d^2 - d^2/4)).
        let r = PositionModel.motionRadiusMeters(distanceMeters: 10, budgetMeters: 20, fraction: 0.5)
        #expect(abs(r - (100 - 25).squareRoot()) < 1e-9)
        // Near an end with a large budget, one disc holds the other: the small disc around the start.
        #expect(PositionModel.motionRadiusMeters(distanceMeters: 1, budgetMeters: 100, fraction: 0.01) == 0.01 + 1)
        // Never more than the distance the device could be from the interpolated point.
        for f in stride(from: 0.0, through: 1.0, by: 0.05) {
            let r = PositionModel.motionRadiusMeters(distanceMeters: 40, budgetMeters: 90, fraction: f)
            #expect(r >= 0 && r <= min(f, 1 - f) * (90 + 40) + 1e-9)
        }
    }

    @Test func theAnswerIsJSONWithNullsWhereThereIsNoPosition() throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let (store, locator) = try Self.locator(dir)
        defer { try? store.close() }
        let located = try ParseBack.json(
            QueryJSON.position(locator.position(device: Fixtures.device, atMs: Self.day + 32_500)))
        #expect(located["status"]?.stringValue == "interpolated" && located["exact"] == .bool(false))
        #expect(located["at"]?.stringValue == "2025-11-29T00:00:32.500Z" && located["radius_m"]?.doubleValue != nil)
        #expect(try ParseBack.fix(located["before"]!).timeMs == Self.day + 30_000)
        let gap = try ParseBack.json(
            QueryJSON.position(locator.position(device: Fixtures.device, atMs: Self.day + 1_000_000)))
        #expect(gap["status"]?.stringValue == "gap" && gap["lat"] == .null && gap["radius_m"] == .null)
        #expect(gap["before"] == .null && gap["after"] == .null)
    }
}
