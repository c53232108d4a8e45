/// A cursor over the comma-separated fields of one sentence, from after the address field to
/// just before `*` (or the end of a checksum-less sentence).
///
/// Borrows the line's bytes: use it only inside the scope that produced them. Fields past the
/// last one are empty, so a sentence from an older NMEA version that omits trailing fields
/// (RMC without the 2.3 mode letter) reads them as absent. O(field length) per `next()`.
struct NMEAFields {
    let bytes: UnsafeRawBufferPointer
    /// Index just past the last field byte (the `*`, or the end of the line).
    let end: Int
    /// Start of the next field.
    var position: Int
    /// 1-based index of the field `next()` returns next, for error messages.
    var fieldNumber = 1

    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer, from position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.end = end
    }

    /// The next field; empty once the sentence is exhausted.
    @inline(__always)
    mutating func next() -> NMEAField {
        let start = position
        var i = start
        while i < end, bytes[i] != UInt8(ascii: ",") { i &+= 1 }
        position = i &+ 1
        let number = fieldNumber
        fieldNumber &+= 1
        return NMEAField(bytes: bytes, start: min(start, end), end: min(i, end), number: number)
    }

    /// Skips `count` fields.
    @inline(__always)
    mutating func skip(_ count: Int) {
        for _ in 0..<count { _ = next() }
    }
}

/// One field of a sentence: `bytes[start..<end]`, possibly empty (absent).
struct NMEAField {
    let bytes: UnsafeRawBufferPointer
    let start: Int
    let end: Int
    /// 1-based field index in the sentence.
    let number: Int

    @inline(__always) var isEmpty: Bool { start >= end }
    @inline(__always) var count: Int { end - start }
    @inline(__always) var error: NMEAError { .badField(field: number) }

    /// The single character of a one-byte field; `nil` when empty; throws on longer fields.
    @inline(__always)
    func character() throws(NMEAError) -> UInt8? {
        if isEmpty { return nil }
        guard count == 1 else { throw error }
        return bytes[start]
    }

    /// An unsigned decimal integer of at most 9 digits; `nil` when empty.
    @inline(__always)
    func unsigned() throws(NMEAError) -> Int? {
        if isEmpty { return nil }
        guard count <= 9 else { throw error }
        var value = 0
        for i in start..<end {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d <= 9 else { throw error }
            value = value &* 10 &+ Int(d)
        }
        return value
    }

    /// A decimal number `[-]digits[.digits]` as a `Double`, correctly rounded (the same value
    /// as parsing the text with a correctly rounding `strtod`); `nil` when empty. At most 15
    /// significant digits are read exactly; further fraction digits are read but dropped, and
    /// more than 15 integer digits is an error.
    @inline(__always)
    func decimal(signed: Bool = false) throws(NMEAError) -> Double? {
        if isEmpty { return nil }
        var i = start
        var negative = false
        if signed, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i &+= 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var scale = 0
        var sawPoint = false
        var sawDigit = false
        while i < end {
            let c = bytes[i]
            let d = c &- UInt8(ascii: "0")
            if d <= 9 {
                sawDigit = true
                if !sawPoint {
                    guard digits < 15 else { throw error }
                    mantissa = mantissa &* 10 &+ Int64(d)
                    if mantissa != 0 { digits &+= 1 }
                } else if digits < 15, scale < 15 {
                    mantissa = mantissa &* 10 &+ Int64(d)
                    if mantissa != 0 { digits &+= 1 }
                    scale &+= 1
                }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                throw error
            }
            i &+= 1
        }
        guard sawDigit else { throw error }
        let value = Double(mantissa) / NMEANumbers.powersOfTen[scale]
        return negative ? -value : value
    }

    /// A UTC time of day `hhmmss[.fff...]` in milliseconds since midnight (fraction digits
    /// past milliseconds are truncated); `nil` when empty. Second 60 (a leap second) is
    /// accepted, as `UTCTime.epochMs` accepts it.
    @inline(__always)
    func timeOfDayMs() throws(NMEAError) -> Int32? {
        if isEmpty { return nil }
        guard count >= 6 else { throw error }
        let s = start
        let h = try twoDigits(s)
        let m = try twoDigits(s &+ 2)
        let sec = try twoDigits(s &+ 4)
        guard h <= 23, m <= 59, sec <= 60 else { throw NMEAError.badTime }
        var ms = 0
        if count > 6 {
            guard bytes[s &+ 6] == UInt8(ascii: ".") else { throw error }
            var scale = 100
            var i = s &+ 7
            while i < end {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d <= 9 else { throw error }
                ms &+= Int(d) &* scale
                scale /= 10
                i &+= 1
            }
        }
        return Int32(truncatingIfNeeded: ((h &* 60 &+ m) &* 60 &+ sec) &* 1000 &+ ms)
    }

    /// Two ASCII digits at `i` as a number.
    @inline(__always)
    func twoDigits(_ i: Int) throws(NMEAError) -> Int {
        let a = bytes[i] &- UInt8(ascii: "0")
        let b = bytes[i &+ 1] &- UInt8(ascii: "0")
        guard a <= 9, b <= 9 else { throw error }
        return Int(a) &* 10 &+ Int(b)
    }
}

/// Lookup tables for number parsing.
enum NMEANumbers {
    /// 10^0 ... 10^15, exact in `Double`.
    static let powersOfTen: [Double] = (0...15).map { n in
        var p = 1.0
        for _ in 0..<n { p *= 10 }
        return p
    }
}
