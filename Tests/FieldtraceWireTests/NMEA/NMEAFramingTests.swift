import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct NMEAFramingTests {
    /// The word-at-a-time scan agrees with a byte-by-byte one on random lines, at every
    /// start offset and limit.
    @Test func scanLineMatchesByteByByte() {
        var rng = SeededRandom(seed: 5)
        let alphabet: [UInt8] = Array("$GPRMC,0123456789.*\r\n,,,NSEW".utf8) + [0x00, 0x80, 0xFF, 0x2B, 0x2D]
        for _ in 0..<3000 {
            let n = Int(rng.next() % 200)
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let from = n == 0 ? 0 : Int(rng.next() % UInt64(n))
            let limit = from + Int(rng.next() % UInt64(n - from + 1))
            bytes.withUnsafeBytes { raw in
                let scan = NMEAFraming.scanLine(raw, from: from, limit: limit)
                var end = limit
                var found = false
                for i in from..<limit where raw[i] == 10 {
                    end = i
                    found = true
                    break
                }
                var x: UInt8 = 0
                for i in from..<end { x ^= raw[i] }
                #expect(scan.end == end)
                #expect(scan.foundNewline == found)
                #expect(scan.xor == x)
                #expect(NMEAFraming.newline(in: raw, from: from, to: limit) == (found ? end : nil))
            }
        }
    }

    /// Sentences longer than 128 bytes under a larger configured cap.
    @Test func longSentencesUnderALargerCap() {
        var config = WireConfiguration()
        config.limits.nmeaSentenceMaxBytes = 400
        let gsa = "GPGSA,A,3," + Array(repeating: "0000000001", count: 12).joined(separator: ",") + ",1.5,0.7,1.2"
        let rmc =
            "GPRMC,120000.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000,"
            + "A,4807.0380000000000000000000,N,01131.000,E,10.0,90.0,281126,,,A"
        let r = NMEATest.decode([rmc, gsa], configuration: config)
        #expect(r.counters.rejectedTotal == 0)
        #expect(r.fixes.first?.satellites == 12)
        #expect(r.fixes.first?.hdop == 0.7)
        #expect(r.fixes.first?.latitudeE7 == 481_173_000)
    }
}
