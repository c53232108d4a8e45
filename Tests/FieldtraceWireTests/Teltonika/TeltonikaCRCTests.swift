import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

@Suite struct TeltonikaCRCTests {
    @Test func checkValue() {
        Array("123456789".utf8).withUnsafeBytes { #expect(TeltonikaCRC.crc16IBM($0) == 0xBB3D) }
    }

    @Test func slicedEqualsBytewiseForEveryLengthAndAlignment() {
        var rng = SeededRandom(seed: 42)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for start in 0..<9 {
            for length in 0..<(bytes.count - start) {
                let slice = Array(bytes[start..<(start + length)])
                let sliced = bytes.withUnsafeBytes {
                    TeltonikaCRC.crc16IBM(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
                }
                #expect(sliced == Checksums.crc16IBM(slice), "start \(start) length \(length)")
            }
        }
    }
}
