/// Reading past the end of a byte cursor.
public struct ByteCursorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Offset of the read that failed, from the start of the cursor's bytes.
    public var offset: Int
    /// Bytes the read needed.
    public var needed: Int
    /// Bytes that were left.
    public var available: Int

    public init(offset: Int, needed: Int, available: Int) {
        self.offset = offset
        self.needed = needed
        self.available = available
    }

    public var description: String { "truncated at offset \(offset): needed \(needed) bytes, \(available) left" }
}

/// A bounds-checked big-endian reader over borrowed bytes.
///
/// Every read checks the bytes left before touching memory and throws `ByteCursorError` when
/// they are too few, so a parser never trusts a length field it has not checked. The cursor
/// borrows its bytes: use it only inside the `withUnsafeBytes` scope that produced them.
public struct ByteCursor {
    public let bytes: UnsafeRawBufferPointer
    /// Offset of the next byte to read.
    public var offset: Int

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        precondition(offset >= 0 && offset <= bytes.count, "cursor offset outside its bytes")
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes not yet read.
    @inlinable public var remaining: Int { bytes.count - offset }
    @inlinable public var isAtEnd: Bool { offset >= bytes.count }

    @inlinable
    func check(_ count: Int) throws(ByteCursorError) {
        guard count >= 0, count <= remaining else {
            throw ByteCursorError(offset: offset, needed: count, available: remaining)
        }
    }

    @inlinable
    public mutating func readUInt8() throws(ByteCursorError) -> UInt8 {
        try check(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    @inlinable
    public func peekUInt8() throws(ByteCursorError) -> UInt8 {
        try check(1)
        return bytes[offset]
    }

    @inlinable
    public mutating func readUInt16() throws(ByteCursorError) -> UInt16 {
        try check(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    @inlinable
    public mutating func readUInt24() throws(ByteCursorError) -> UInt32 {
        try check(3)
        defer { offset += 3 }
        return UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }

    @inlinable
    public mutating func readUInt32() throws(ByteCursorError) -> UInt32 {
        try check(4)
        defer { offset += 4 }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable
    public mutating func readUInt64() throws(ByteCursorError) -> UInt64 {
        try check(8)
        defer { offset += 8 }
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable
    public mutating func readInt16() throws(ByteCursorError) -> Int16 { Int16(bitPattern: try readUInt16()) }
    @inlinable
    public mutating func readInt32() throws(ByteCursorError) -> Int32 { Int32(bitPattern: try readUInt32()) }
    @inlinable
    public mutating func readInt64() throws(ByteCursorError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    /// Reads `count` bytes as a borrowed slice (no copy).
    @inlinable
    public mutating func readBytes(_ count: Int) throws(ByteCursorError) -> UnsafeRawBufferPointer {
        try check(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// Skips `count` bytes.
    @inlinable
    public mutating func skip(_ count: Int) throws(ByteCursorError) {
        try check(count)
        offset += count
    }

    /// A cursor over the next `count` bytes, which this cursor skips: for length-prefixed items.
    @inlinable
    public mutating func subCursor(_ count: Int) throws(ByteCursorError) -> ByteCursor {
        ByteCursor(try readBytes(count))
    }

    /// Reads `count` packed-BCD bytes as a decimal number; `nil` if a nibble is not 0-9.
    @inlinable
    public mutating func readBCD(_ count: Int) throws(ByteCursorError) -> UInt64? {
        let digits = try readBytes(count)
        var value: UInt64 = 0
        for byte in digits {
            let hi = byte >> 4
            let lo = byte & 0x0F
            guard hi <= 9, lo <= 9 else { return nil }
            value = value &* 100 &+ UInt64(hi) &* 10 &+ UInt64(lo)
        }
        return value
    }
}
