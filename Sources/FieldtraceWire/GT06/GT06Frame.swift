/// One checked GT06 frame, borrowing the bytes it was cut from: use it only inside the scope
/// that produced those bytes.
///
/// Layout: start `78 78` + length (1) or `79 79` + length (2), then protocol number (1),
/// content, information serial (2), CRC-16/X-25 (2) over length through serial, stop `0D 0A`.
/// The length counts protocol number + content + serial + CRC.
public struct GT06Frame {
    /// The protocol number (message type): `0x01` login, `0x12` location, ...
    public var protocolNumber: UInt8
    /// The bytes between protocol number and serial.
    public var content: UnsafeRawBufferPointer
    /// The information serial, echoed in the ack.
    public var serial: UInt16
    /// Whether the frame used the long form (`79 79`, 2-byte length).
    public var isLongForm: Bool
    /// The whole frame, start through stop bytes.
    public var frameBytes: Int
}

/// Cuts GT06 frames out of a byte stream: returns `nil` when more bytes are needed, a checked
/// frame, or a typed error. Stateless; the decoder owns the buffer and the resync.
public enum GT06Framer {
    public static let shortStart: UInt8 = 0x78
    public static let longStart: UInt8 = 0x79
    /// Protocol number (1) + serial (2) + CRC (2): the smallest legal length field.
    public static let minimumLength = 5

    /// Whether `bytes[index]` could begin a frame: a start pair, or a lone start byte at the end.
    static func isStart(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let b = bytes[index]
        guard b == shortStart || b == longStart else { return false }
        return index + 1 == bytes.count || bytes[index + 1] == b
    }

    /// The index of the first byte at or after `from` that could start a frame (`bytes.count`
    /// when there is none). O(n).
    public static func scan(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int {
        var i = from
        while i < bytes.count, !isStart(bytes, at: i) { i += 1 }
        return i
    }

    /// Bytes a header needs before its length is known: 3 for `78 78 LL`, 4 for `79 79 LL LL`.
    static func headerBytes(start: UInt8) -> Int { start == longStart ? 4 : 3 }

    /// Cuts the frame that starts at `bytes[0]` (which must be a start candidate, see `scan`).
    ///
    /// The declared length is checked against `maxFrameBytes` as soon as the header is present,
    /// before waiting for the rest, so a huge declared length costs nothing. Stop bytes are
    /// checked before the CRC: a frame whose stop bytes are out of place has an untrustworthy
    /// length and the caller resyncs one byte on; a CRC failure skips the whole frame.
    ///
    /// - Returns: the frame, or `nil` with `needed` set to how many more bytes to wait for.
    public static func frame(
        _ bytes: UnsafeRawBufferPointer, maxFrameBytes: Int, needed: inout Int
    ) throws(GT06Error) -> GT06Frame? {
        guard bytes.count >= 2 else {
            needed = 2 - bytes.count
            return nil
        }
        let start = bytes[0]
        let header = headerBytes(start: start)
        guard bytes.count >= header else {
            needed = header - bytes.count
            return nil
        }
        let length = start == longStart ? Int(bytes[2]) << 8 | Int(bytes[3]) : Int(bytes[2])
        guard length >= minimumLength else { throw .badLength(declared: length) }
        let total = header + length + 2
        guard total <= maxFrameBytes else { throw .tooLong(frameBytes: total, limit: maxFrameBytes) }
        guard bytes.count >= total else {
            needed = total - bytes.count
            return nil
        }
        guard bytes[total - 2] == 0x0D, bytes[total - 1] == 0x0A else { throw .badStop }
        let crcEnd = total - 4
        let actual = UInt16(bytes[crcEnd]) << 8 | UInt16(bytes[crcEnd + 1])
        let expected = Checksums.crc16X25(UnsafeRawBufferPointer(rebasing: bytes[2..<crcEnd]))
        guard expected == actual else { throw .badCRC(expected: expected, actual: actual, frameBytes: total) }
        let serialAt = crcEnd - 2
        return GT06Frame(
            protocolNumber: bytes[header],
            content: UnsafeRawBufferPointer(rebasing: bytes[(header + 1)..<serialAt]),
            serial: UInt16(bytes[serialAt]) << 8 | UInt16(bytes[serialAt + 1]),
            isLongForm: start == longStart,
            frameBytes: total)
    }

}
