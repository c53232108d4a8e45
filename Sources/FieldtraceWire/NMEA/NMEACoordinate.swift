/// Latitude and longitude fields, converted to 1e-7 degree with integer arithmetic only.
extension NMEAFields {
    /// Minute fraction digits read exactly. Rounding to 1e-7 degree needs only 6 (a halfway
    /// point, 3e-6 minute times an odd number, has 6 decimals), so dropping digits past 9
    /// never changes the result.
    static let minuteFractionDigits = 9

    /// A coordinate `[d]ddmm.mmmm` (latitude, `maxDegrees` 90) or `dddmm.mmmm` (longitude,
    /// 180) and its hemisphere field, in 1e-7 degree rounded half away from zero; `nil` when
    /// the coordinate field is empty (the hemisphere field is then skipped).
    ///
    /// Degrees = dd + mm.mmmm / 60, computed as `dd * 10^7 + round(M * 10^7 / (60 * 10^k))`
    /// where `M` is the minutes times `10^k` as an integer: exact, with no `Double`, in one
    /// pass over the digits. Throws on a malformed number, minutes of 60 or more, a value
    /// beyond `maxDegrees`, or a missing or wrong hemisphere letter.
    @inline(__always)
    mutating func coordinateE7(positive: UInt8, negative: UInt8, maxDegrees: Int) throws(NMEAError) -> Int32? {
        let start = position
        var i = start
        var integer = 0
        while i < end {
            let d = bytes[i] &- UInt8(ascii: "0")
            if d > 9 { break }
            integer = integer &* 10 &+ Int(d)
            i &+= 1
        }
        let integerDigits = i &- start
        var fraction = 0
        var scale = 1
        var used = 0
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i &+= 1
            let fractionStart = i
            let exactEnd = min(end, fractionStart &+ Self.minuteFractionDigits)
            while i < exactEnd {
                let d = bytes[i] &- UInt8(ascii: "0")
                if d > 9 { break }
                fraction = fraction &* 10 &+ Int(d)
                scale = scale &* 10
                used &+= 1
                i &+= 1
            }
            // Digits past 9 decimals are checked, not used.
            while i < end, bytes[i] &- UInt8(ascii: "0") <= 9 { i &+= 1 }
        }
        if i < end, bytes[i] != UInt8(ascii: ",") { throw error }
        if i == start {
            finish(at: i)
            skip()
            return nil
        }
        guard integerDigits >= 3, integerDigits <= 5 else { throw error }
        let degrees = integer / 100
        let minutes = integer % 100
        guard minutes < 60 else { throw error }
        // scaledMinutes < 6e10, so scaledMinutes * 2e7 < 1.2e18 stays under 2^63.
        let scaledMinutes = minutes &* scale &+ fraction
        // round(M * 10^7 / (60 * 10^k)) = (M * 2 * 10^7 + 60 * 10^k) / (120 * 10^k).
        let fractionE7 = Self.divideBy120TimesPowerOfTen(scaledMinutes &* 20_000_000 &+ 60 &* scale, digits: used)
        let magnitude = degrees &* 10_000_000 &+ fractionE7
        guard magnitude <= maxDegrees &* 10_000_000 else { throw error }
        finish(at: i)
        guard let letter = try character() else { throw .badField(field: fieldNumber &- 1) }
        if letter == positive { return Int32(truncatingIfNeeded: magnitude) }
        guard letter == negative else { throw .badField(field: fieldNumber &- 1) }
        return Int32(truncatingIfNeeded: -magnitude)
    }

    /// `x / (120 * 10^digits)` for digits 0...9, with a constant divisor per case (a multiply
    /// and a shift instead of a 40-cycle 64-bit division).
    @inline(__always)
    static func divideBy120TimesPowerOfTen(_ x: Int, digits: Int) -> Int {
        switch digits {
        case 0: x / 120
        case 1: x / 1_200
        case 2: x / 12_000
        case 3: x / 120_000
        case 4: x / 1_200_000
        case 5: x / 12_000_000
        case 6: x / 120_000_000
        case 7: x / 1_200_000_000
        case 8: x / 12_000_000_000
        default: x / 120_000_000_000
        }
    }

    /// A latitude field and its `N`/`S` field.
    @inline(__always)
    mutating func latitudeE7() throws(NMEAError) -> Int32? {
        try coordinateE7(positive: UInt8(ascii: "N"), negative: UInt8(ascii: "S"), maxDegrees: 90)
    }

    /// A longitude field and its `E`/`W` field.
    @inline(__always)
    mutating func longitudeE7() throws(NMEAError) -> Int32? {
        try coordinateE7(positive: UInt8(ascii: "E"), negative: UInt8(ascii: "W"), maxDegrees: 180)
    }
}

/// A position as it appears in one sentence: both coordinates or neither.
struct NMEAPosition: Equatable {
    var latitudeE7: Int32
    var longitudeE7: Int32

    /// Reads lat, N/S, lon, E/W fields. Both empty: `nil` (no fix yet). One present without
    /// the other: a malformed sentence.
    @inline(__always)
    static func read(_ fields: inout NMEAFields) throws(NMEAError) -> NMEAPosition? {
        let latitudeField = fields.fieldNumber
        let latitude = try fields.latitudeE7()
        let longitude = try fields.longitudeE7()
        if let latitude, let longitude { return NMEAPosition(latitudeE7: latitude, longitudeE7: longitude) }
        if latitude == nil, longitude == nil { return nil }
        throw .badField(field: latitude == nil ? latitudeField : latitudeField &+ 2)
    }
}
