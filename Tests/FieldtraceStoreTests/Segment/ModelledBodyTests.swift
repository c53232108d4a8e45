import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceStore

/// Version 2 segments (`ModelledBody`): exact round trips of every kind of input, corrupt
/// bodies never trap, and the format stays what it was (golden segments).
@Suite struct ModelledBodyTests {
    static let device = DeviceID("356307042441013")!

    static func modelled(_ fixes: [Fix]) -> [UInt8] {
        let (bytes, header) = SegmentEncoder.encodeSegment(fixes, level: 0, body: .modelled)
        precondition(header.version == SegmentHeader.modelledVersion)
        return bytes
    }

    /// Fixes that exercise the motion predictor's edges as well as the codec's: speeds at and
    /// past the trusted limit, negative, absent; courses off the circle; intervals from 1 ms
    /// to days; latitudes at and near the poles; columns constant, absent or mixed.
    static func motionEdgeFixes(seed: UInt64, count: Int) -> [Fix] {
        var rng = SeededRandom(seed: seed)
        var t = Int64(rng.next() % 4_000_000_000_000)
        let mode = rng.next() % 4  // 0 mixed presence, 1 all present, 2 none, 3 constant values
        let latitudes: [Int32] = [900_000_000, -900_000_000, 890_000_000, 890_000_001, 0, 312_304_000]
        var lat = Int64(latitudes[Int(rng.next() % 6)])
        var lon = Int64(rng.next() % 3_600_000_001) - 1_800_000_000
        var fixes: [Fix] = []
        for _ in 0..<count {
            let gaps: [Int64] = [1, 10_000, 10_001, 600_000, 524_287, 524_288, 86_400_000 * 3]
            t += rng.next() % 3 == 0 ? gaps[Int(rng.next() % 7)] : 10_000
            lat = min(900_000_000, max(-900_000_000, lat + Int64(rng.next() % 20_001) - 10_000))
            lon = min(1_800_000_000, max(-1_800_000_000, lon + Int64(rng.next() % 20_001) - 10_000))
            if rng.next() % 50 == 0 { lat = Int64(latitudes[Int(rng.next() % 6)]) }
            var fix = Fix(
                device: device, timeMs: t, latitudeE7: Int32(lat), longitudeE7: Int32(lon), flags: .valid,
                source: .simulated)
            let speeds: [Double] = [0, 0, 0, 5.5, 13.9, 99.999, 100, 100.001, 250, -3, 1e12]
            let courses: [Double] = [0, 359.99, 360, 721.5, -90, 45.25, 180, 1e9]
            func present() -> Bool { mode == 1 || mode == 3 || (mode == 0 && rng.next() % 3 != 0) }
            if present() { fix.speedMps = mode == 3 ? 0 : speeds[Int(rng.next() % 11)] }
            if present() { fix.courseDeg = mode == 3 ? 90 : courses[Int(rng.next() % 8)] }
            if present() { fix.receivedMs = t + (mode == 3 ? 800 : Int64(rng.next() % 2_000) - 100) }
            if present() { fix.altitudeM = mode == 3 ? 12 : Double(Int64(rng.next() % 20_000) - 500) / 10 }
            if present() { fix.hdop = 0.9 }
            if present() { fix.accuracyM = Double(rng.next() % 5_000) / 100 }
            if present() { fix.satellites = UInt8(rng.next() % 30) }
            fixes.append(fix)
        }
        return fixes
    }

    @Test(arguments: 0..<200 as Range<UInt64>)
    func roundTripsEveryEdgeExactly(seed: UInt64) throws {
        let count = [1, 2, 3, 8, 9, 64, 300][Int(seed % 7)]
        let fixes =
            seed % 2 == 0
            ? SegmentCodecTests.randomFixes(seed: seed, count: count) : Self.motionEdgeFixes(seed: seed, count: count)
        var decoder = SegmentDecoder()
        #expect(try decoder.decode(Self.modelled(fixes)) == fixes.map { $0.canonicalized() }, "seed \(seed)")
    }

    @Test(arguments: [1, 5, 10, 30, 120])
    func roundTripsSimulatedTracksAtEveryRate(intervalSeconds: Int) throws {
        for withOptionalValues in [true, false] {
            var config = FleetSimulator.Configuration()
            config.intervalSeconds = intervalSeconds
            config.withOptionalValues = withOptionalValues
            var sim = FleetSimulator(seed: UInt64(intervalSeconds), configuration: config)
            let fixes = sim.track(device: Self.device, startMs: 1_764_374_400_000, durationSeconds: 6 * 3600)
            let segment = Array(fixes.prefix(3600))
            var decoder = SegmentDecoder()
            #expect(try decoder.decode(Self.modelled(segment)) == segment.map { $0.canonicalized() })
        }
    }

