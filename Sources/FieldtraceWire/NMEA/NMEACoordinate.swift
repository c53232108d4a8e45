/// Latitude and longitude fields, converted to 1e-7 degree with integer arithmetic only.
extension NMEAField {
    /// Minute fraction digits read exactly. Rounding to 1e-7 degree needs only 6 (a halfway
    /// point, 3e-6 minute times an odd number, has 6 decimals), so dropping digits past 9
    /// never changes the result.
    static let minuteFractionDigits = 9

    /// A coordinate `[d]ddmm.mmmm` (latitude, `maxDegrees` 90) or `dddmm.mmmm` (longitude,
    /// 180) with its hemisphere field, in 1e-7 degree rounded half away from zero; `nil` when
    /// the field is empty.
    ///
    /// Degrees = dd + mm.mmmm / 60, computed as `dd * 10^7 + round(M * 10^7 / (60 * 10^k))`
    /// where `M` is the minutes times `10^k` as an integer: exact, with no `Double`. Throws
    /// on a malformed number, minutes of 60 or more, a value beyond `maxDegrees`, or a
    /// missing or wrong hemisphere letter.
    @inline(__always)
    func coordinateE7(
        hemisphere: NMEAField, positive: UInt8, negative: UInt8, maxDegrees: Int
    ) throws(NMEAError) -> Int32? {
        if isEmpty { return nil }
        var point = start
        while point < end, bytes[point] != UInt8(ascii: ".") { point &+= 1 }
        let integerDigits = point &- start
        guard integerDigits >= 3, integerDigits <= 5 else { throw error }
        var degrees = 0
        for i in start..<(point &- 2) {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d <= 9 else { throw error }
            degrees = degrees &* 10 &+ Int(d)
        }
        let minutes = try twoDigits(point &- 2)
        guard minutes < 60 else { throw error }
        var scaledMinutes = minutes
        var denominator = 60
        if point < end {
            var i = point &+ 1
            var used = 0
            while i < end {
                let d = bytes[i] &- UInt8(ascii: "0")
                guard d <= 9 else { throw error }
                if used < Self.minuteFractionDigits {
                    scaledMinutes = scaledMinutes &* 10 &+ Int(d)
                    denominator = denominator &* 10
                    used &+= 1
                }
                i &+= 1
            }
        }
        // scaledMinutes < 6e10 and denominator <= 6e10: every product below stays under 2^63.
        let fractionE7 = (scaledMinutes &* 20_000_000 &+ denominator) / (denominator &* 2)
        let magnitude = degrees &* 10_000_000 &+ fractionE7
        guard magnitude <= maxDegrees &* 10_000_000 else { throw error }
        guard let letter = try hemisphere.character() else { throw hemisphere.error }
        if letter == positive { return Int32(truncatingIfNeeded: magnitude) }
        guard letter == negative else { throw hemisphere.error }
        return Int32(truncatingIfNeeded: -magnitude)
    }

    /// A latitude field with its `N`/`S` field.
    @inline(__always)
    func latitudeE7(_ hemisphere: NMEAField) throws(NMEAError) -> Int32? {
        try coordinateE7(
            hemisphere: hemisphere, positive: UInt8(ascii: "N"), negative: UInt8(ascii: "S"), maxDegrees: 90)
    }

    /// A longitude field with its `E`/`W` field.
    @inline(__always)
    func longitudeE7(_ hemisphere: NMEAField) throws(NMEAError) -> Int32? {
        try coordinateE7(
            hemisphere: hemisphere, positive: UInt8(ascii: "E"), negative: UInt8(ascii: "W"), maxDegrees: 180)
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
        let lat = fields.next()
        let ns = fields.next()
        let lon = fields.next()
        let ew = fields.next()
        let latitude = try lat.latitudeE7(ns)
        let longitude = try lon.longitudeE7(ew)
        switch (latitude, longitude) {
        case (let la?, let lo?): return NMEAPosition(latitudeE7: la, longitudeE7: lo)
        case (nil, nil): return nil
        case (nil, _): throw lat.error
        case (_, nil): throw lon.error
        }
    }
}
