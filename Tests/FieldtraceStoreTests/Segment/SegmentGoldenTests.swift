import FieldtraceCore
import Testing

@testable import FieldtraceStore

/// Segments as written by earlier builds must decode forever: one of each version, committed
/// as bytes, with the fixes they hold. A change that breaks these breaks every data directory.
@Suite struct SegmentGoldenTests {
    /// Six fixes of a vehicle at 0.1 Hz: standing, pulling away, turning, with one fix lacking
    /// its optional values.
    static let fixes: [Fix] = {
        let device = DeviceID("golden-1")!
        let rows: [(Int64, Int32, Int32, Double?, Double?, Int64?)] = [
            (0, 312_304_000, 1_214_737_000, 0, 90, 812),
            (10_000, 312_304_012, 1_214_736_990, 0, 90, 845),
            (20_000, 312_304_510, 1_214_737_020, 5.5, 1, 901),
            (30_000, 312_313_480, 1_214_737_350, 11.1, 3, 808),
            (40_000, 312_320_000, 1_214_745_100, 10.8, 88, nil),
            (50_000, 312_320_410, 1_214_757_000, 11.0, 91, 833),
        ]
        return rows.map { row in
            var fix = Fix(
                device: device, timeMs: 1_764_374_400_000 + row.0, latitudeE7: row.1, longitudeE7: row.2,
                flags: .valid, source: .simulated)
            fix.speedMps = row.3
            fix.courseDeg = row.4
            fix.receivedMs = row.5.map { fix.timeMs + $0 }
            fix.altitudeM = row.5 == nil ? nil : 12.3
            fix.satellites = row.5 == nil ? nil : 9
            return fix
        }
    }()

    /// Version 1 (packed, LZ4), written by the encoder of November 2026 for these fixes.
    static let version1 = [
        "46545331010000000600000000cce8cc9a010000508fe9cc9a01000080619d129aa19d125e6a674888b8674863000000",
        "65000000f6817c1208676f6c64656e2d310c93cda4f0540180b0c6ced966a09c0100018086eba902180e008079e02fb2",
        "658e0102d0a9bb860913500d00802050730708000200000c00022f0000d00c078452179001022f0101f6010000010201",
        "00050683be03050102000207d92c4070d5020000022f00001200",
    ]

    /// Version 2 (modelled, range-coded), written by its first encoder for these fixes.
    static let version2 = [
        "46545331020000000600000000cce8cc9a010000508fe9cc9a01000080619d129aa19d125e6a674888b8674844000000",
        "44000000522b4f9f08676f6c64656e2d317b6384b9bafec401aa797ac6c4e4eafbf06b18c17ffdd315d97e8eaafee4d2",
        "aaa0d3f932f16d04432e260f787af265a7f3d99cf7fa913050082c24188c1c48390620b4a6dda80000",
    ]

    static func bytes(_ hex: [String]) -> [UInt8] {
        let digits = Array(hex.joined().utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
        }
    }

    @Test(arguments: [(1, version1), (2, version2)] as [(UInt8, [String])])
    func committedSegmentsDecode(version: UInt8, hex: [String]) throws {
        let bytes = Self.bytes(hex)
        let header = try bytes.withUnsafeBytes { try SegmentHeader.decode($0) }
        #expect(header.version == version)
        var decoder = SegmentDecoder()
        #expect(try decoder.decode(bytes) == Self.fixes.map { $0.canonicalized() })
    }
}
