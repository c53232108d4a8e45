import FieldtraceCore
import NIOCore

/// Writes big-endian integers, bytes and ASCII digits at a raw pointer into space the caller
/// reserved (`ByteBuffer.writeWithUnsafeMutableBytes(minimumWritableBytes:)`), so building a
/// frame costs stores, not per-byte collection appends.
struct RawWriter {
    let base: UnsafeMutableRawPointer
    var offset = 0

    init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inline(__always) mutating func u8(_ v: UInt8) {
        base.storeBytes(of: v, toByteOffset: offset, as: UInt8.self)
        offset &+= 1
    }

    @inline(__always) mutating func u16(_ v: UInt16) {
        base.storeBytes(of: v.bigEndian, toByteOffset: offset, as: UInt16.self)
        offset &+= 2
    }

    @inline(__always) mutating func u32(_ v: UInt32) {
        base.storeBytes(of: v.bigEndian, toByteOffset: offset, as: UInt32.self)
        offset &+= 4
    }

    @inline(__always) mutating func u64(_ v: UInt64) {
        base.storeBytes(of: v.bigEndian, toByteOffset: offset, as: UInt64.self)
        offset &+= 8
    }

    @inline(__always) mutating func bytes(_ b: [UInt8]) {
        b.withUnsafeBytes { raw in
            guard let source = raw.baseAddress else { return }
            (base + offset).copyMemory(from: source, byteCount: raw.count)
        }
        offset &+= b.count
    }

    @inline(__always) mutating func ascii(_ c: UInt8) { u8(c) }

    /// `value` (non-negative) as exactly `width` decimal digits, zero-padded.
    @inline(__always) mutating func digits(_ value: Int, width: Int) {
        var v = value
        var i = width - 1
        while i >= 0 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: 0x30 + v % 10), toByteOffset: offset + i, as: UInt8.self)
            v /= 10
            i -= 1
        }
        offset &+= width
    }

    /// `value` (non-negative) in as few decimal digits as it needs.
    @inline(__always) mutating func decimal(_ value: Int) {
        var width = 1
        var limit = 10
        while value >= limit && width < 19 {
            width += 1
            limit &*= 10
        }
        digits(value, width: width)
    }

    /// The XOR of the bytes in `range` (NMEA checksum, JT/T 808 check byte).
    func xor(_ range: Range<Int>) -> UInt8 {
        var c: UInt8 = 0
        for i in range { c ^= base.load(fromByteOffset: i, as: UInt8.self) }
        return c
    }

    /// Two upper-case hex digits.
    @inline(__always) mutating func hex2(_ v: UInt8) {
        let digits: StaticString = "0123456789ABCDEF"
        digits.withUTF8Buffer { d in
            u8(d[Int(v >> 4)])
            u8(d[Int(v & 0x0F)])
        }
    }
}

extension ByteBuffer {
    /// Reserves `maxBytes`, lets `body` write at most that many through a `RawWriter`, and
    /// moves the writer index past what was written.
    @inline(__always)
    mutating func writeRaw(maxBytes: Int, _ body: (inout RawWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: maxBytes) { raw in
            var w = RawWriter(raw.baseAddress!)
            body(&w)
            precondition(w.offset <= maxBytes, "frame writer overran its reservation")
            return w.offset
        }
    }
}

/// Calendar fields of a UTC time, computed once per fix for the protocols that carry them.
struct CalendarTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    init(ms: Int64) {
        let c = UTCTime.components(ms)
        (year, month, day, hour, minute, second, millisecond) = (
            c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond
        )
    }
}
