import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceStore

@Suite struct DeviceBufferTests {
    static let device = DeviceID("356938035643809")!

    /// A canonicalised fix with random values, each optional present or not; `wild` draws values
    /// that do not fit the compact form (huge altitudes, receive times weeks away).
    static func randomFix(_ rng: inout SeededRandom, time: Int64, wild: Bool) -> Fix {
        func maybe(_ value: @autoclosure () -> Double) -> Double? { rng.next() % 4 == 0 ? nil : value() }
        func real(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(rng.next() % 1_000_000) / 1_000_000 * (range.upperBound - range.lowerBound)
        }
        let altitudeRange: ClosedRange<Double> = wild ? -1e13...1e13 : -500...9000
        let receivedRange: ClosedRange<Int64> = wild ? -(1 << 40)...(1 << 40) : -86_400_000...86_400_000
        return Fix(
            device: device, timeMs: time,
            receivedMs: rng.next() % 3 == 0
                ? nil : time + Int64.random(in: receivedRange, using: &rng),
            latitudeE7: Int32.random(in: -900_000_000...900_000_000, using: &rng),
            longitudeE7: Int32.random(in: -1_800_000_000...1_800_000_000, using: &rng),
            altitudeM: maybe(real(altitudeRange)), speedMps: maybe(real(0...80)),
            courseDeg: maybe(real(0...359.99)), hdop: maybe(real(0.5...50)), accuracyM: maybe(real(1...3000)),
            satellites: rng.next() % 3 == 0 ? nil : UInt8(rng.next() % 30),
            flags: FixFlags(rawValue: UInt16(truncatingIfNeeded: rng.next())),
            source: SourceProtocol.allCases[Int(rng.next() % UInt64(SourceProtocol.allCases.count))]
        ).canonicalized()
    }

    @Test(arguments: [false, true])
    func everyFixReadsBackExactly(wild: Bool) throws {
        var rng = SeededRandom(seed: wild ? 7 : 3)
        var buffer = DeviceBuffer(device: Self.device)
        var expected: [Fix] = []
        for i in 0..<5_000 {
            let fix = Self.randomFix(&rng, time: 1_764_374_400_000 + Int64(rng.next() % 100_000), wild: wild)
            buffer.append(fix, sequence: UInt64(i))
            expected.append(fix)
        }
        #expect(buffer.fixes == expected)
        #expect(buffer.sequences == (0..<5_000).map(UInt64.init))
        #expect(buffer.newestTimeMs == expected.map(\.timeMs).max())
        let newest = expected.firstIndex { $0.timeMs == expected.map(\.timeMs).max() }.map { expected[$0] }
        #expect(buffer.newest == newest, "the first to arrive of the newest time")
        let (from, to) = (Int64(1_764_374_420_000), Int64(1_764_374_450_000))
        #expect(buffer.fixes(from: from, to: to) == expected.filter { $0.timeMs >= from && $0.timeMs <= to })
        // Boxes answered from the records alone, kept whole fixes included.
        let hit = try #require(expected.first { $0.timeMs >= from && $0.timeMs <= to })
        let around = (hit.latitudeE7 - 10, hit.latitudeE7 + 10, hit.longitudeE7 - 10, hit.longitudeE7 + 10)
        for box: (Int32, Int32, Int32, Int32) in [
            around, (-10_000_000, 10_000_000, -20_000_000, 20_000_000), (0, 1_000_000, 0, 1_000_000), (5, 4, 0, 1),
        ] {
            let inside = expected.contains {
                $0.timeMs >= from && $0.timeMs <= to && $0.latitudeE7 >= box.0 && $0.latitudeE7 <= box.1
                    && $0.longitudeE7 >= box.2 && $0.longitudeE7 <= box.3
            }
            let answered = buffer.hasFix(
                from: from, to: to, minLatitudeE7: box.0, maxLatitudeE7: box.1, minLongitudeE7: box.2,
                maxLongitudeE7: box.3)
            #expect(answered == inside, "\(box)")
        }
    }

    @Test func aFixIsFortyEightBytes() {
        #expect(MemoryLayout<DeviceBuffer.Record>.stride == 48)
        #expect(MemoryLayout<Fix>.stride >= 120, "the form it replaces")
    }

    @Test func anEmptyBufferHasNoNewest() {
        let buffer = DeviceBuffer(device: Self.device)
        #expect(buffer.isEmpty && buffer.newest == nil && buffer.newestTimeMs == nil && buffer.fixes.isEmpty)
    }
}
