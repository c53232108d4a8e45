/// Decimal numbers parsed straight from ASCII bytes, without `Double(String)` or allocation.
///
/// Syntax: optional sign (`-`, or `+` when `allowPlus`), digits with an optional `.` and
/// fraction (at least one digit in all), optional exponent `e`/`E` with an optional sign and
/// 1-4 digits. `scaled` is exact; `double` is correctly rounded when the digits fit 53 bits.
public enum DecimalText {
    /// The parts of a decimal: value = ±digits x 10^exponent.
    struct Parts {
        var negative = false
        /// The digits without sign or exponent (leading zeros included); a `.` may sit among them
        /// and is skipped by the readers.
        var digits: UnsafeRawBufferPointer
        /// How many of `digits` stand before the decimal point, after applying the exponent.
        var integerDigits: Int
    }

    /// Splits `text` into sign, digits and exponent; `nil` on any syntax error.
    static func parts(_ text: UnsafeRawBufferPointer, allowPlus: Bool) -> Parts? {
        var i = 0
        let n = text.count
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") || (allowPlus && text[i] == UInt8(ascii: "+")) {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        let intStart = i
        while i < n, text[i] &- 0x30 < 10 { i += 1 }
        let intEnd = i
        var fractionDigits = 0
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < n, text[i] &- 0x30 < 10 { i += 1 }
            fractionDigits = i - fracStart
        }
        let digitsEnd = i
        guard intEnd > intStart || fractionDigits > 0 else { return nil }
        var exponent = 0
        if i < n, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
                expNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            while i < n, text[i] &- 0x30 < 10, i - expStart < 4 {
                exponent = exponent * 10 + Int(text[i] &- 0x30)
                i += 1
            }
            guard i > expStart else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        return Parts(
            negative: negative, digits: UnsafeRawBufferPointer(rebasing: text[intStart..<digitsEnd]),
            integerDigits: intEnd - intStart + exponent)
    }

    /// The value x 10^`scale`, rounded to the nearest integer (half away from zero), computed
    /// exactly from the digits; `nil` on a syntax error or when the magnitude reaches `limit`.
    ///
    /// `scaled("-33.86881975", scale: 7)` is `-338_688_198`: latitude text to 1e-7 degree with
    /// no binary floating point in between.
    public static func scaled(
        _ text: UnsafeRawBufferPointer, scale: Int, limit: Int64 = 1 << 62, allowPlus: Bool = false
    ) -> Int64? {
        guard let p = parts(text, allowPlus: allowPlus) else { return nil }
        // Digits before the scaled point; the digit after them decides the rounding.
        let kept = p.integerDigits + scale
        var value: Int64 = 0
        var position = 0
        var roundUp = false
        for byte in p.digits where byte != UInt8(ascii: ".") {
            if position < kept {
                guard value <= (limit - 9) / 10 else { return nil }
                value = value * 10 + Int64(byte &- 0x30)
            } else if position == kept {
                roundUp = byte >= UInt8(ascii: "5")
                break
            }
            position += 1
        }
        // The digits ran out before the scaled point: pad with zeros.
        while position < kept {
            if value != 0 {
                guard value <= (limit - 9) / 10 else { return nil }
                value *= 10
            }
            position += 1
        }
        if roundUp { value += 1 }
        guard value < limit else { return nil }
        return p.negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { n in
        var v = 1.0
        for _ in 0..<n { v *= 10 }
        return v
    }

    /// The value as a `Double`: correctly rounded when the significant digits fit in 53 bits
    /// (up to 15 digits) and the exponent is within ±22, as phone apps send; otherwise within
    /// an ulp or two. `nil` on a syntax error.
    public static func double(_ text: UnsafeRawBufferPointer, allowPlus: Bool = false) -> Double? {
        guard let p = parts(text, allowPlus: allowPlus) else { return nil }
        var mantissa: UInt64 = 0
        var digits = 0
        var dropped = 0
        var position = 0
        for byte in p.digits where byte != UInt8(ascii: ".") {
            if mantissa == 0 && byte == UInt8(ascii: "0") {
                // Leading zeros carry no significance.
            } else if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(byte &- 0x30)
                digits += 1
            } else {
                dropped += 1
            }
            position += 1
        }
        // value = all digits x 10^(integerDigits - position) = mantissa x 10^(that + dropped)
        let exponent = p.integerDigits - position + dropped
        var value = Double(mantissa)
        if exponent < 0 {
            var e = -exponent
            while e > 22 {
                value /= 1e22
                e -= 22
            }
            value /= powersOfTen[e]
        } else if exponent > 0 {
            var e = exponent
            while e > 22 {
                value *= 1e22
                e -= 22
            }
            value *= powersOfTen[e]
        }
        return p.negative ? -value : value
    }
}
