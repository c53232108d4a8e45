import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceQuery

@Suite struct TrackRendererTests {
    static let fixes: [Fix] = {
        var fixes = Fixtures.simulated(seconds: 600)
        // Absent values, flags and extremes must survive too.
        fixes[3].altitudeM = nil
        fixes[3].hdop = nil
        fixes[3].satellites = nil
        fixes[4].flags = [.late]
        fixes[5].latitudeE7 = -899_999_999
        fixes[5].longitudeE7 = 1_800_000_000
        fixes[6].receivedMs = fixes[6].timeMs + 1500
        return fixes
    }()
    static let range = Fixtures.dayStart..<(Fixtures.dayStart + 3_600_000)

    static func plain(_ fix: Fix) -> Fix {
        var f = fix
        f.source = .unknown
        f.receivedMs = nil
        return f
    }

    @Test func jsonParsesBackToTheFixes() throws {
        let bytes = TrackRenderer.render(.json, device: Fixtures.device, fixes: Self.fixes, range: Self.range)
        let (header, fixes) = try ParseBack.jsonTrack(bytes)
        #expect(fixes == Self.fixes.map(Self.plain))
        #expect(header["device"]?.stringValue == "w1" && header["count"]?.doubleValue == 600)
        #expect(header["from"]?.stringValue == "2025-11-29T00:00:00.000Z")
        #expect(header["to"]?.stringValue == "2025-11-29T01:00:00.000Z")
    }

    @Test func geoJSONIsOneLineStringWithParallelTimes() throws {
        let bytes = TrackRenderer.render(.geojson, device: Fixtures.device, fixes: Self.fixes)
        let points = try ParseBack.geoJSON(bytes)
        #expect(points.map(\.timeMs) == Self.fixes.map(\.timeMs))
        #expect(points.map(\.lat) == Self.fixes.map(\.latitudeE7))
        #expect(points.map(\.lon) == Self.fixes.map(\.longitudeE7))
        #expect(points.map(\.alt) == Self.fixes.map(\.altitudeM))
        let document = try ParseBack.json(bytes)
        let feature = document["features"]?.arrayValue?.first
        #expect(feature?["geometry"]?["type"]?.stringValue == "LineString")
        #expect(feature?["properties"]?["device"]?.stringValue == "w1")
    }

    @Test func geoJSONOfOneFixIsAPointAndOfNoneIsEmpty() throws {
        let one = TrackRenderer.render(.geojson, device: Fixtures.device, fixes: [Self.fixes[0]])
        #expect(try ParseBack.json(one)["features"]?.arrayValue?.first?["geometry"]?["type"]?.stringValue == "Point")
        #expect(try ParseBack.geoJSON(one).map(\.lat) == [Self.fixes[0].latitudeE7])
        let none = TrackRenderer.render(.geojson, device: Fixtures.device, fixes: [])
        #expect(try ParseBack.json(none)["features"]?.arrayValue?.isEmpty == true)
    }

