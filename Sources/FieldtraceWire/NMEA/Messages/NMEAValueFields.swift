import FieldtraceCore

/// Range-checked value fields shared by the sentence parsers. Each range keeps decoded fixes
/// physically plausible; a value outside it rejects the sentence as `bad_field`.
extension NMEAFields {
    /// Fastest accepted speed, knots: 3,500 kn is 1,800 m/s, beyond any vehicle a tracker
    /// rides (a receiver's own COCOM limit is 1,000 kn).
    static let maxSpeedKnots = 3500.0
    /// Altitude range, metres: from below the deepest mine to above any balloon
    /// (exclusive bounds).
    static let lowestAltitudeM = -11_000.0
    static let highestAltitudeM = 1_000_000.0
    /// Largest HDOP: receivers send 99.9 without a fix; larger is garbage.
    static let maxHDOP = 9999.0

    /// Speed over ground in knots, as metres per second.
    @inline(__always)
    mutating func speedKnotsAsMps() throws(NMEAError) -> Double? {
        guard let knots = try decimal() else { return nil }
        guard knots <= Self.maxSpeedKnots else { throw .badField(field: fieldNumber &- 1) }
        return Units.knotsToMetersPerSecond(knots)
    }

    /// Speed over ground in km/h, as metres per second.
    @inline(__always)
    mutating func speedKmhAsMps() throws(NMEAError) -> Double? {
        guard let kmh = try decimal() else { return nil }
        guard kmh <= Self.maxSpeedKnots * 1.852 else { throw .badField(field: fieldNumber &- 1) }
        return Units.kmhToMetersPerSecond(kmh)
    }

    /// Course over ground, degrees true, 0 ..< 360 (360 itself, a rounding artefact of some
    /// receivers, is 0).
    @inline(__always)
    mutating func courseDeg() throws(NMEAError) -> Double? {
        guard let course = try decimal() else { return nil }
        guard course <= 360 else { throw .badField(field: fieldNumber &- 1) }
        return course == 360 ? 0 : course
    }

    /// Altitude, metres.
    @inline(__always)
    mutating func altitudeM() throws(NMEAError) -> Double? {
        guard let altitude = try decimal(signed: true) else { return nil }
        guard altitude > Self.lowestAltitudeM, altitude < Self.highestAltitudeM else {
            throw .badField(field: fieldNumber &- 1)
        }
        return altitude
    }

    /// HDOP (dimensionless).
    @inline(__always)
    mutating func hdop() throws(NMEAError) -> Double? {
        guard let hdop = try decimal() else { return nil }
        guard hdop <= Self.maxHDOP else { throw .badField(field: fieldNumber &- 1) }
        return hdop
    }

    /// Satellites used, 0 ... 255.
    @inline(__always)
    mutating func satellites() throws(NMEAError) -> UInt8? {
        guard let n = try unsigned() else { return nil }
        guard n <= 255 else { throw .badField(field: fieldNumber &- 1) }
        return UInt8(truncatingIfNeeded: n)
    }

    /// A status letter: `A` valid, `V` invalid, empty absent.
    @inline(__always)
    mutating func status() throws(NMEAError) -> Bool? {
        switch try character() {
        case nil: return nil
        case UInt8(ascii: "A"): return true
        case UInt8(ascii: "V"): return false
        default: throw error
        }
    }
}
