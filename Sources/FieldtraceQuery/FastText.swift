import FieldtraceCore

/// Digits written through a raw pointer, for the renderers' per-fix loop: constant divisors
/// only (the compiler turns them into multiplications), no bounds checks per byte, no `String`.
/// Each writer returns the position after what it wrote; the caller guarantees room
/// (`maxNumberBytes` per number).
enum FastText {
    typealias Cursor = UnsafeMutablePointer<UInt8>

    /// Most bytes one number takes: a 20-digit integer with sign, a decimal or Swift's
    /// description of a double (at most 24).
    static let maxNumberBytes = 32

    @inline(__always)
    static func byte(_ value: UInt8, _ p: Cursor) -> Cursor {
        p.pointee = value
        return p + 1
    }

    @inline(__always)
    static func bytes(_ text: StaticString, _ p: Cursor) -> Cursor {
        p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return p + text.utf8CodeUnitCount
    }

    @inline(__always)
    static func bytes(_ buffer: UnsafeBufferPointer<UInt8>, _ p: Cursor) -> Cursor {
        guard let base = buffer.baseAddress else { return p }
        p.update(from: base, count: buffer.count)
        return p + buffer.count
    }

    /// Two digits of `value` (0 ... 99).
    @inline(__always)
    static func digits2(_ value: Int, _ p: Cursor) -> Cursor {
        p[0] = UInt8(truncatingIfNeeded: 48 + value / 10)
        p[1] = UInt8(truncatingIfNeeded: 48 + value % 10)
        return p + 2
    }

    /// Decimal digits of an unsigned integer, no leading zeros.
    @inline(__always)
    static func unsigned(_ value: UInt64, _ p: Cursor) -> Cursor {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        rest = value
        var q = p + count
        repeat {
            q -= 1
            q.pointee = UInt8(truncatingIfNeeded: 48 + rest % 10)
            rest /= 10
        } while rest > 0
        return p + count
    }

    @inline(__always)
    static func integer(_ value: Int64, _ p: Cursor) -> Cursor {
        value < 0 ? unsigned(value.magnitude, byte(UInt8(ascii: "-"), p)) : unsigned(UInt64(value), p)
    }

    /// The exact decimal of a 1e-7 degree value, trailing zeros trimmed (`-33.8688197`, `12.5`,
    /// `0`): the same text as `CoordinateE7.appendDecimal`. 32-bit arithmetic, the seven
    /// fraction digits from three constant divisions (about 20 instructions, no loop per digit).
    @inline(__always)
    static func e7(_ value: Int32, _ p: Cursor) -> Cursor {
        var p = p
        if value < 0 { p = byte(UInt8(ascii: "-"), p) }
        let magnitude = value.magnitude
        let whole = magnitude / 10_000_000  // at most 214
        var fraction = magnitude &- whole &* 10_000_000
        if whole >= 100 {
            let hundreds = whole / 100
            let rest = whole &- hundreds &* 100
            p[0] = UInt8(truncatingIfNeeded: 48 &+ hundreds)
            p[1] = UInt8(truncatingIfNeeded: 48 &+ rest / 10)
            p[2] = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
            p += 3
        } else if whole >= 10 {
            p[0] = UInt8(truncatingIfNeeded: 48 &+ whole / 10)
            p[1] = UInt8(truncatingIfNeeded: 48 &+ whole % 10)
            p += 2
        } else {
            p[0] = UInt8(truncatingIfNeeded: 48 &+ whole)
            p += 1
        }
        guard fraction != 0 else { return p }
        // fraction = a * 100_000 + b * 1_000 + c * 10 + d, with a, b, c two digits each.
        let a = fraction / 100_000
        fraction &-= a &* 100_000
        let b = fraction / 1000
        fraction &-= b &* 1000
        let c = fraction / 10
        let d = fraction &- c &* 10
        p[0] = UInt8(ascii: ".")
        p[1] = UInt8(truncatingIfNeeded: 48 &+ a / 10)
        p[2] = UInt8(truncatingIfNeeded: 48 &+ a % 10)
        p[3] = UInt8(truncatingIfNeeded: 48 &+ b / 10)
        p[4] = UInt8(truncatingIfNeeded: 48 &+ b % 10)
        p[5] = UInt8(truncatingIfNeeded: 48 &+ c / 10)
        p[6] = UInt8(truncatingIfNeeded: 48 &+ c % 10)
        p[7] = UInt8(truncatingIfNeeded: 48 &+ d)
        var end = p + 8
        while (end - 1).pointee == UInt8(ascii: "0") { end -= 1 }
        return end
    }

    /// A JSON number that parses back to exactly `value`: integral values without a fraction;
    /// values with at most 3 decimals (what the store keeps: centimetres, mm/s, 0.01 degree)
    /// as that decimal, written from an integer; anything else in Swift's shortest
    /// round-tripping form. Non-finite values are `null`.
    @inline(__always)
    static func number(_ value: Double, _ p: Cursor) -> Cursor {
        guard value.isFinite else { return bytes("null", p) }
        var scale = 1.0
        for decimals in 0...3 {
            let scaled = (value * scale).rounded()
            if abs(scaled) < 1e15, scaled / scale == value {
                return decimal(Int64(scaled), decimals: decimals, negative: value.sign == .minus, p)
            }
            scale *= 10
        }
        var text = value.description
        return text.withUTF8 { bytes($0, p) }
    }

