import FieldtraceCore
import FieldtraceReports
import FieldtraceTestSupport
import Testing

@Suite struct LiveFleetTests {
    static let nowMs: Int64 = 1_764_400_000_000

    static func fix(_ device: String, lat: Double, lon: Double, atMs: Int64 = nowMs, speed: Double? = nil) -> Fix {
        Fix(
            device: DeviceID(device)!, timeMs: atMs, receivedMs: atMs, latitudeE7: Int32((lat * 1e7).rounded()),
            longitudeE7: Int32((lon * 1e7).rounded()), speedMps: speed, source: .osmand)
    }

    /// Against a brute-force haversine sort, on seeded random fleets and query points.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func nearestMatchesBruteForce(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let fleet = LiveFleet()
        var fixes: [Fix] = []
        for i in 0..<2000 {
            // Most in a city, some across the world.
            let wide = i % 10 == 0
            let lat =
                wide ? Double.random(in: -80...80, using: &rng) : 31.2 + Double.random(in: -0.3...0.3, using: &rng)
            let lon =
                wide ? Double.random(in: -180...180, using: &rng) : 121.4 + Double.random(in: -0.3...0.3, using: &rng)
            let f = Self.fix("w\(i)", lat: lat, lon: lon)
            fixes.append(f)
            fleet.update(f, tenant: "t", group: i % 3 == 0 ? "g" : nil)
        }
        for q in 0..<50 {
            let lat =
                q % 5 == 0
                ? Double.random(in: -80...80, using: &rng) : 31.2 + Double.random(in: -0.3...0.3, using: &rng)
            let lon =
                q % 5 == 0
                ? Double.random(in: -180...180, using: &rng) : 121.4 + Double.random(in: -0.3...0.3, using: &rng)
            let (qLat, qLon) = (Int32((lat * 1e7).rounded()), Int32((lon * 1e7).rounded()))
            let got = fleet.nearest(
                latitudeE7: qLat, longitudeE7: qLon, n: 7, tenant: "t", nowMs: Self.nowMs, maxAgeS: 60)
            let expected = fixes.map { f in
                (
                    f.device,
                    Geodesy.haversineMeters(
                        lat1: Double(qLat) / 1e7, lon1: Double(qLon) / 1e7, lat2: Double(f.latitudeE7) / 1e7,
                        lon2: Double(f.longitudeE7) / 1e7)
                )
            }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(7)
            #expect(got.map(\.position.device) == expected.map(\.0), "seed \(seed) query \(q)")
            for (g, e) in zip(got, expected) { #expect(abs(g.distanceM - e.1) < 0.01, "seed \(seed)") }
            let inGroup = fleet.nearest(
                latitudeE7: qLat, longitudeE7: qLon, n: 3, tenant: "t", group: "g", nowMs: Self.nowMs, maxAgeS: 60)
            #expect(inGroup.count == 3 && inGroup.allSatisfy { $0.position.group == "g" })
        }
    }

