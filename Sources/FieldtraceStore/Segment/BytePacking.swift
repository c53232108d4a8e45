/// Little-endian byte writing and reading with varints, zigzag and bit-packed blocks: the
/// building blocks of the segment and WAL formats.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }

    @inline(__always) mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inline(__always) mutating func u32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    @inline(__always) mutating func u64(_ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    @inline(__always) mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    @inline(__always) mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }

    @inline(__always) mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func append(_ other: some Collection<UInt8>) { bytes.append(contentsOf: other) }
}

/// Errors reading packed bytes: the input ended or a value is malformed.
enum PackingError: Error, Equatable {
    case truncated(offset: Int)
    case malformed(String)
}

/// A bounds-checked little-endian reader over borrowed bytes.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    @inline(__always) mutating func u8() throws(PackingError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always) mutating func u16() throws(PackingError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(offset: offset) }
        defer { offset += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always) mutating func u32() throws(PackingError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(offset: offset) }
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always) mutating func u64() throws(PackingError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated(offset: offset) }
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always) mutating func i64() throws(PackingError) -> Int64 { Int64(bitPattern: try u64()) }
    @inline(__always) mutating func i32() throws(PackingError) -> Int32 { Int32(bitPattern: try u32()) }

    @inline(__always) mutating func varint() throws(PackingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw .truncated(offset: offset) }
            let b = bytes[offset]
            offset += 1
            guard shift < 64 else { throw .malformed("varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func take(_ count: Int) throws(PackingError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw .truncated(offset: offset) }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
}

enum ZigZag {
    @inline(__always) static func encode(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inline(__always) static func decode(_ u: UInt64) -> Int64 { Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1) }
}

/// Frame-of-reference bit packing in blocks of 32 values: each block stores its minimum
/// (zigzag varint), a bit width, then every value minus the minimum in that many bits, LSB
/// first. A constant block costs two bytes; width 0 stores no bits at all. 32 measured best of
/// 16 to 256 on the simulated fleets (2.97 bytes per fix at 1 Hz against 3.03 at 128): small
/// blocks follow a track that switches between standing and driving.
enum BlockPacking {
    static let blockSize = 32
    /// Bit 7 of a block's width byte: a flag for the caller (the adaptive column transform
    /// marks delta-of-delta blocks with it). Widths need 7 bits at most.
    static let flagBit: UInt8 = 0x80

    static func pack(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        var start = 0
        while start < values.count {
            let end = min(values.count, start + blockSize)
            packBlock(UnsafeBufferPointer(rebasing: values[start..<end]), flag: false, into: &out)
            start = end
        }
    }

    /// Packs one block (at most `blockSize` values) with an optional flag.
    static func packBlock(_ values: UnsafeBufferPointer<Int64>, flag: Bool, into out: inout ByteWriter) {
        guard !values.isEmpty else { return }
        var lo = values[0]
        var hi = values[0]
        for v in values.dropFirst() {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        let range = UInt64(bitPattern: hi &- lo)
        let width = range == 0 ? 0 : 64 - range.leadingZeroBitCount
        out.varint(ZigZag.encode(lo))
        out.u8(UInt8(width) | (flag ? flagBit : 0))
        guard width > 0 else { return }
        var acc: UInt64 = 0
        var bits = 0
        for value in values {
            let v = UInt64(bitPattern: value &- lo)
            acc |= v << UInt64(bits)
            let room = 64 - bits
            if width >= room {
                // Flush the full accumulator, keep the high bits of v that did not fit.
                out.u64(acc)
                acc = room == 64 ? 0 : v >> UInt64(room)
                bits = width - room
            } else {
                bits += width
            }
        }
        while bits > 0 {
            out.u8(UInt8(truncatingIfNeeded: acc))
            acc >>= 8
            bits -= 8
        }
    }

    static func unpack(
        count: Int, from reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Int64>
    ) throws(PackingError) {
        var start = 0
        while start < count {
            let n = min(count - start, blockSize)
            _ = try unpackBlock(count: n, from: &reader, into: output.baseAddress! + start)
            start += n
        }
    }

    /// Unpacks one block of `n` values into `out`; returns the block's flag.
    @inline(__always)
    static func unpackBlock(count n: Int, from reader: inout ByteReader, into out: UnsafeMutablePointer<Int64>)
        throws(PackingError) -> Bool
    {
        let lo = ZigZag.decode(try reader.varint())
        let widthByte = try reader.u8()
        let flag = widthByte & flagBit != 0
        let width = Int(widthByte & ~flagBit)
        guard width <= 64 else { throw .malformed("bit width \(width)") }
        if width == 0 {
            for i in 0..<n { out[i] = lo }
            return flag
        }
        let byteCount = (n * width + 7) / 8
        let blockStart = reader.offset
        let packed = try reader.take(byteCount)
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let base = packed.baseAddress!
        // Bytes readable from the block's start: the block and whatever follows it in the
        // body, so an 8-byte load near the block's end stays inside the buffer.
        let readable = reader.bytes.count - blockStart
        var bitOffset = 0
        var i = 0
        if width <= 56 {
            // Fast path: one unaligned 8-byte load per value while 8 bytes remain.
            while i < n, (bitOffset >> 3) + 8 <= readable {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bitOffset >> 3, as: UInt64.self))
                out[i] = lo &+ Int64(bitPattern: (word >> UInt64(bitOffset & 7)) & mask)
                bitOffset += width
                i += 1
            }
        }
        while i < n {
            let byte = bitOffset >> 3
            let shift = bitOffset & 7
            var raw: UInt64 = 0
            let available = min(9, byteCount - byte)
            for k in 0..<min(8, available) { raw |= UInt64(packed[byte + k]) << UInt64(8 * k) }
            raw >>= UInt64(shift)
            if available == 9 && shift + width > 64 { raw |= UInt64(packed[byte + 8]) << UInt64(64 - shift) }
            out[i] = lo &+ Int64(bitPattern: raw & mask)
            bitOffset += width
            i += 1
        }
        return flag
    }
}
