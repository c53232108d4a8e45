/// WAL record framing: `[payload length u32][CRC-32C u32][payload]`, little-endian. The CRC
/// covers the length bytes and the payload, so a damaged length is caught too.
enum WALRecord {
    static let headerBytes = 8

    static func append(payload: ArraySlice<UInt8>, to out: inout ByteWriter) {
        let length = UInt32(payload.count)
        var lengthBytes = ByteWriter()
        lengthBytes.u32(length)
        var crc = lengthBytes.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        crc = payload.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
        out.append(lengthBytes.bytes)
        out.u32(crc)
        out.append(payload)
    }

    enum Parse {
        case record(payload: Range<Int>, end: Int)
        /// Not enough bytes for the header or the declared payload.
        case incomplete
        /// The header or CRC is wrong.
        case damaged(String)
    }

    /// Parses the record starting at `offset`.
    static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int, maxPayload: Int) -> Parse {
        guard bytes.count - offset >= headerBytes else { return .incomplete }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        guard length >= 12, length <= maxPayload else { return .damaged("length \(length)") }
        guard bytes.count - offset - headerBytes >= length else { return .incomplete }
        var crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 4)]))
        let payload = (offset + headerBytes)..<(offset + headerBytes + length)
        crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[payload]), continuing: crc)
        guard crc == stored else { return .damaged("checksum mismatch") }
        return .record(payload: payload, end: payload.upperBound)
    }
}
