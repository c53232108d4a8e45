/// The frame checks of the supported protocols. Table-driven, O(n), no allocation.
public enum Checksums {
    /// XOR of all bytes: NMEA (between `$` and `*`) and JT/T 808 (header through body).
    @inlinable
    public static func xor(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
        var x: UInt8 = 0
        for b in bytes { x ^= b }
        return x
    }

    public static func xor(_ bytes: some Sequence<UInt8>) -> UInt8 { bytes.reduce(0, ^) }

    /// CRC-16/ARC (also "IBM"): reflected polynomial 0xA001, initial 0, no final XOR (Teltonika).
    @inlinable
    public static func crc16IBM(_ bytes: UnsafeRawBufferPointer) -> UInt16 { SlicedCRC16.ibm.checksum(bytes) }

    public static func crc16IBM(_ bytes: [UInt8]) -> UInt16 { bytes.withUnsafeBytes { crc16IBM($0) } }

    /// CRC-16/X-25 (GT06 "CRC-ITU"): reflected polynomial 0x8408, initial 0xFFFF, final XOR 0xFFFF.
    @inlinable
    public static func crc16X25(_ bytes: UnsafeRawBufferPointer) -> UInt16 { SlicedCRC16.x25.checksum(bytes) }

    public static func crc16X25(_ bytes: [UInt8]) -> UInt16 { bytes.withUnsafeBytes { crc16X25($0) } }

    /// Byte-at-a-time reference tables, kept to cross-check the sliced implementation in tests.
    public static let crc16IBMTable: [UInt16] = makeReflectedTable(polynomial: 0xA001)
    public static let crc16X25Table: [UInt16] = makeReflectedTable(polynomial: 0x8408)

    /// A byte-at-a-time reflected CRC-16 with one of the tables above: the reference the sliced
    /// implementation is tested against.
    public static func crc16Bytewise(_ bytes: [UInt8], table: [UInt16], initial: UInt16, finalXor: UInt16) -> UInt16 {
        var crc = initial
        for b in bytes { crc = (crc >> 8) ^ table[Int((crc ^ UInt16(b)) & 0xFF)] }
        return crc ^ finalXor
    }

    static func makeReflectedTable(polynomial: UInt16) -> [UInt16] {
        (0..<256).map { n in
            var c = UInt16(n)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ polynomial : c >> 1 }
            return c
        }
    }
}