    /// `cm / 100` as a decimal, trailing zeros trimmed: the text of `decimal(cm, decimals: 2,
    /// negative: cm < 0)` (and so of `number` for a stored altitude), with the common one to
    /// three digit metres written without a loop.
    @inline(__always)
    static func centimetres(_ cm: Int64, _ p: Cursor) -> Cursor {
        var p = p
        if cm < 0 { p = byte(UInt8(ascii: "-"), p) }
        let magnitude = cm.magnitude
        let whole = magnitude / 100
        let fraction = magnitude &- whole &* 100
        if whole < 10 {
            p[0] = UInt8(truncatingIfNeeded: 48 &+ whole)
            p += 1
        } else if whole < 100 {
            p[0] = UInt8(truncatingIfNeeded: 48 &+ whole / 10)
            p[1] = UInt8(truncatingIfNeeded: 48 &+ whole % 10)
            p += 2
        } else if whole < 1000 {
            let rest = whole % 100
            p[0] = UInt8(truncatingIfNeeded: 48 &+ whole / 100)
            p[1] = UInt8(truncatingIfNeeded: 48 &+ rest / 10)
            p[2] = UInt8(truncatingIfNeeded: 48 &+ rest % 10)
            p += 3
        } else {
            p = unsigned(whole, p)
        }
        guard fraction != 0 else { return p }
        p[0] = UInt8(ascii: ".")
        p[1] = UInt8(truncatingIfNeeded: 48 &+ fraction / 10)
        let last = fraction % 10
        guard last != 0 else { return p + 2 }
        p[2] = UInt8(truncatingIfNeeded: 48 &+ last)
        return p + 3
    }

    /// `units / 10^decimals` as a decimal, trailing zeros of the fraction trimmed.
    @inline(__always)
    static func decimal(_ units: Int64, decimals: Int, negative: Bool, _ p: Cursor) -> Cursor {
        var p = p
        if negative { p = byte(UInt8(ascii: "-"), p) }
        let magnitude = units.magnitude
        guard decimals > 0 else { return unsigned(magnitude, p) }
        let divisor: UInt64 = decimals == 1 ? 10 : decimals == 2 ? 100 : 1000
        p = unsigned(magnitude / divisor, p)
        var fraction = magnitude % divisor
        guard fraction != 0 else { return p }
        p.pointee = UInt8(ascii: ".")
        var q = p + decimals
        for _ in 0..<decimals {
            q.pointee = UInt8(truncatingIfNeeded: 48 + fraction % 10)
            q -= 1
            fraction /= 10
        }
        var end = p + decimals + 1
        while (end - 1).pointee == UInt8(ascii: "0") { end -= 1 }
        return end
    }
}

/// ISO 8601 UTC times with milliseconds (`2025-11-29T08:00:00.000Z`), written from a cached
/// `YYYY-MM-DDTHH:MM:` prefix: consecutive fixes share their minute, so the calendar arithmetic
/// runs once a minute, not once a fix. Same text as `ISO8601.append`.
struct TimeText {
    private var minute = Int64.min
    /// The 17 prefix bytes, as words for two unaligned stores.
    private var prefixHead: UInt64 = 0
    private var prefixTail: UInt64 = 0
    private var prefixLast: UInt8 = 0
    /// Years outside 0 ... 9999 do not have the 24-byte form: written by `ISO8601.append`.
    private var plain = false
    /// Reused for the prefix, so a new minute allocates nothing.
    private var scratch: [UInt8] = []

    /// Writes at most 32 bytes.
    @inline(__always)
    mutating func write(_ ms: Int64, _ p: FastText.Cursor) -> FastText.Cursor {
        guard ms > -(1 << 61), ms < 1 << 61 else { return Self.plain(ms, p) }
        let (quotient, remainder) = ms.quotientAndRemainder(dividingBy: 60_000)
        let minute = remainder < 0 ? quotient - 1 : quotient
        if minute != self.minute { load(minute) }
        guard !plain else { return Self.plain(ms, p) }
        let raw = UnsafeMutableRawPointer(p)
        raw.storeBytes(of: prefixHead, as: UInt64.self)
        raw.storeBytes(of: prefixTail, toByteOffset: 8, as: UInt64.self)
        p[16] = prefixLast
        let inMinute = Int(ms - minute * 60_000)
        var q = FastText.digits2(inMinute / 1000, p + 17)
        q.pointee = UInt8(ascii: ".")
        let milli = inMinute % 1000
        q[1] = UInt8(truncatingIfNeeded: 48 + milli / 100)
        q[2] = UInt8(truncatingIfNeeded: 48 + milli / 10 % 10)
        q[3] = UInt8(truncatingIfNeeded: 48 + milli % 10)
        q[4] = UInt8(ascii: "Z")
        q += 5
        return q
    }

    private static func plain(_ ms: Int64, _ p: FastText.Cursor) -> FastText.Cursor {
        var text: [UInt8] = []
        ISO8601.append(ms: ms, to: &text)
        return text.withUnsafeBufferPointer { FastText.bytes($0, p) }
    }

    private mutating func load(_ minute: Int64) {
        self.minute = minute
        scratch.removeAll(keepingCapacity: true)
        ISO8601.append(ms: minute * 60_000, to: &scratch)
        plain = scratch.count != 24
        guard !plain else { return }
        scratch.withUnsafeBytes { raw in
            prefixHead = raw.loadUnaligned(as: UInt64.self)
            prefixTail = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            prefixLast = raw[16]
        }
    }
}