    @Test func gpxParsesWithAnXMLParser() throws {
        let (name, points) = try ParseBack.gpx(TrackRenderer.render(.gpx, device: Fixtures.device, fixes: Self.fixes))
        #expect(name == "w1")
        #expect(
            points
                == Self.fixes.map {
                    ParseBack.GPXPoint(
                        lat: $0.latitudeE7, lon: $0.longitudeE7, ele: $0.altitudeM, timeMs: $0.timeMs,
                        sat: $0.satellites.map(Int.init), hdop: $0.hdop)
                })
    }

    @Test func csvParsesBackToTheFixesWithReceiveTimes() throws {
        let (header, fixes) = try ParseBack.csv(TrackRenderer.render(.csv, device: Fixtures.device, fixes: Self.fixes))
        #expect(header.joined(separator: ",") == TrackRenderer.csvHeader)
        #expect(
            fixes
                == Self.fixes.map {
                    var f = $0
                    f.source = .unknown
                    return f
                })
    }

    @Test func awkwardDeviceIdsAreEscapedInEveryFormat() throws {
        let device = DeviceID(#"a&b<c>"d,e\f"#)!
        var fix = Self.fixes[0]
        fix.device = device
        let json = try ParseBack.jsonTrack(TrackRenderer.render(.json, device: device, fixes: [fix]))
        #expect(json.header["device"]?.stringValue == device.rawValue && json.fixes[0].device == device)
        let geo = try ParseBack.json(TrackRenderer.render(.geojson, device: device, fixes: [fix]))
        #expect(geo["features"]?.arrayValue?.first?["properties"]?["device"]?.stringValue == device.rawValue)
        #expect(try ParseBack.gpx(TrackRenderer.render(.gpx, device: device, fixes: [fix])).name == device.rawValue)
        #expect(try ParseBack.csv(TrackRenderer.render(.csv, device: device, fixes: [fix])).fixes[0].device == device)
    }

    @Test func emptyTracksAreValidDocuments() throws {
        #expect(try ParseBack.jsonTrack(TrackRenderer.render(.json, device: Fixtures.device, fixes: [])).fixes.isEmpty)
        #expect(try ParseBack.gpx(TrackRenderer.render(.gpx, device: Fixtures.device, fixes: [])).points.isEmpty)
        let csv = TrackRenderer.render(.csv, device: Fixtures.device, fixes: [])
        #expect(String(decoding: csv, as: UTF8.self) == TrackRenderer.csvHeader + "\n")
    }

    @Test(arguments: TrackFormat.allCases)
    func chunksJoinToTheWholeDocumentAndStayNearTheirSize(format: TrackFormat) throws {
        let whole = TrackRenderer.render(format, device: Fixtures.device, fixes: Self.fixes, range: Self.range)
        for chunkBytes in [1, 97, 4096, TrackRenderer.defaultChunkBytes] {
            var renderer = TrackRenderer(format: format, device: Fixtures.device, fixes: Self.fixes, range: Self.range)
            var chunks: [[UInt8]] = []
            renderer.write(chunkBytes: chunkBytes) { chunks.append($0) }
            #expect(renderer.isFinished)
            #expect(Array(chunks.joined()) == whole, "\(format) in chunks of \(chunkBytes)")
            // Every chunk but the last is full, and passes the size by less than one item.
            for chunk in chunks.dropLast() { #expect(chunk.count >= chunkBytes && chunk.count < chunkBytes + 400) }
        }
    }

    @Test func asyncWriteGivesTheSameBytes() async throws {
        var renderer = TrackRenderer(format: .geojson, device: Fixtures.device, fixes: Self.fixes)
        var out: [UInt8] = []
        try await renderer.write(chunkBytes: 1000) { (chunk: inout [UInt8]) async throws in
            await Task.yield()
            out += chunk
        }
        #expect(out == TrackRenderer.render(.geojson, device: Fixtures.device, fixes: Self.fixes))
    }

    @Test func integersAreWrittenAsDigits() {
        for value: Int64 in [0, 7, -7, 10, 99, 1_000_000_007, 9_999_999_999, 10_000_000_000, .max, .min] {
            var out: [UInt8] = []
            ByteText.append(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}

@Suite struct FastTextTests {
    static func written(_ body: (FastText.Cursor) -> FastText.Cursor) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { scratch in
            let end = body(scratch.baseAddress!)
            return String(
                decoding: UnsafeBufferPointer(start: scratch.baseAddress!, count: end - scratch.baseAddress!),
                as: UTF8.self)
        }
    }

    @Test func coordinatesAndTimesMatchTheCoreWriters() {
        var random = SeededRandom(seed: 11)
        var time = TimeText()
        var values: [Int32] = [0, 1, -1, 10, 10_000_000, -10_000_000, 1_800_000_000, -1_800_000_000, .max, .min]
        var times: [Int64] = [
            0, -1, 999, 60_000, -60_001, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001,
        ]
        for _ in 0..<2000 {
            values.append(Int32(truncatingIfNeeded: random.next()))
            times.append(Int64(truncatingIfNeeded: random.next() % 20_000_000_000_000) - 5_000_000_000_000)
        }
        for value in values {
            var expected: [UInt8] = []
            CoordinateE7.appendDecimal(value, to: &expected)
            #expect(Self.written { FastText.e7(value, $0) } == String(decoding: expected, as: UTF8.self))
        }
        for ms in times + times.map({ $0 + 1 }) {
            #expect(Self.written { time.write(ms, $0) } == ISO8601.format(ms: ms), "\(ms)")
        }
    }

    @Test func numbersParseBackExactly() {
        var random = SeededRandom(seed: 12)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 0.001, 123.45, 1e15, 1e-7, 9.999, 2.5e-3, 1e300, -12.34, 0.07]
        for _ in 0..<3000 {
            let raw = Double(Int64(truncatingIfNeeded: random.next() % 2_000_000) - 1_000_000)
            values += [raw / 1000, raw / 100, raw / 7, raw * 1e9, Double(bitPattern: random.next() >> 2)]
        }
        for value in values where value.isFinite {
            let text = Self.written { FastText.number(value, $0) }
            #expect(Double(text) == value, "\(value) written as \(text)")
        }
        #expect(Self.written { FastText.number(.nan, $0) } == "null")
        #expect(Self.written { FastText.number(12, $0) } == "12" && Self.written { FastText.number(0.5, $0) } == "0.5")
    }

    @Test func theJSONFixFormIsFixAppendJSONLine() {
        var renderer = TrackRenderer(format: .json, device: Fixtures.device, fixes: [])
        for fix in TrackRendererTests.fixes {
            var expected: [UInt8] = []
            fix.appendJSONLine(to: &expected)
            #expect(Self.written { renderer.writeJSONFix(fix, $0) } == String(decoding: expected, as: UTF8.self))
        }
    }
}
