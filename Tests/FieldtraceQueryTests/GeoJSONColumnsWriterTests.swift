import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceQuery

/// The columns writer must give `TrackRenderer`'s GeoJSON byte for byte, whatever the track and
/// however the output is cut into buffers; and the fast path must be taken exactly when it applies.
@Suite struct GeoJSONColumnsWriterTests {
    static let device = DeviceID("w\"1")!  // a device id that needs escaping

    /// A random canonical track: random gaps (ms), coordinates anywhere including the poles and
    /// the antimeridian, altitudes absent, negative, whole, with 1 or 2 decimals, or huge.
    static func randomTrack(_ random: inout SeededRandom, count: Int) -> [Fix] {
        var t = Int64(random.next() % 4_000_000_000_000) - 1_000_000_000_000
        return (0..<count).map { _ in
            t += 1 + Int64(random.next() % 120_000)
            let altitude: Double?
            switch random.next() % 6 {
            case 0: altitude = nil
            case 1: altitude = Double(Int64(random.next() % 200_000) - 100_000) / 100
            case 2: altitude = Double(Int64(random.next() % 2_000) - 1_000)
            case 3: altitude = Double(Int64(random.next() % 20_000) - 10_000) / 10
            case 4: altitude = Double(Int64(random.next() % 1_000_000_000_000) * 100 + 7) / 100
            default: altitude = 0
            }
            let edges: [Int32] = [0, 1, -1, 10, 100_000, 900_000_000, -900_000_000]
            let lat =
                random.next() % 8 == 0
                ? edges[Int(random.next() % UInt64(edges.count))]
                : Int32(Int64(random.next() % 1_800_000_001) - 900_000_000)
            let lon =
                random.next() % 8 == 0
                ? edges[Int(random.next() % UInt64(edges.count))] * 2
                : Int32(Int64(random.next() % 3_600_000_001) - 1_800_000_000)
            return Fix(
                device: device, timeMs: t, latitudeE7: lat, longitudeE7: lon, altitudeM: altitude, flags: .valid
            ).canonicalized()
        }
    }

    /// The writer's bytes through buffers of `size`.
    static func written(_ columns: TrackColumns, bufferBytes size: Int) -> [UInt8] {
        var writer = GeoJSONColumnsWriter(device: device, columns: columns)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: size)
        var calls = 0
        while !writer.isFinished {
            let n = buffer.withUnsafeMutableBytes { writer.write(into: $0) }
            #expect(n > 0 && n <= size)
            out += buffer[..<n]
            calls += 1
            if calls > 1_000_000 { break }
        }
        return out
    }

    @Test(arguments: [0, 1, 2, 3, 50, 2000])
    func sameBytesAsTheFixRenderer(count: Int) throws {
        var random = SeededRandom(seed: UInt64(count) + 11)
        for _ in 0..<5 {
            let fixes = Self.randomTrack(&random, count: count)
            let expected = TrackRenderer.render(.geojson, device: Self.device, fixes: fixes)
            let columns = try #require(TrackColumns(fixes: fixes))
            #expect(GeoJSONColumnsWriter.render(device: Self.device, columns: columns) == expected)
            for size in [GeoJSONColumnsWriter.minimumBufferBytes, 131, 1000, 65_536] {
                #expect(Self.written(columns, bufferBytes: size) == expected, "buffer \(size)")
            }
        }
    }

    @Test func simulatedDayIsIdentical() throws {
        let fixes = Fixtures.simulated(seconds: 7200)
        let columns = try #require(TrackColumns(fixes: fixes))
        #expect(
            GeoJSONColumnsWriter.render(device: Fixtures.device, columns: columns)
                == TrackRenderer.render(.geojson, device: Fixtures.device, fixes: fixes))
        #expect(columns.count == 7200 && columns.altitudeM(5) == fixes[5].altitudeM)
    }

    @Test func centimetresAreTheDecimalOfTheStoredDouble() {
        var random = SeededRandom(seed: 5)
        var values: [Int64] = [0, 1, -1, 5, 10, 99, 100, 101, 110, 999, 1000, 99_999, 100_000, -100_000, 123_456_789]
        for _ in 0..<5000 {
            let scale: [UInt64] = [100, 10_000, 1_000_000, 10_000_000_000]
            values.append(Int64(random.next() % scale[Int(random.next() % 4)]) * (random.next() % 2 == 0 ? 1 : -1))
        }
        for cm in values {
            let fast = FastTextTests.written { FastText.centimetres(cm, $0) }
            #expect(fast == FastTextTests.written { FastText.decimal(cm, decimals: 2, negative: cm < 0, $0) })
            #expect(fast == FastTextTests.written { FastText.number(Double(cm) / 100, $0) }, "\(cm)")
        }
    }

    @Test func altitudesWithoutAnExactCentimetreAreRefused() {
        var fix = Fixtures.fix(0)
        fix.altitudeM = 1.005
        #expect(TrackColumns(fixes: [fix]) == nil)
        fix.altitudeM = .nan
        #expect(TrackColumns(fixes: [fix]) == nil)
        fix.altitudeM = 1e15
        #expect(TrackColumns(fixes: [fix]) == nil)
        fix.altitudeM = -12.34
        #expect(TrackColumns(fixes: [fix])?.altitudesCm == [-1234])
    }

    @Test func readerTakesTheColumnsOnlyForThePlainStoredTrack() throws {
        let dir = TemporaryDirectory("query-columns")
        defer { dir.remove() }
        var options = StoreOptions()
        options.segmentMaxFixes = 100
        let fixes = Fixtures.simulated(seconds: 1000)
        let store = try Fixtures.store(dir, fixes, buffered: 150, options: options)
        defer { try? store.close() }
        let reader = TrackReader(store: store)
        let day = Fixtures.dayStart
        for (from, to) in [(0, 1000), (50, 900), (899, 900), (950, 999), (2000, 3000)] {
            let request = TrackRequest(
                device: Fixtures.device, range: (day + Int64(from) * 1000)..<(day + Int64(to) * 1000), format: .geojson)
            let writer = try #require(try reader.geoJSONWriter(for: request))
            var bytes: [UInt8] = []
            var w = writer
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !w.isFinished {
                let n = buffer.withUnsafeMutableBytes { w.write(into: $0) }
                bytes += buffer[..<n]
            }
            let old = TrackRenderer.render(.geojson, device: Fixtures.device, fixes: try reader.fixes(for: request))
            #expect(bytes == old, "[\(from), \(to))")
        }
        let range = day..<(day + 1_000_000)
        for request in [
            TrackRequest(device: Fixtures.device, range: range, format: .json),
            TrackRequest(device: Fixtures.device, range: range, format: .geojson, smoothing: .rts),
            TrackRequest(device: Fixtures.device, range: range, format: .geojson, simplifyMeters: 5),
            TrackRequest(device: Fixtures.device, range: range, format: .geojson, level: 1),
            TrackRequest(device: Fixtures.device, range: day..<day, format: .geojson),
        ] {
            #expect(try reader.geoJSONWriter(for: request) == nil)
        }
    }
}
