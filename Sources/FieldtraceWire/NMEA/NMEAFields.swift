/// A cursor over the comma-separated fields of one sentence, from after the address field to
/// just before `*` (or the end of a checksum-less sentence).
///
/// Each reader parses the next field straight from the bytes and stops at its comma, so a
/// sentence is read in one pass: no separate split, no copies. Fields past the last one are
/// empty, so a sentence from an older NMEA version that omits trailing fields (RMC without
/// the 2.3 mode letter) reads them as absent. Borrows the line's bytes: use it only inside
/// the scope that produced them.
struct NMEAFields {
    /// The line's first byte (`$`). Reads never go past `end`.
    let bytes: UnsafePointer<UInt8>
    /// Index just past the last field byte (the `*`, or the end of the line).
    let end: Int
    /// Start of the next field (past `end` once the sentence is exhausted).
    var position: Int
    /// 1-based index of the next field, for error messages.
    var fieldNumber = 1

    /// Fields of `line[from..<end]`; `line` must not be empty.
    @inline(__always)
    init(_ line: UnsafeRawBufferPointer, from position: Int, end: Int) {
        precondition(!line.isEmpty && end <= line.count, "fields of an empty line")
        self.bytes = line.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
        self.position = position
        self.end = end
    }

    /// A malformed-field error for the field being read.
    @inline(__always) var error: NMEAError { .badField(field: fieldNumber) }

    /// Ends the field that stops at `i` (a comma or `end`): moves past its comma.
    @inline(__always)
    mutating func finish(at i: Int) {
        position = i &+ 1
        fieldNumber &+= 1
    }

    /// Index of the comma (or `end`) that ends the field starting at `from`.
    @inline(__always)
    func fieldEnd(from: Int) -> Int {
        var i = from
        while i < end, bytes[i] != UInt8(ascii: ",") { i &+= 1 }
        return i
    }

    /// The next field as raw bytes (for fields read letter by letter: GNS mode, `$PGID`).
    @inline(__always)
    mutating func next() -> NMEAField {
        let start = min(position, end)
        let stop = fieldEnd(from: start)
        let field = NMEAField(bytes: bytes, start: start, end: stop, number: fieldNumber)
        finish(at: stop)
        return field
    }

    /// Skips the next field.
    @inline(__always)
    mutating func skip() {
        finish(at: fieldEnd(from: min(position, end)))
    }

    /// Skips `count` fields.
    @inline(__always)
    mutating func skip(_ count: Int) {
        for _ in 0..<count { skip() }
    }

    /// Skips the next field and tells whether it had any bytes.
    @inline(__always)
    mutating func skipNonEmpty() -> Bool {
        let start = min(position, end)
        let stop = fieldEnd(from: start)
        finish(at: stop)
        return stop > start
    }

    /// The single character of a one-byte field; `nil` when empty; throws on longer fields.
    @inline(__always)
    mutating func character() throws(NMEAError) -> UInt8? {
        let p = position
        if p >= end {
            finish(at: p)
            return nil
        }
        let c = bytes[p]
        if c == UInt8(ascii: ",") {
            finish(at: p)
            return nil
        }
        guard p &+ 1 >= end || bytes[p &+ 1] == UInt8(ascii: ",") else { throw error }
        finish(at: p &+ 1)
        return c
    }

    /// An unsigned decimal integer of at most 9 digits; `nil` when empty.
    @inline(__always)
    mutating func unsigned() throws(NMEAError) -> Int? {
        let start = position
        var i = start
        var value = 0
        while i < end {
            let c = bytes[i]
            let d = c &- UInt8(ascii: "0")
            if d <= 9 {
                value = value &* 10 &+ Int(d)
            } else if c == UInt8(ascii: ",") {
                break
            } else {
                throw error
            }
            i &+= 1
        }
        let digits = i &- start
        guard digits <= 9 else { throw error }
        finish(at: i)
        return digits > 0 ? value : nil
    }

