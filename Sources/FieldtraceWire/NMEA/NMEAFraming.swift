/// What one pass over a line found: where it ends and the XOR of its bytes.
struct NMEALineScan {
    /// Index of the `\n` (or the scan limit when `foundNewline` is false).
    var end: Int
    var foundNewline: Bool
    /// XOR of every byte from the scan start to `end`.
    var xor: UInt8
}

/// Line framing and the sentence checksum, word at a time.
///
/// A line is the bytes before a `\n` (a trailing `\r` is dropped). A sentence is
/// `$<body>*hh`: `hh` is the XOR of the body bytes in hex (either case). One pass reads the
/// line eight bytes per step (SWAR) and finds the newline and the XOR of the bytes at once;
/// the checksum then only corrects for `$`, `*` and the two digits.
enum NMEAFraming {
    static let newlineWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    static let lowBits: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Scans `bytes[from..<limit]` for the first `\n`, XORing the bytes before it.
    @inline(__always)
    static func scanLine(_ bytes: UnsafeRawBufferPointer, from: Int, limit: Int) -> NMEALineScan {
        var x: UInt64 = 0
        var i = from
        if let base = bytes.baseAddress {
            while i &+ 8 <= limit {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let n = w ^ newlineWord
                // The lowest flagged byte is exactly the first newline (false positives only
                // appear above a true match).
                let newline = (n &- lowBits) & ~n & highBits
                if newline != 0 {
                    let k = newline.trailingZeroBitCount &>> 3
                    let keep: UInt64 = k == 0 ? 0 : UInt64.max &>> UInt64(64 &- 8 &* k)
                    x ^= w & keep
                    return NMEALineScan(end: i &+ k, foundNewline: true, xor: fold(x))
                }
                x ^= w
                i &+= 8
            }
        }
        while i < limit {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") { return NMEALineScan(end: i, foundNewline: true, xor: fold(x)) }
            x ^= UInt64(b)
            i &+= 1
        }
        return NMEALineScan(end: limit, foundNewline: false, xor: fold(x))
    }

    @inline(__always)
    static func fold(_ word: UInt64) -> UInt8 {
        var w = word
        w ^= w &>> 32
        w ^= w &>> 16
        w ^= w &>> 8
        return UInt8(truncatingIfNeeded: w)
    }

    /// Index of the first `\n` in `bytes[from..<to]`, or `nil` (for skipping too-long lines).
    @inline(__always)
    static func newline(in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var i = from
        while i &+ 8 <= to {
            let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ newlineWord
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

    /// The value of a hex digit, or 0xFF.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 {
        let d = c &- UInt8(ascii: "0")
        if d <= 9 { return d }
        let l = (c | 0x20) &- UInt8(ascii: "a")
        return l <= 5 ? l &+ 10 : 0xFF
    }

    /// Checks a line (`$` first, no line ending) whose bytes XOR to `lineXor`, and returns
    /// where its body ends (the `*`, or the line's end for an accepted checksum-less
    /// sentence).
    ///
    /// Throws `badFraming` when there is no `$`, or a `*` is not followed by exactly two hex
    /// digits at the end of the line; `badChecksum` on a mismatch; `noChecksum` when there is
    /// no `*` and `lenient` is off.
    @inline(__always)
    static func checkSentence(_ line: UnsafeRawBufferPointer, lineXor: UInt8, lenient: Bool) throws(NMEAError) -> Int {
        let count = line.count
        guard count >= 1, line[0] == UInt8(ascii: "$") else { throw .badFraming }
        if count >= 4, line[count &- 3] == UInt8(ascii: "*") {
            let h = line[count &- 2]
            let l = line[count &- 1]
            let hi = hexValue(h)
            let lo = hexValue(l)
            guard (hi | lo) <= 0x0F else { throw .badFraming }
            let expected = hi &<< 4 | lo
            // The body's XOR: the line's without `$`, `*` and the two digits.
            let actual = lineXor ^ UInt8(ascii: "$") ^ UInt8(ascii: "*") ^ h ^ l
            guard actual == expected else { throw .badChecksum(expected: expected, actual: actual) }
            return count &- 3
        }
        for i in 1..<count where line[i] == UInt8(ascii: "*") { throw .badFraming }
        guard lenient else { throw .noChecksum }
        return count
    }
}
