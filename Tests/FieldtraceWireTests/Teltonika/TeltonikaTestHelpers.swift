import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Foundation
import Testing

/// Shared inputs for the Teltonika tests.
enum TeltonikaFixtures {
    static let imei = "356307042441013"
    static let device = DeviceID(imei)!
    static let receivedMs = DecoderHarness.defaultReceivedMs

    /// Teltonika's documented examples (the CRCs and lengths check out).
    static let docHandshake = Hex.decode("000F333536333037303432343431303133")!
    static let docCodec8 = Hex.decode(
        "000000000000003608010000016B40D8EA30010000000000000000000000000000000105021503010101425E0F01F10000601A01"
            + "4E0000000000000000010000C7CF")!
    static let docCodec8E = Hex.decode(
        "000000000000004A8E010000016B412CEE000100000000000000000000000000000000010005000100010100010011001D000100"
            + "10015E2C880002000B000000003544C87A000E000000001DD7E06A00000100002994")!
    static let docUDP = Hex.decode(
        "003DCAFE0105000F33353230393330383634303336353508010000016B4F815B30010000000000000000000000000000000103021"
            + "503010101425DBC000001")!

    /// A record at a known place and time (Berlin, 2025-11-29 07:00 UTC, 50 km/h north-east).
    static func berlin(_ offsetS: Int64 = 0, io: [UInt16: TeltonikaIOValue] = TeltonikaEncoder.typicalIO)
        -> TeltonikaRecord
    {
        TeltonikaRecord(
            timestampMs: 1_764_399_600_000 + offsetS * 1000, priority: 0, longitudeE7: 134_049_540,
            latitudeE7: 525_200_066, altitudeM: 34, angleDeg: 45, satellites: 11, speedKmh: 50, eventIOID: 0, io: io)
    }

    /// The capture files of a sample folder, as lists of hex-decoded lines.
    static func captures(_ folder: String) throws -> [(name: String, lines: [[UInt8]])] {
        let dir = SampleData.path(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".hex") }.sorted()
        return try names.map { name in
            (name, try SampleData.lines(folder + "/" + name).map { try #require(Hex.decode($0)) })
        }
    }

    /// Records an issue for every implausible fix.
    static func expectPlausible(
        _ fixes: [Fix], _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for fix in fixes {
            let problems = Plausibility.problems(fix)
            #expect(problems.isEmpty, "\(context): \(problems) in \(fix)", sourceLocation: sourceLocation)
            #expect(fix.source == .teltonika, sourceLocation: sourceLocation)
        }
    }
}
