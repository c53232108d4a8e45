import FieldtraceWire
import Testing

@Suite struct ChecksumsTests {
    let check = Array("123456789".utf8)

    // The standard check values of the CRC catalogue for "123456789".
    @Test func crc16IBMCheckValue() { #expect(Checksums.crc16IBM(check) == 0xBB3D) }
    @Test func crc16X25CheckValue() { #expect(Checksums.crc16X25(check) == 0x906E) }

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
