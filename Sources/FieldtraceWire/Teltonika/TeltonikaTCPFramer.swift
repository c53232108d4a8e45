import FieldtraceCore

/// Frames a Teltonika TCP stream: first the IMEI handshake (length (2) + digits), then AVL
/// packets: four zero bytes, data length (4), AVL data, CRC (4, CRC-16/IBM in the low two bytes,
/// over the AVL data).
enum TeltonikaTCPFramer {
    static let imeiHeaderBytes = 2
    static let packetHeaderBytes = 8
    static let crcBytes = 4

    /// How many bytes the frame at the start of `bytes` occupies, as far as they tell: the header
    /// size while the header is incomplete, then the whole frame. The frame is complete when the
    /// result is at most `bytes.count`. Every declared length is checked against its cap here,
    /// before the caller waits for or buffers anything, so a declared 2^31 fails at once.
    ///
    /// Throws `noIdentity` for a zero IMEI length (AVL data before the handshake starts with
    /// zeros), `badIMEI` for a length beyond 64, `badPreamble`, `tooLong`.
    @inline(__always)
    static func frameLength(
        _ bytes: UnsafeRawBufferPointer, expectingIMEI: Bool, maxPacketBytes: Int
    ) throws(TeltonikaError) -> Int {
        if expectingIMEI {
            guard bytes.count >= imeiHeaderBytes else { return imeiHeaderBytes }
            let length = Int(bytes[0]) << 8 | Int(bytes[1])
            guard length != 0 else { throw .noIdentity }
            guard length <= TeltonikaIMEI.maxDigits else { throw .badIMEI }
            return imeiHeaderBytes + length
        }
        for index in 0..<min(4, bytes.count) where bytes[index] != 0 { throw .badPreamble }
        guard bytes.count >= packetHeaderBytes else { return packetHeaderBytes }
        let dataLength = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        let total = packetHeaderBytes + dataLength + crcBytes
        guard total <= maxPacketBytes else { throw .tooLong(declaredBytes: total, maxBytes: maxPacketBytes) }
        return total
    }

    /// The framer in the house form: `nil` while more bytes are needed, else the first frame.
    static func nextFrame(
        _ bytes: UnsafeRawBufferPointer, expectingIMEI: Bool, maxPacketBytes: Int
    ) throws(TeltonikaError) -> UnsafeRawBufferPointer? {
        let length = try frameLength(bytes, expectingIMEI: expectingIMEI, maxPacketBytes: maxPacketBytes)
        return length <= bytes.count ? UnsafeRawBufferPointer(rebasing: bytes[0..<length]) : nil
    }

    /// The AVL data of a whole packet frame, after checking its CRC. O(n).
    @inline(__always)
    static func checkedAVLData(_ packet: UnsafeRawBufferPointer) throws(TeltonikaError) -> UnsafeRawBufferPointer {
        let end = packet.count - crcBytes
        let data = UnsafeRawBufferPointer(rebasing: packet[packetHeaderBytes..<end])
        let expected = UInt16(bigEndian: packet.loadUnaligned(fromByteOffset: end + 2, as: UInt16.self))
        let actual = Checksums.crc16IBM(data)
        guard actual == expected else { throw .badCRC(expected: expected, actual: actual) }
        return data
    }
}
