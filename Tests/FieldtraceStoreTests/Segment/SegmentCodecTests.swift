import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceStore

@Suite struct SegmentCodecTests {
    static let device = DeviceID("356307042441013")!

    static func randomFixes(seed: UInt64, count: Int) -> [Fix] {
        var rng = SeededRandom(seed: seed)
        var t = Int64(rng.next() % 4_000_000_000_000)
        var fixes: [Fix] = []
        func maybe<T>(_ value: T) -> T? { rng.next() % 4 == 0 ? nil : value }
        for _ in 0..<count {
            t += 1 + Int64(rng.next() % (rng.next() % 2 == 0 ? 2_000 : 90_000_000))
            let extremeLat: [Int32] = [-900_000_000, 900_000_000, 0, -1, 1]
            let extremeLon: [Int32] = [-1_800_000_000, 1_800_000_000, 1_799_999_999, -1_799_999_999, 0]
            let lat =
                rng.next() % 8 == 0
                ? extremeLat[Int(rng.next() % 5)] : Int32(Int64(rng.next() % 1_800_000_001) - 900_000_000)
            let lon =
                rng.next() % 8 == 0
                ? extremeLon[Int(rng.next() % 5)] : Int32(Int64(rng.next() % 3_600_000_001) - 1_800_000_000)
            var fix = Fix(
                device: device, timeMs: t, latitudeE7: lat, longitudeE7: lon,
                flags: FixFlags(rawValue: UInt16(truncatingIfNeeded: rng.next()) & 0x1F),
                source: SourceProtocol(rawValue: UInt8(rng.next() % 7))!)
            fix.receivedMs = maybe(t + Int64(rng.next() % 100_000_000) - 1_000)
            fix.altitudeM = maybe(Double(Int64(rng.next() % 2_000_000) - 100_000) / 100)
            fix.speedMps = maybe(Double(rng.next() % 300_000) / 1000)
            fix.courseDeg = maybe(Double(rng.next() % 36_000) / 100)
            fix.hdop = maybe(Double(rng.next() % 10_000) / 100)
            fix.accuracyM = maybe(Double(rng.next() % 100_000) / 100)
            fix.satellites = maybe(UInt8(rng.next() % 64))
            fixes.append(fix)
        }
        return fixes
    }

    @Test(arguments: 0..<200 as Range<UInt64>)
    func roundTripsRandomFixesExactly(seed: UInt64) throws {
        let count = [1, 2, 3, 127, 128, 129, 500][Int(seed % 7)]
        let fixes = Self.randomFixes(seed: seed, count: count)
        let bytes = SegmentEncoder.encode(fixes)
        var decoder = SegmentDecoder()
        let decoded = try decoder.decode(bytes)
        #expect(decoded == fixes.map { $0.canonicalized() }, "seed \(seed)")
    }

    @Test func roundTripsSimulatedDay() throws {
        var sim = FleetSimulator(seed: 3)
        let fixes = sim.track(device: Self.device, startMs: 1_764_374_400_000, durationSeconds: 86_400)
        var decoder = SegmentDecoder()
        var decoded: [Fix] = []
        for chunk in stride(from: 0, to: fixes.count, by: 3600) {
            let part = Array(fixes[chunk..<min(fixes.count, chunk + 3600)])
            decoded += try decoder.decode(SegmentEncoder.encode(part))
        }
        #expect(decoded == fixes.map { $0.canonicalized() })
    }

    @Test func canonicalizationIsIdempotent() {
        for fix in Self.randomFixes(seed: 9, count: 300) {
            #expect(fix.canonicalized().canonicalized() == fix.canonicalized())
        }
    }

    @Test func everyFlippedByteIsCaught() throws {
        let bytes = SegmentEncoder.encode(Self.randomFixes(seed: 1, count: 50))
        var decoder = SegmentDecoder()
        for i in 0..<bytes.count {
            var damaged = bytes
            damaged[i] ^= 0x40
            #expect(throws: SegmentError.self, "byte \(i)") { _ = try decoder.decode(damaged) }
        }
    }

    @Test func truncationIsCaught() {
        let bytes = SegmentEncoder.encode(Self.randomFixes(seed: 2, count: 20))
        var decoder = SegmentDecoder()
        for n in [0, 1, 10, 56, 60, bytes.count - 1] {
            #expect(throws: SegmentError.self) { _ = try decoder.decode(Array(bytes.prefix(n))) }
        }
    }

    @Test func headerClaiming4GiBIsRejectedBeforeAllocation() throws {
        var bytes = SegmentEncoder.encode(Self.randomFixes(seed: 4, count: 10))
        // uncompressed size at offset 44: 0xFFFFFFFF, then fix the header CRC so only the cap can refuse it.
        for k in 0..<4 { bytes[44 + k] = 0xFF }
        let headerEnd = SegmentHeader.fixedBytes + Int(bytes[56])
        let crc = CRC32C.checksum(Array(bytes[0..<headerEnd]))
        for k in 0..<4 { bytes[headerEnd + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
        var decoder = SegmentDecoder()
        #expect(throws: SegmentError.tooLarge("uncompressed size 4294967295 for 10 fixes")) {
            _ = try decoder.decode(bytes)
        }
    }
}

@Suite struct SegmentColumnsTests {
    @Test func columnsAgreeWithFixes() throws {
        let fixes = SegmentCodecTests.randomFixes(seed: 77, count: 300).map { $0.canonicalized() }
        let bytes = SegmentEncoder.encode(fixes)
        var decoder = SegmentDecoder()
        try bytes.withUnsafeBytes { raw in
            try decoder.decodeColumns(raw) { columns in
                #expect(columns.count == fixes.count)
                for (i, fix) in fixes.enumerated() {
                    #expect(columns.timeMs(i) == fix.timeMs)
                    #expect(columns.latitudeE7(i) == fix.latitudeE7 && columns.longitudeE7(i) == fix.longitudeE7)
                    #expect(columns.speedMps(i) == fix.speedMps && columns.receivedMs(i) == fix.receivedMs)
                    #expect(columns.flags(i) == fix.flags)
                }
            }
        }
    }
}

@Suite struct ColumnCodingTests {
    /// Every transform, on values that stand still then move (with extremes), round-trips exactly.
    @Test(arguments: [ColumnTransform.raw, .delta, .deltaOfDelta, .adaptive])
    func transformsRoundTrip(transform: ColumnTransform) throws {
        var rng = SeededRandom(seed: UInt64(transform.rawValue))
        for count in [0, 1, 2, 3, 31, 32, 33, 34, 100, 1000] {
            var values: [Int64] = []
            var x: Int64 = Int64(rng.next() % 1_000_000_000) - 500_000_000
            var v: Int64 = 0
            for i in 0..<count {
                if (i / 40) % 2 == 0 {
                    v = 0
                    x &+= Int64(rng.next() % 41) - 20  // standing: jitter
                } else {
                    v &+= Int64(rng.next() % 201) - 100  // driving: speed changes
                    x &+= v
                }
                if rng.next() % 50 == 0 { x = Int64(bitPattern: rng.next()) }  // extremes
                values.append(x)
            }
            var writer = ByteWriter()
            var scratch = [Int64](repeating: 0, count: count)
            ColumnCoding.encode(values, transform: transform, scratch: &scratch, into: &writer)
            var decoded = [Int64](repeating: 0, count: count)
            try writer.bytes.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                try decoded.withUnsafeMutableBufferPointer {
                    try ColumnCoding.decode(count: count, from: &reader, into: $0)
                }
                #expect(reader.remaining == 0)
            }
            #expect(decoded == values, "\(transform) count \(count)")
        }
    }
}
