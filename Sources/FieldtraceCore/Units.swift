/// Unit conversions. Exact factors, named by what they convert.
public enum Units {
    /// Metres per second in one knot (1852 m per hour, exact).
    public static let metersPerSecondPerKnot = 1852.0 / 3600.0
    /// Metres per second in one km/h.
    public static let metersPerSecondPerKmh = 1.0 / 3.6

    @inlinable public static func knotsToMetersPerSecond(_ knots: Double) -> Double { knots * 1852.0 / 3600.0 }
    @inlinable public static func kmhToMetersPerSecond(_ kmh: Double) -> Double { kmh / 3.6 }
    @inlinable public static func metersPerSecondToKmh(_ mps: Double) -> Double { mps * 3.6 }
}

/// Coordinates in 1e-7 degree: conversions and exact decimal formatting.
public enum CoordinateE7 {
    /// Rounds degrees to the nearest 1e-7 degree (half away from zero).
    @inlinable
    public static func fromDegrees(_ degrees: Double) -> Int32 {
        Int32((degrees * 1e7).rounded(.toNearestOrAwayFromZero))
    }

    /// Whether a latitude/longitude pair lies in the WGS-84 range.
    @inlinable
    public static func isInRange(latitudeE7: Int32, longitudeE7: Int32) -> Bool {
        latitudeE7 >= -Limits.maxLatitudeE7 && latitudeE7 <= Limits.maxLatitudeE7
            && longitudeE7 >= -Limits.maxLongitudeE7 && longitudeE7 <= Limits.maxLongitudeE7
    }

    /// Appends the exact decimal form of an E7 value (`-33.8688197`, `12.5`, `0`), trailing zeros
    /// trimmed, to a byte buffer: lossless, so the text round-trips to the same integer.
    @inlinable
    public static func appendDecimal(_ e7: Int32, to out: inout [UInt8]) {
        var magnitude = Int64(e7)
        if magnitude < 0 {
            out.append(UInt8(ascii: "-"))
            magnitude = -magnitude
        }
        let whole = magnitude / 10_000_000
        var fraction = magnitude % 10_000_000
        ISO8601.appendDigits(Int(whole), width: 1, to: &out)
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        var width = 7
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        ISO8601.appendDigits(Int(fraction), width: width, to: &out)
    }

    /// The exact decimal form of an E7 value as a `String`.
    public static func decimalString(_ e7: Int32) -> String {
        var out: [UInt8] = []
        appendDecimal(e7, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
