import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEADecoderTests {
    static let rmc = NMEATest.s("GPRMC,120000,A,4807.038,N,01131.000,E,,,281126,,,A")

    static func sampleBodies() throws -> [(String, [UInt8])] {
        let names = [
            "moving", "stationary", "no_fix", "gga_midnight", "two_digit_year", "bad_checksum", "too_long",
            "unknown_ignored", "gn_multi", "identity",
        ]
        return try names.map { name in
            let bytes = try SampleData.bytes("nmea/\(name).nmea")
            return (name, Array(bytes[CaptureDecoding.skipHeader(bytes)...]))
        }
    }

    @Test func samplesDecodeTheSameWholeDripFedAndInRandomSplits() throws {
        for (name, body) in try Self.sampleBodies() {
            let whole = DecoderHarness.whole(NMEADecoder.self, body)
            #expect(whole.counters.frames > 0, "\(name)")
            #expect(DecoderHarness.dripFed(NMEADecoder.self, body) == whole, "\(name) drip-fed")
            for seed in UInt64(1)...20 {
                #expect(
                    DecoderHarness.randomSplits(NMEADecoder.self, body, seed: seed) == whole, "\(name) seed \(seed)")
            }
            NMEATest.expectPlausible(whole.fixes)
        }
    }

    @Test func lineEndingsAndBlankLines() {
        let lf = NMEATest.decodeRaw(NMEAEncoder.pgid("A").replacing("\r", with: "") + "\n\r\n" + Self.rmc)
        #expect(lf.fixes.count == 1)
        #expect(lf.counters.frames == 2)
    }

    @Test func checksumIsVerified() {
        let body = "GPRMC,120000,A,4807.038,N,01131.000,E,,,281126,,,A"
        let good = Checksums.xor(Array(body.utf8))
        let bad = "$" + body + "*" + Hex.encode([good ^ 0x5A]).uppercased() + "\r\n"
        let r = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + bad)
        #expect(NMEATest.rejected(r, .badChecksum) == 1)
        #expect(r.fixes.isEmpty)
        #expect(r.rejections.first?.detail.contains("checksum") == true)
        // Lower-case hex digits are accepted.
        var course = 0
        var lowerBody = ""
        var sum: UInt8 = 0
        repeat {
            course += 1
            lowerBody = "GPRMC,120000,A,4807.038,N,01131.000,E,1.0,\(course).0,281126,,,A"
            sum = Checksums.xor(Array(lowerBody.utf8))
        } while sum >> 4 < 10 && sum & 0xF < 10
        let lower = "$" + lowerBody + "*" + Hex.encode([sum]) + "\r\n"
        #expect(NMEATest.decodeRaw(NMEAEncoder.pgid("A") + lower).fixes.count == 1)
    }

    @Test func missingChecksumNeedsLenientMode() {
        let body = "GPRMC,120000,A,4807.038,N,01131.000,E,,,281126,,,A"
        let plain = "$" + body + "\r\n"
        let strict = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + plain)
        #expect(NMEATest.rejected(strict, .nmeaNoChecksum) == 1)
        var config = WireConfiguration()
        config.lenientNMEAChecksum = true
        let lenient = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + plain, configuration: config)
        #expect(lenient.fixes.count == 1)
        // A wrong checksum is rejected in lenient mode too.
        let sum = Checksums.xor(Array(body.utf8)) ^ 1
        let wrong = NMEATest.decodeRaw(
            NMEAEncoder.pgid("A") + "$" + body + "*" + Hex.encode([sum]) + "\r\n", configuration: config)
        #expect(NMEATest.rejected(wrong, .badChecksum) == 1)
    }

    @Test func framingErrors() {
        let r = NMEATest.decodeRaw(
            NMEAEncoder.pgid("A") + "garbage\r\n" + "$GPRMC,1*4\r\n" + "$GPRMC,1*4G\r\n" + "$GPRMC,1*\r\n"
                + "\u{0}\u{1}\n")
        #expect(NMEATest.rejected(r, .badFraming) == 5)
        #expect(r.counters.frames == 6)
    }

    @Test func unknownAndIgnoredSentences() {
        let r = NMEATest.decode([
            "GPGSV,1,1,00", "PUBX,00", "PMTK001,604,3", "GPXYZ,1", "PXYZ,1", "G1RMC,1", "GPRMCA", "$",
        ])
        #expect(r.counters.ignored == 3)
        #expect(NMEATest.rejected(r, .unknownMessage) == 5)
    }

    @Test func tooLongLinesAreSkippedWithoutBuffering() {
        let cap = WireLimits().nmeaSentenceMaxBytes
        let exact = NMEATest.s("GPTXT,01,01,02," + String(repeating: "Y", count: cap - 21))
        #expect(exact.utf8.count == cap)
        let over = NMEATest.s("GPTXT,01,01,02," + String(repeating: "Y", count: cap - 20))
        let input = NMEAEncoder.pgid("A") + exact + over + String(repeating: "Z", count: 100_000) + "\n" + Self.rmc
        for result in [
            NMEATest.decodeRaw(input), DecoderHarness.dripFed(NMEADecoder.self, Array(input.utf8)),
            DecoderHarness.randomSplits(NMEADecoder.self, Array(input.utf8), seed: 9),
        ] {
            #expect(result.counters.ignored == 1)
            #expect(NMEATest.rejected(result, .tooLong) == 2)
            #expect(result.fixes.count == 1)
        }
    }

    @Test func bufferNeverGrowsBeyondTheCap() {
        var decoder = NMEADecoder(configuration: .init())
        let capacity = decoder.partial.capacity
        var output = WireOutput()
        var rng = SeededRandom(seed: 3)
        let noise = (0..<200_000).map { _ in
            rng.next() % 300 == 0 ? UInt8(ascii: "\n") : UInt8(truncatingIfNeeded: rng.next() % 0x5F) + 0x20
        }
        var offset = 0
        while offset < noise.count {
            let n = 1 + Int(rng.next() % 700)
            decoder.consume(Array(noise[offset..<min(noise.count, offset + n)]), receivedMs: 0, into: &output)
            #expect(decoder.partial.count < decoder.maxLineBytes)
            offset += n
        }
        #expect(decoder.partial.capacity == capacity)
        #expect(output.counters.rejected[.tooLong] ?? 0 > 100)
    }

    @Test func unterminatedLastLineIsIncomplete() {
        let r = NMEATest.decodeRaw(NMEAEncoder.pgid("A") + Self.rmc + "$GPGGA,1200")
        #expect(NMEATest.rejected(r, .incomplete) == 1)
        #expect(r.fixes.count == 1)
    }

    @Test func rejectionsKeptAreCappedButAllCounted() {
        var config = WireConfiguration()
        config.maxRejectionsKept = 3
        let r = NMEATest.decodeRaw(String(repeating: "garbage\n", count: 50), configuration: config)
        #expect(r.rejections.count == 3)
        #expect(NMEATest.rejected(r, .badFraming) == 50)
    }

    @Test func rejectionOffsetsAreStreamOffsets() {
        let head = NMEAEncoder.pgid("A")
        let r = NMEATest.decodeRaw(head + "garbage\n")
        #expect(r.rejections.first?.offset == head.utf8.count)
        #expect(r.rejections.first?.bytes == Array("garbage".utf8))
    }
}
