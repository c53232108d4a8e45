/// Line framing and the sentence checksum, word-at-a-time.
///
/// A line is the bytes before a `\n` (a trailing `\r` is dropped). A sentence is
/// `$<body>*hh`: `hh` is the XOR of the body bytes in hex (either case). Both scans read
/// eight bytes per step (SWAR), so the framing cost per sentence is a few nanoseconds.
enum NMEAFraming {
    static let newlineWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    static let lowBits: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Index of the first `\n` in `bytes[from..<to]`, or `nil`.
    @inline(__always)
    static func newline(in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = from
        while i &+ 8 <= to {
            let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ newlineWord
            // The lowest flagged byte is exactly the first zero byte of x (false positives
            // only appear above a true zero).
            let found = (x &- lowBits) & ~x & highBits
            if found != 0 { return i &+ (found.trailingZeroBitCount &>> 3) }
            i &+= 8
        }
        while i < to {
            if bytes[i] == UInt8(ascii: "\n") { return i }
            i &+= 1
        }
        return nil
    }

    /// XOR of `bytes[from..<to]`.
    @inline(__always)
    static func xor(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> UInt8 {
        guard let base = bytes.baseAddress else { return 0 }
        var word: UInt64 = 0
        var i = from
        while i &+ 8 <= to {
            word ^= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        word ^= word &>> 32
        word ^= word &>> 16
        word ^= word &>> 8
        var x = UInt8(truncatingIfNeeded: word)
        while i < to {
            x ^= bytes[i]
            i &+= 1
        }
        return x
    }

    /// The value of a hex digit, or 0xFF.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 {
        let d = c &- UInt8(ascii: "0")
        if d <= 9 { return d }
        let l = (c | 0x20) &- UInt8(ascii: "a")
        return l <= 5 ? l &+ 10 : 0xFF
    }

    /// Checks a line (`$` first, no line ending) and returns where its body ends (the `*`,
    /// or the line's end for an accepted checksum-less sentence).
    ///
    /// Throws `badFraming` when there is no `$`, or a `*` is not followed by exactly two hex
    /// digits at the end of the line; `badChecksum` on a mismatch; `noChecksum` when there is
    /// no `*` and `lenient` is off.
    @inline(__always)
    static func checkSentence(_ line: UnsafeRawBufferPointer, lenient: Bool) throws(NMEAError) -> Int {
        let count = line.count
        guard count >= 1, line[0] == UInt8(ascii: "$") else { throw .badFraming }
        if count >= 4, line[count &- 3] == UInt8(ascii: "*") {
            let hi = hexValue(line[count &- 2])
            let lo = hexValue(line[count &- 1])
            guard (hi | lo) <= 0x0F else { throw .badFraming }
            let expected = hi &<< 4 | lo
            let actual = xor(line, from: 1, to: count &- 3)
            guard actual == expected else { throw .badChecksum(expected: expected, actual: actual) }
            return count &- 3
        }
        for i in 1..<count where line[i] == UInt8(ascii: "*") { throw .badFraming }
        guard lenient else { throw .noChecksum }
        return count
    }
}