    /// A decimal number `[-]digits[.digits]` as a `Double`, correctly rounded (the value a
    /// correctly rounding `strtod` gives for the text); `nil` when empty. At most 15
    /// significant digits are read exactly; further fraction digits are checked but dropped,
    /// and more than 15 integer digits is an error.
    @inline(__always)
    mutating func decimal(signed: Bool = false) throws(NMEAError) -> Double? {
        let start = position
        var i = start
        var negative = false
        if signed, i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i &+= 1
        }
        let digitsStart = i
        var mantissa: Int64 = 0
        // Integer part: at most 15 digits.
        while i < end {
            let d = bytes[i] &- UInt8(ascii: "0")
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ Int64(d)
            i &+= 1
        }
        var sawDigit = i > digitsStart
        guard i &- digitsStart <= 15 else { throw error }
        var scale = 0
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i &+= 1
            // Fraction: kept while the mantissa has room for it (15 significant digits).
            let fractionStart = i
            let room = 15 &- (mantissa == 0 ? 0 : NMEANumbers.digitCount(mantissa))
            while i < end {
                let d = bytes[i] &- UInt8(ascii: "0")
                if d > 9 { break }
                if scale < room {
                    mantissa = mantissa &* 10 &+ Int64(d)
                    scale &+= 1
                }
                i &+= 1
            }
            sawDigit = sawDigit || i > fractionStart
        }
        if i < end, bytes[i] != UInt8(ascii: ",") { throw error }
        finish(at: i)
        if i == start { return nil }
        guard sawDigit else { throw .badField(field: fieldNumber &- 1) }
        let value = Double(mantissa) / NMEANumbers.powerOfTen(scale)
        return negative ? -value : value
    }

    /// A UTC time of day `hhmmss[.fff...]` in milliseconds since midnight (fraction digits
    /// past milliseconds are truncated); `nil` when empty. Second 60 (a leap second) is
    /// accepted, as `UTCTime.epochMs` accepts it.
    @inline(__always)
    mutating func timeOfDayMs() throws(NMEAError) -> Int32? {
        let s = position
        if s >= end || bytes[s] == UInt8(ascii: ",") {
            finish(at: s)
            return nil
        }
        guard s &+ 6 <= end else { throw error }
        let h = try twoDigits(s)
        let m = try twoDigits(s &+ 2)
        let sec = try twoDigits(s &+ 4)
        guard h <= 23, m <= 59, sec <= 60 else { throw NMEAError.badTime }
        var ms = 0
        var i = s &+ 6
        if i < end, bytes[i] != UInt8(ascii: ",") {
            guard bytes[i] == UInt8(ascii: ".") else { throw error }
            i &+= 1
            var scale = 100
            while i < end {
                let c = bytes[i]
                let d = c &- UInt8(ascii: "0")
                if d <= 9 {
                    ms &+= Int(d) &* scale
                    scale /= 10
                } else if c == UInt8(ascii: ",") {
                    break
                } else {
                    throw error
                }
                i &+= 1
            }
        }
        finish(at: i)
        return Int32(truncatingIfNeeded: ((h &* 60 &+ m) &* 60 &+ sec) &* 1000 &+ ms)
    }

    /// Two ASCII digits at `i` (which the caller has checked are inside the sentence).
    @inline(__always)
    func twoDigits(_ i: Int) throws(NMEAError) -> Int {
        let a = bytes[i] &- UInt8(ascii: "0")
        let b = bytes[i &+ 1] &- UInt8(ascii: "0")
        guard a <= 9, b <= 9 else { throw error }
        return Int(a) &* 10 &+ Int(b)
    }
}

/// One field of a sentence, `bytes[start..<end]`, possibly empty (absent).
struct NMEAField {
    let bytes: UnsafePointer<UInt8>
    let start: Int
    let end: Int
    /// 1-based field index in the sentence.
    let number: Int

    @inline(__always) var isEmpty: Bool { start >= end }
    @inline(__always) var count: Int { end - start }
    @inline(__always) var error: NMEAError { .badField(field: number) }
}

/// Number parsing helpers.
enum NMEANumbers {
    /// Decimal digits of a positive value below 10^18.
    @inline(__always)
    static func digitCount(_ v: Int64) -> Int {
        var n = 1
        var p: Int64 = 10
        while p <= v, n < 18 {
            p = p &* 10
            n &+= 1
        }
        return n
    }

    /// 10^n for n in 0...15, exact in `Double` (a switch: no lazily initialised global on the
    /// hot path).
    @inline(__always)
    static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }
}
