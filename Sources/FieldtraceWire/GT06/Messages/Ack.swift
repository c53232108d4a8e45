/// The server's acknowledgement: `78 78 05` protocol number (1), serial (2), CRC-16/X-25 (2)
/// over `05` through serial, `0D 0A`: 10 bytes, echoing the protocol number and serial of the
/// frame it answers (always in the short `78 78` form).
///
/// Fieldtrace acks login, status, alarm and location messages. Concox documents the location
/// ack as optional; devices that wait for none accept one, and devices that re-upload stored
/// positions (`0x22` re-upload) use it to drop them from their buffer. Rejected frames are not
/// acked: nothing of them was stored.
public enum GT06Ack {
    public static let byteCount = 10

    /// The ack bytes, without allocating.
    public static func bytes(protocolNumber: UInt8, serial: UInt16) -> (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
    ) {
        let serialHigh = UInt8(serial >> 8)
        let serialLow = UInt8(serial & 0xFF)
        let crc = withUnsafeBytes(of: (UInt8(0x05), protocolNumber, serialHigh, serialLow)) {
            Checksums.crc16X25($0)
        }
        return (0x78, 0x78, 0x05, protocolNumber, serialHigh, serialLow, UInt8(crc >> 8), UInt8(crc & 0xFF), 0x0D, 0x0A)
    }

    /// The ack as an array (tests, encoders).
    public static func array(protocolNumber: UInt8, serial: UInt16) -> [UInt8] {
        var ack = bytes(protocolNumber: protocolNumber, serial: serial)
        return withUnsafeBytes(of: &ack) { Array($0) }
    }
}
