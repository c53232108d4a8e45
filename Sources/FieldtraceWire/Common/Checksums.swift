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
    public static func crc16IBM(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes { crc = (crc >> 8) ^ crc16IBMTable[Int((crc ^ UInt16(b)) & 0xFF)] }
        return crc
    }

    public static func crc16IBM(_ bytes: [UInt8]) -> UInt16 { bytes.withUnsafeBytes { crc16IBM($0) } }

    /// CRC-16/X-25 (GT06 "CRC-ITU"): reflected polynomial 0x8408, initial 0xFFFF, final XOR 0xFFFF.
    @inlinable
    public static func crc16X25(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for b in bytes { crc = (crc >> 8) ^ crc16X25Table[Int((crc ^ UInt16(b)) & 0xFF)] }
        return crc ^ 0xFFFF
    }

    public static func crc16X25(_ bytes: [UInt8]) -> UInt16 { bytes.withUnsafeBytes { crc16X25($0) } }

    public static let crc16IBMTable: [UInt16] = makeReflectedTable(polynomial: 0xA001)
    public static let crc16X25Table: [UInt16] = makeReflectedTable(polynomial: 0x8408)

    static func makeReflectedTable(polynomial: UInt16) -> [UInt16] {
        (0..<256).map { n in
            var c = UInt16(n)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ polynomial : c >> 1 }
            return c
        }
    }
}
