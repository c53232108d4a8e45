import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import FieldtraceWire
import Foundation
import Testing

@testable import FieldtraceCLI

@Suite struct StoreCommandsTests {
    static func temporary() -> String {
        NSTemporaryDirectory() + "fieldtrace-cli-\(UInt64.random(in: 0...UInt64.max))"
    }

    @Test func importsACaptureAndExportsItInEveryFormat() throws {
        let dir = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImportCommand.parse(["--data", dir, "--protocol", "nmea", SampleData.path("nmea/moving.nmea")]).run()
        let store = try TrackStore(directory: dir)
        let devices = try store.catalog.devices().map(\.id)
        #expect(devices.count == 1)
        let fixes = try store.replay(device: devices[0])
        try store.close()
        #expect(fixes.count > 0)
        // The stored fixes are the decoded ones at storage resolution (`Fix.canonicalized`).
        var decoded: [Fix] = []
        _ = CaptureDecoding(protocol: .nmea, input: .raw).decode(
            try SampleData.bytes("nmea/moving.nmea"), receivedMs: SampleCaptureTests.nowMs
        ) { decoded += $0.fixes }
        func withoutReceive(_ f: Fix) -> Fix {
            var f = f
            f.receivedMs = nil
            return f
        }
        #expect(fixes.map(withoutReceive) == decoded.map { withoutReceive($0.canonicalized()) })

        let csv = try FixTextFormats.parseCSV(
            fixes.reduce(into: Array((FixTextFormats.csvHeader + "\n").utf8)) { FixTextFormats.appendCSV($1, to: &$0) },
            device: nil)
        let expectedCSV = fixes.map { fix in
            var f = fix
            f.source = .unknown  // CSV has no source column
            return f
        }
        #expect(csv == expectedCSV)
        let gpx = String(decoding: FixTextFormats.gpx(fixes, device: devices[0]), as: UTF8.self)
        #expect(gpx.components(separatedBy: "<trkpt ").count - 1 == fixes.count)
        let geojson = try JSONSerialization.jsonObject(with: Data(FixTextFormats.geoJSON(fixes, device: devices[0])))
        let features = (geojson as? [String: Any])?["features"] as? [[String: Any]]
        let coordinates = (features?.first?["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]
        #expect(coordinates?.count == fixes.count)
        #expect(coordinates?.first?[1] == fixes[0].latitude)
    }

    @Test func importsJSONLinesWithADeviceOverride() throws {
        let dir = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + ".jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let text = """
            {"device":"a","time":"2024-02-29T23:59:59.000Z","lat":-33.8688197,"lon":151.2092955,"valid":true,"late":false}
            {"device":"a","time":"2024-03-01T00:00:01.500Z","lat":-33.8688,"lon":151.2093,"speed_mps":1.5,"valid":false,"late":true}
            """
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try ImportCommand.parse(["--data", dir, "--protocol", "jsonl", "--device", "phone-7", file]).run()
        let store = try TrackStore(directory: dir)
        defer { try? store.close() }
        let fixes = try store.replay(device: DeviceID("phone-7")!)
        #expect(fixes.map(\.latitudeE7) == [-338_688_197, -338_688_000])
        #expect(fixes.map(\.timeMs) == [1_709_251_199_000, 1_709_251_201_500])
        #expect(fixes[1].isLate && !fixes[1].isValid && fixes[1].speedMps == 1.5)
    }

    @Test func csvTimesMayBeUnixMillisecondsOrSeconds() throws {
        let csv = "device,time,lat,lon\na,1764374400000,1,2\na,1764374401,1,2\na,2024-02-29T23:59:59Z,1,2\n"
        let fixes = try FixTextFormats.parseCSV(Array(csv.utf8), device: nil)
        #expect(fixes.map(\.timeMs) == [1_764_374_400_000, 1_764_374_401_000, 1_709_251_199_000])
        #expect(throws: FixTextFormats.ParseError.self) {
            _ = try FixTextFormats.parseCSV(Array("device,time,lat,lon\na,-5,1,2\n".utf8), device: nil)
        }
    }

    @Test func badImportInputIsAClearError() {
        #expect(throws: FixTextFormats.ParseError.self) {
            _ = try FixTextFormats.parseJSONLines(Array("{\"device\":\"a\",\"time\":\"x\"}".utf8), device: nil)
        }
        #expect(throws: FixTextFormats.ParseError.self) {
            _ = try FixTextFormats.parseCSV(Array("device,when\na,b\n".utf8), device: nil)
        }
        #expect(throws: (any Error).self) {
            try ExportCommand.parse(["--data", "/x", "--device", "bad id"]).validate()
        }
    }
}