    @Test func columnsAgreeWithFixes() throws {
        let fixes = Self.motionEdgeFixes(seed: 5, count: 200).map { $0.canonicalized() }
        var decoder = SegmentDecoder()
        try Self.modelled(fixes).withUnsafeBytes { raw in
            try decoder.decodeColumns(raw) { columns in
                for (i, fix) in fixes.enumerated() {
                    #expect(columns.timeMs(i) == fix.timeMs && columns.latitudeE7(i) == fix.latitudeE7)
                    #expect(columns.longitudeE7(i) == fix.longitudeE7 && columns.speedMps(i) == fix.speedMps)
                    #expect(columns.receivedMs(i) == fix.receivedMs && columns.flags(i) == fix.flags)
                }
            }
        }
    }

    @Test func everyFlippedByteIsCaught() throws {
        let bytes = Self.modelled(Self.motionEdgeFixes(seed: 1, count: 40))
        var decoder = SegmentDecoder()
        for i in 0..<bytes.count {
            var damaged = bytes
            damaged[i] ^= 0x10
            #expect(throws: SegmentError.self, "byte \(i)") { _ = try decoder.decode(damaged) }
        }
    }

    /// A damaged body whose CRC was recomputed (what a bug or an attacker could write) decodes
    /// to an error or to some fixes, never a trap or a hang.
    @Test(arguments: 0..<4 as Range<UInt64>)
    func corruptBodiesWithValidChecksumsNeverTrap(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let fixes =
            seed % 2 == 0
            ? SegmentCodecTests.randomFixes(seed: seed, count: 150) : Self.motionEdgeFixes(seed: seed, count: 150)
        let bytes = Self.modelled(fixes)
        let header = try bytes.withUnsafeBytes { try SegmentHeader.decode($0) }
        var decoder = SegmentDecoder()
        for _ in 0..<250 {
            var damaged = bytes
            for _ in 0..<(1 + rng.next() % 4) {
                let at = header.encodedBytes + Int(rng.next() % UInt64(header.compressedBytes))
                damaged[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            let crc = CRC32C.checksum(Array(damaged[header.encodedBytes...]))
            for k in 0..<4 { damaged[52 + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
            let headerEnd = SegmentHeader.fixedBytes + Int(damaged[56])
            let headerCRC = CRC32C.checksum(Array(damaged[0..<headerEnd]))
            for k in 0..<4 { damaged[headerEnd + k] = UInt8(truncatingIfNeeded: headerCRC >> UInt32(8 * k)) }
            _ = try? decoder.decode(damaged)
        }
    }

    @Test func versionTwoBodySizesMustAgree() throws {
        var bytes = Self.modelled(Self.motionEdgeFixes(seed: 2, count: 10))
        bytes[44] ^= 1  // uncompressed size, then fix the header CRC
        let headerEnd = SegmentHeader.fixedBytes + Int(bytes[56])
        let crc = CRC32C.checksum(Array(bytes[0..<headerEnd]))
        for k in 0..<4 { bytes[headerEnd + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
        var decoder = SegmentDecoder()
        #expect(throws: SegmentError.malformed("version 2 body sizes differ")) { _ = try decoder.decode(bytes) }
    }

    @Test func unknownVersionsAreRejected() throws {
        var bytes = Self.modelled(Self.motionEdgeFixes(seed: 3, count: 10))
        bytes[4] = 3
        let headerEnd = SegmentHeader.fixedBytes + Int(bytes[56])
        let crc = CRC32C.checksum(Array(bytes[0..<headerEnd]))
        for k in 0..<4 { bytes[headerEnd + k] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * k)) }
        var decoder = SegmentDecoder()
        #expect(throws: SegmentError.unsupportedVersion(3)) { _ = try decoder.decode(bytes) }
    }

    @Test func slowTracksGetTheModelledBodyAndFastOnesThePackedOne() {
        for (interval, version) in [(1, SegmentHeader.packedVersion), (10, SegmentHeader.modelledVersion)] {
            var config = FleetSimulator.Configuration()
            config.intervalSeconds = interval
            var sim = FleetSimulator(seed: 9, configuration: config)
            let fixes = sim.track(device: Self.device, startMs: 1_764_374_400_000, durationSeconds: 3600 * interval)
            #expect(SegmentEncoder.encodeSegment(fixes).header.version == version, "interval \(interval) s")
        }
    }
}
