import FieldtraceTestSupport
import FieldtraceWire
import Testing

@Suite struct ChecksumsTests {
    let check = Array("123456789".utf8)

    // The standard check values of the CRC catalogue for "123456789".
    @Test func crc16IBMCheckValue() { #expect(Checksums.crc16IBM(check) == 0xBB3D) }
    @Test func crc16X25CheckValue() { #expect(Checksums.crc16X25(check) == 0x906E) }

    /// The sliced CRCs equal the byte-at-a-time reference for every length and alignment.
    @Test func slicedCRCsMatchTheBytewiseReference() {
        var rng = SeededRandom(seed: 42)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for start in 0..<9 {
            for length in 0..<(bytes.count - start) {
                let slice = Array(bytes[start..<(start + length)])
                let (ibm, x25) = bytes.withUnsafeBytes { raw in
                    let part = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    return (Checksums.crc16IBM(part), Checksums.crc16X25(part))
                }
                let ibmReference = Checksums.crc16Bytewise(
                    slice, table: Checksums.crc16IBMTable, initial: 0, finalXor: 0)
                let x25Reference = Checksums.crc16Bytewise(
                    slice, table: Checksums.crc16X25Table, initial: 0xFFFF, finalXor: 0xFFFF)
                #expect(ibm == ibmReference, "start \(start) length \(length)")
                #expect(x25 == x25Reference, "start \(start) length \(length)")
            }
        }
    }

    @Test func nmeaXor() {
        // $GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47 (the classic example)
        let body = Array("GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,".utf8)
        #expect(Checksums.xor(body) == 0x47)
    }

    @Test func hexRoundTrip() {
        let bytes: [UInt8] = [0x00, 0x7E, 0xFF, 0x0A]
        #expect(Hex.encode(bytes) == "007eff0a")
        #expect(Hex.decode("00 7E ff 0a") == bytes)
        #expect(Hex.decode("007") == nil)
        #expect(Hex.decode("0 07") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test func wireErrorKeepsAtMost64Bytes() {
        let error = WireError(.badChecksum, protocol: .gt06, bytes: [UInt8](repeating: 1, count: 1000))
        #expect(error.bytes.count == WireError.maxBytes)
    }

    @Test func captureSkipsHeaderComments() {
        #expect(CaptureDecoding.skipHeader(Array("# a\n# b\n$GP".utf8)) == 8)
        #expect(CaptureDecoding.skipHeader(Array("$GP\n# not header".utf8)) == 0)
        #expect(CaptureDecoding.skipHeader(Array("# only".utf8)) == 6)
    }
}