    @Test func tenantsAgeMotionAndOrder() {
        let fleet = LiveFleet()
        fleet.update(Self.fix("a", lat: 31.2, lon: 121.4, speed: 5), tenant: "t1", group: nil)
        fleet.update(Self.fix("b", lat: 31.201, lon: 121.4, speed: 0.2), tenant: "t1", group: nil)
        fleet.update(Self.fix("c", lat: 31.2, lon: 121.4), tenant: "t2", group: nil)
        fleet.update(Self.fix("d", lat: 31.2, lon: 121.4, atMs: Self.nowMs - 3_600_000), tenant: "t1", group: nil)
        // An older fix does not replace a newer one.
        fleet.update(Self.fix("a", lat: 40, lon: 10, atMs: Self.nowMs - 1000), tenant: "t1", group: nil)
        let near = fleet.nearest(
            latitudeE7: 312_000_000, longitudeE7: 1_214_000_000, n: 10, tenant: "t1", nowMs: Self.nowMs + 2000,
            maxAgeS: 600)
        #expect(near.map(\.position.device.rawValue) == ["a", "b"], "t2's worker and the stale one are left out")
        #expect(near[0].distanceM < 0.01 && abs(near[1].distanceM - 111.2) < 0.5)
        #expect(near[0].position.motion == .moving && near[1].position.motion == .stopped)
        #expect(near[0].ageS == 2)
        #expect(fleet.position(of: DeviceID("c")!, tenant: "t1") == nil)
        #expect(fleet.position(of: DeviceID("c")!, tenant: "t2")?.motion == .unknown)
        #expect(fleet.nearest(latitudeE7: 0, longitudeE7: 0, n: 5, tenant: "nobody", nowMs: 0, maxAgeS: 1).isEmpty)
        #expect(fleet.nearest(latitudeE7: 0, longitudeE7: 0, n: 0, tenant: "t1", nowMs: 0, maxAgeS: 1).isEmpty)
        // Ties by device id; across the antimeridian the nearest is the one just over the line.
        fleet.update(Self.fix("e", lat: 0, lon: 179.999), tenant: "t3", group: nil)
        fleet.update(Self.fix("f", lat: 0, lon: -179.999), tenant: "t3", group: nil)
        fleet.update(Self.fix("g", lat: 0, lon: 179.9), tenant: "t3", group: nil)
        let line = fleet.nearest(
            latitudeE7: 0, longitudeE7: 1_799_995_000, n: 3, tenant: "t3", nowMs: Self.nowMs, maxAgeS: 60)
        #expect(line.map(\.position.device.rawValue) == ["e", "f", "g"])
        let over = fleet.nearest(
            latitudeE7: 0, longitudeE7: -1_799_995_000, n: 2, tenant: "t3", nowMs: Self.nowMs, maxAgeS: 60)
        #expect(over.map(\.position.device.rawValue) == ["f", "e"])
        #expect(abs(over[1].distanceM - 166.8) < 0.5, "0.0015 degrees at the equator, across the line")
        for id in ["j", "h", "i"] { fleet.update(Self.fix(id, lat: 10, lon: 10), tenant: "t4", group: nil) }
        let tied = fleet.nearest(
            latitudeE7: 100_000_000, longitudeE7: 100_010_000, n: 2, tenant: "t4", nowMs: Self.nowMs, maxAgeS: 60)
        #expect(tied.map(\.position.device.rawValue) == ["h", "i"])
    }

    @Test func changesSinceAVersion() {
        let fleet = LiveFleet()
        fleet.update(Self.fix("a", lat: 1, lon: 1), tenant: "t", group: nil)
        fleet.update(Self.fix("b", lat: 1, lon: 1), tenant: "t", group: "g")
        fleet.update(Self.fix("c", lat: 1, lon: 1), tenant: "u", group: nil)
        let (all, v1) = fleet.changes(since: 0, tenant: "t")
        #expect(all.map(\.device.rawValue) == ["a", "b"])
        #expect(fleet.changes(since: v1, tenant: "t").0.isEmpty)
        fleet.update(Self.fix("b", lat: 2, lon: 1, atMs: Self.nowMs + 1000), tenant: "t", group: "g")
        fleet.update(Self.fix("a", lat: 2, lon: 1, atMs: Self.nowMs - 1000), tenant: "t", group: nil)  // older: ignored
        let (moved, v2) = fleet.changes(since: v1, tenant: "t")
        #expect(moved.map(\.device.rawValue) == ["b"] && v2 > v1)
        #expect(fleet.changes(since: v1, tenant: "t", group: "other").0.isEmpty)
    }

    struct Failing: FixSink {
        struct Failure: Error {}
        func accept(_ batch: [Fix]) async throws -> FixReceipt { throw Failure() }
    }

    struct Accepting: FixSink {
        func accept(_ batch: [Fix]) async throws -> FixReceipt { FixReceipt(accepted: batch.count) }
    }

    @Test func theSinkFilesOnlyDurableValidFixes() async throws {
        let fleet = LiveFleet()
        let failing = LiveFleetSink(Failing(), fleet: fleet, filing: { _ in ("t", nil) })
        await #expect(throws: Failing.Failure.self) {
            try await failing.accept([Self.fix("a", lat: 1, lon: 1)])
        }
        #expect(fleet.count == 0, "a batch that is not durable is not filed")
        let sink = LiveFleetSink(Accepting(), fleet: fleet, filing: { d in ("t", d.rawValue == "a" ? "g" : nil) })
        var invalid = Self.fix("b", lat: 2, lon: 2)
        invalid.flags.remove(.valid)
        var future = Self.fix("c", lat: 3, lon: 3)
        future.timeMs += 3_600_000
        _ = try await sink.accept([
            Self.fix("a", lat: 1, lon: 1, atMs: Self.nowMs - 5000), Self.fix("a", lat: 1.5, lon: 1), invalid, future,
        ])
        #expect(fleet.count == 1)
        let a = try #require(fleet.position(of: DeviceID("a")!, tenant: "t"))
        #expect(a.latitudeE7 == 15_000_000 && a.group == "g")
    }
}
