import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// Shared values and helpers for the JT/T 808 tests.
enum JT808Fixtures {
    static let phone = "013912345678"
    static let phone2019 = "00000000013800138000"
    static var device: DeviceID { DeviceID(phone)! }
    static let receivedMs = DecoderHarness.defaultReceivedMs  // 2025-11-29T07:06:40Z

    /// A fix at 2025-11-28T10:20:30Z (18:20:30 Beijing), Shanghai, 62.3 km/h, course 87, 11 sats.
    static func fix(
        latitudeE7: Int32 = 312_304_160, longitudeE7: Int32 = 1_214_737_010, timeMs: Int64 = 1_764_325_230_000,
        speedDeciKmh: Int = 623, courseDeg: Double = 87, altitudeM: Double = 12, satellites: UInt8? = 11,
        valid: Bool = true, device: String = phone
    ) -> Fix {
        Fix(
            device: DeviceID(device)!, timeMs: timeMs, receivedMs: receivedMs, latitudeE7: latitudeE7,
            longitudeE7: longitudeE7, altitudeM: altitudeM, speedMps: Double(speedDeciKmh) / 36, courseDeg: courseDeg,
            satellites: satellites, flags: valid ? .valid : [], source: .jt808)
    }

    /// The bytes of a hex capture in sample-data/jt808, all frames back to back.
    static func sampleStream(_ name: String) throws -> [UInt8] {
        let text = String(decoding: try SampleData.bytes("jt808/" + name), as: UTF8.self)
        var bytes: [UInt8] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            bytes += Hex.decode(String(line)) ?? []
        }
        return bytes
    }

    static let sampleNames = ["terminal-2013.hex", "terminal-2019.hex", "batch.hex", "malformed.hex"]

    /// Decodes whole bytes with a fresh decoder.
    static func decode(_ bytes: [UInt8], configuration: WireConfiguration = .init()) -> DecodeResult {
        DecoderHarness.whole(JT808Decoder.self, bytes, configuration: configuration)
    }

    /// Rejection counts by code, for compact expectations.
    static func rejected(_ result: DecodeResult) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: result.counters.rejected.map { ($0.key.code, $0.value) })
    }

    /// Runs a parser over bytes, catching its typed error.
    static func parse<T>(
        _ bytes: [UInt8], _ body: (inout ByteCursor) throws(JT808Error) -> T
    ) -> Result<T, JT808Error> {
        bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            do throws(JT808Error) {
                return .success(try body(&cursor))
            } catch {
                return .failure(error)
            }
        }
    }

    static func error<T>(_ result: Result<T, JT808Error>) -> JT808Error? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
