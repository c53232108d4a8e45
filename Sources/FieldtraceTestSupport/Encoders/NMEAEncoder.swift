import FieldtraceCore
import FieldtraceWire

/// Writes NMEA 0183 sentences from fixes, for round-trip tests and benchmarks. Written from
/// the sentence layouts (protocols.md section 1), independently of the decoder.
///
/// Coordinates are written with 6 minute decimals, which is exact for 1e-7 degree
/// (`r * 60 / 10^7` minutes = `r * 6 / 10^6`), so a decoded fix has the same `latitudeE7` and
/// `longitudeE7`. Times carry milliseconds (`hhmmss.sss`); speed is written in knots with 4
/// decimals (so it round-trips to about 1e-4 knot).
public enum NMEAEncoder {
    /// The sentence types the encoder writes.
    public enum Kind: Sendable, CaseIterable {
        case rmc, gga, gns, gll, vtg, gsa, zda
    }

    /// `$<body>*hh\r\n`.
    public static func sentence(_ body: String) -> String {
        "$" + body + "*" + hex2(Checksums.xor(Array(body.utf8))) + "\r\n"
    }

    /// `$PGID,<id>[,<token>]*hh\r\n`.
    public static func pgid(_ id: String, token: String? = nil) -> String {
        sentence("PGID," + id + (token.map { "," + $0 } ?? ""))
    }

    /// The sentences of one epoch, in the order given.
    public static func epoch(_ fix: Fix, kinds: [Kind], talker: String = "GP") -> String {
        kinds.map { sentence(body($0, fix, talker: talker)) }.joined()
    }

    /// A stream: `$PGID` of the first fix's device, then one epoch per fix.
    public static func stream(_ fixes: [Fix], kinds: [Kind] = [.rmc, .gga, .gsa, .vtg], talker: String = "GP")
        -> [UInt8]
    {
        guard let first = fixes.first else { return [] }
        var text = pgid(first.device.rawValue)
        for fix in fixes { text += epoch(fix, kinds: kinds, talker: talker) }
        return Array(text.utf8)
    }

    /// The body (between `$` and `*`) of one sentence for `fix`.
    public static func body(_ kind: Kind, _ fix: Fix, talker: String = "GP") -> String {
        let time = timeField(fix.timeMs)
        let position = latitudeField(fix.latitudeE7) + "," + longitudeField(fix.longitudeE7)
        let valid = fix.isValid
        let sats = fix.satellites.map { pad(Int($0), 2) } ?? ""
        let hdop = fix.hdop.map(decimal) ?? ""
        let alt = fix.altitudeM.map(decimal) ?? ""
        let knots = fix.speedMps.map { fixed($0 * 3600 / 1852, 4) } ?? ""
        let course = fix.courseDeg.map { fixed($0, 2) } ?? ""
        let c = UTCTime.components(fix.timeMs)
        switch kind {
        case .rmc:
            let date = pad(c.day, 2) + pad(c.month, 2) + pad(c.year % 100, 2)
            return
                "\(talker)RMC,\(time),\(valid ? "A" : "V"),\(position),\(knots),\(course),\(date),,,\(valid ? "A" : "N")"
        case .gga:
            return "\(talker)GGA,\(time),\(position),\(valid ? 1 : 0),\(sats),\(hdop),\(alt),M,0.0,M,,"
        case .gns:
            return "\(talker)GNS,\(time),\(position),\(valid ? "AAN" : "NNN"),\(sats),\(hdop),\(alt),0.0,,,V"
        case .gll:
            return "\(talker)GLL,\(position),\(time),\(valid ? "A" : "V"),\(valid ? "A" : "N")"
        case .vtg:
            let kmh = fix.speedMps.map { fixed($0 * 3.6, 4) } ?? ""
            return "\(talker)VTG,\(course),T,,M,\(knots),N,\(kmh),K,\(valid ? "A" : "N")"
        case .gsa:
            let n = Int(fix.satellites ?? 0)
            let prns = (0..<12).map { $0 < n ? String($0 + 1) : "" }.joined(separator: ",")
            return "\(talker)GSA,A,\(valid ? 3 : 1),\(prns),,\(hdop),"
        case .zda:
            return "\(talker)ZDA,\(time),\(pad(c.day, 2)),\(pad(c.month, 2)),\(pad(c.year, 4)),00,00"
        }
    }

    /// `hhmmss.sss` of a UTC time.
    public static func timeField(_ ms: Int64) -> String {
        let c = UTCTime.components(ms)
        return pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "." + pad(c.millisecond, 3)
    }

    /// `ddmm.mmmmmm,N|S`, exact for 1e-7 degree.
    public static func latitudeField(_ e7: Int32) -> String {
        coordinate(e7, degreeDigits: 2) + (e7 < 0 ? ",S" : ",N")
    }

    /// `dddmm.mmmmmm,E|W`, exact for 1e-7 degree.
    public static func longitudeField(_ e7: Int32) -> String {
        coordinate(e7, degreeDigits: 3) + (e7 < 0 ? ",W" : ",E")
    }

    static func coordinate(_ e7: Int32, degreeDigits: Int) -> String {
        let magnitude = abs(Int64(e7))
        let degrees = magnitude / 10_000_000
        let microMinutes = magnitude % 10_000_000 * 6  // minutes x 10^6
        return pad(Int(degrees), degreeDigits) + pad(Int(microMinutes / 1_000_000), 2) + "."
            + pad(Int(microMinutes % 1_000_000), 6)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    /// A non-negative or negative value with `places` decimals, no exponent.
    static func fixed(_ value: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        let fraction = scaled % Int64(scale)
        return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + "." + pad(Int(fraction), places)
    }

    /// Shortest decimal text of a value that the decoder reads back to the same `Double`.
    static func decimal(_ value: Double) -> String {
        let text = value.description
        return text.contains("e") ? fixed(value, 6) : text
    }
}
