import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEADatagramDecoderTests {
    static let rmc = NMEATest.s("GPRMC,120000,A,4807.038,N,01131.000,E,,,281126,,,A")
    static let gga = NMEATest.s("GPGGA,120001,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")

    static func run(_ datagrams: [String], configuration: WireConfiguration = .init()) -> DecodeResult {
        DecoderHarness.run(
            NMEADatagramDecoder.self, chunks: datagrams.map { Array($0.utf8) }, configuration: configuration,
            receivedMs: NMEATest.nowMs)
    }

    @Test func eachDatagramNamesItsDevice() {
        let r = Self.run([NMEAEncoder.pgid("A") + Self.rmc, Self.rmc, NMEAEncoder.pgid("B") + Self.rmc])
        #expect(r.fixes.map(\.device.rawValue) == ["A", "B"])
        #expect(NMEATest.rejected(r, .noIdentity) == 1)
    }

    @Test func theEpochEndsWithTheDatagram() {
        // Same time of day in two datagrams: two fixes, not one.
        let r = Self.run([NMEAEncoder.pgid("A") + Self.rmc, NMEAEncoder.pgid("A") + Self.rmc])
        #expect(r.fixes.count == 2)
    }

    @Test func lastLineNeedsNoNewline() {
        // "\r\n" is one Character: dropLast(1) removes both bytes.
        let r = Self.run([NMEAEncoder.pgid("A") + String(Self.rmc.dropLast(1))])
        #expect(r.fixes.count == 1)
        #expect(r.counters.rejectedTotal == 0)
    }

    @Test func theDateIsKeptForTheSameDeviceOnly() {
        let same = Self.run([NMEAEncoder.pgid("A") + Self.rmc, NMEAEncoder.pgid("A") + Self.gga])
        #expect(same.fixes.count == 2)
        let other = Self.run([NMEAEncoder.pgid("A") + Self.rmc, NMEAEncoder.pgid("B") + Self.gga])
        #expect(other.fixes.count == 1)
        #expect(NMEATest.rejected(other, .nmeaNoDate) == 1)
    }

    @Test func refusedDeviceIsRejectedWithoutClosing() {
        var config = WireConfiguration()
        config.isDeviceAllowed = { $0.rawValue != "BANNED" }
        let r = Self.run([NMEAEncoder.pgid("BANNED") + Self.rmc], configuration: config)
        #expect(NMEATest.rejected(r, .nmeaRefused) == 1)
        #expect(NMEATest.rejected(r, .noIdentity) == 1)
        #expect(!r.shouldClose)
    }

    @Test func tooLongLinesInADatagram() {
        let cap = WireLimits().nmeaSentenceMaxBytes
        let r = Self.run([
            NMEAEncoder.pgid("A") + String(repeating: "x", count: 500) + "\r\n" + Self.rmc,
            NMEAEncoder.pgid("A") + String(repeating: "y", count: cap),
            NMEAEncoder.pgid("A") + String(repeating: "y", count: cap - 1),
        ])
        #expect(NMEATest.rejected(r, .tooLong) == 2)
        #expect(NMEATest.rejected(r, .badFraming) == 1)
        #expect(r.fixes.count == 1)
    }

    @Test func samplesAsOneDatagramEach() throws {
        for (name, body) in try NMEADecoderTests.sampleBodies() {
            let r = DecoderHarness.run(NMEADatagramDecoder.self, chunks: [body], receivedMs: NMEATest.nowMs)
            let tcp = DecoderHarness.run(NMEADecoder.self, chunks: [body], receivedMs: NMEATest.nowMs)
            #expect(r.fixes == tcp.fixes, "\(name)")
            NMEATest.expectPlausible(r.fixes)
        }
    }
}
