import FieldtraceCore

/// The GPS block shared by location (`0x12`, `0x22`) and alarm (`0x16`) messages, 18 bytes:
///
/// | bytes | field |
/// | --- | --- |
/// | 6 | date-time UTC: year - 2000, month, day, hour, minute, second |
/// | 1 | GPS info: high nibble length of the GPS block, low nibble satellites in use |
/// | 4 | latitude, unsigned, degrees x 1,800,000 (minutes x 30,000) |
/// | 4 | longitude, unsigned, degrees x 1,800,000 |
/// | 1 | speed, km/h |
/// | 2 | course/status: bits 0-9 course (degrees), bit 10 set = north latitude (clear = south), bit 11 set = west longitude, bit 12 positioned, bit 13 differential |
public struct GT06GPSBlock: Sendable, Hashable {
    public static let byteCount = 18

    /// Fix time as sent, milliseconds since the Unix epoch, UTC (before any rollover correction).
    public var timeMs: Int64
    /// Satellites in use (low nibble of the GPS info byte).
    public var satellites: UInt8
    /// Latitude in 1e-7 degree, north positive.
    public var latitudeE7: Int32
    /// Longitude in 1e-7 degree, east positive.
    public var longitudeE7: Int32
    /// Speed over ground, km/h.
    public var speedKmh: UInt8
    /// Course over ground, whole degrees, 0 ..< 360.
    public var courseDeg: UInt16
    /// The device says the position is a GPS fix (bit 12).
    public var isPositioned: Bool

    /// Parses the 18 bytes at `content[offset...]` of a message with protocol number `number`.
    ///
    /// A year byte past 99 (2100 and later) or an impossible date is `badTime`; a coordinate
    /// beyond ±90 / ±180 degrees or a course past 360 is `badField`. Course 360 is read as 0.
    public static func parse(
        _ b: UnsafeRawBufferPointer, at o: Int, protocolNumber number: UInt8
    ) throws(GT06Error) -> GT06GPSBlock {
        var dates = GT06DateCache()
        return try parse(b, at: o, protocolNumber: number, dates: &dates)
    }

    /// As `parse(_:at:protocolNumber:)`, reusing the calendar work of the previous frame's date.
    static func parse(
        _ b: UnsafeRawBufferPointer, at o: Int, protocolNumber number: UInt8, dates: inout GT06DateCache
    ) throws(GT06Error) -> GT06GPSBlock {
        guard o >= 0, b.count - o >= byteCount else {
            throw .truncated(protocolNumber: number, needed: o + byteCount, available: b.count)
        }
        let hour = Int64(b[o + 3])
        let minute = Int64(b[o + 4])
        let second = Int64(b[o + 5])
        // A leap second (60) is folded into the next second, as `UTCTime.epochMs` does.
        guard hour < 24, minute < 60, second <= 60,
            let midnightMs = dates.midnightMs(year: b[o], month: b[o + 1], day: b[o + 2])
        else { throw .badTime }
        let timeMs = midnightMs + (hour * 3600 + minute * 60 + second) * 1000
        let satellites = b[o + 6] & 0x0F
        let latitudeRaw = UInt32(b[o + 7]) << 24 | UInt32(b[o + 8]) << 16 | UInt32(b[o + 9]) << 8 | UInt32(b[o + 10])
        let longitudeRaw =
            UInt32(b[o + 11]) << 24 | UInt32(b[o + 12]) << 16 | UInt32(b[o + 13]) << 8 | UInt32(b[o + 14])
        let speedKmh = b[o + 15]
        let courseStatus = UInt16(b[o + 16]) << 8 | UInt16(b[o + 17])
        guard latitudeRaw <= maxLatitudeRaw else { throw .badField("latitude beyond 90 degrees") }
        guard longitudeRaw <= maxLongitudeRaw else { throw .badField("longitude beyond 180 degrees") }
        var course = courseStatus & 0x03FF
        guard course <= 360 else { throw .badField("course beyond 360 degrees") }
        if course == 360 { course = 0 }
        let latitude = Int32(degreesE7(raw: latitudeRaw))
        let longitude = Int32(degreesE7(raw: longitudeRaw))
        return GT06GPSBlock(
            timeMs: timeMs, satellites: satellites,
            latitudeE7: courseStatus & 0x0400 != 0 ? latitude : -latitude,
            longitudeE7: courseStatus & 0x0800 != 0 ? -longitude : longitude,
            speedKmh: speedKmh, courseDeg: course, isPositioned: courseStatus & 0x1000 != 0)
    }

    /// 90 degrees in the wire unit (1/1,800,000 degree).
    public static let maxLatitudeRaw: UInt32 = 90 * 1_800_000
    /// 180 degrees in the wire unit.
    public static let maxLongitudeRaw: UInt32 = 180 * 1_800_000

    /// Converts the wire unit (1/1,800,000 degree) to 1e-7 degree exactly, rounding to the
    /// nearest (no ties exist: the divisor is odd): e7 = raw x 10^7 / 1,800,000 = raw x 50 / 9.
    /// Integer arithmetic only; `raw` up to 2^32 - 1 cannot overflow in 64 bits.
    public static func degreesE7(raw: UInt32) -> Int64 {
        let scaled = UInt64(raw) * 50
        let quotient = scaled / 9
        let remainder = scaled % 9
        return Int64(remainder * 2 >= 9 ? quotient + 1 : quotient)
    }
}

/// The midnight of the last date seen. A device's consecutive frames share a date, and the
/// calendar arithmetic was a visible share of decoding a frame.
struct GT06DateCache: Sendable {
    var key: UInt32 = .max
    var midnightMs: Int64 = 0

    /// Milliseconds since the epoch of `year`-`month`-`day` 00:00 UTC (`year` as 2000 + byte),
    /// or `nil` for a year byte past 99 or an impossible date.
    mutating func midnightMs(year: UInt8, month: UInt8, day: UInt8) -> Int64? {
        let key = UInt32(year) << 16 | UInt32(month) << 8 | UInt32(day)
        if key == self.key { return midnightMs }
        guard year <= 99, let ms = UTCTime.epochMs(year: 2000 + Int(year), month: Int(month), day: Int(day)) else {
            return nil
        }
        self.key = key
        midnightMs = ms
        return ms
    }
}

extension GT06GPSBlock {
    /// m/s for each km/h value a speed byte can hold: `Double(kmh) / 3.6`, computed once.
    static let metersPerSecond: [Double] = (0...255).map { Units.kmhToMetersPerSecond(Double($0)) }

    /// The fix this block describes, stamped with `receivedMs` and corrected for the GPS week
    /// rollover against it (`.weekRolloverCorrected` set when it was). Speed km/h -> m/s;
    /// `valid` from the positioned bit; `late` (with `backfill`) when the device says the
    /// position was stored and sent later.
    public func fix(device: DeviceID, receivedMs: Int64, late: Bool) -> Fix {
        var flags: FixFlags = isPositioned ? .valid : []
        let corrected = GPSWeekRollover.correct(timeMs, referenceMs: receivedMs)
        if corrected.corrected { flags.insert(.weekRolloverCorrected) }
        if late { flags.formUnion([.late, .backfill]) }
        return Fix(
            device: device, timeMs: corrected.timeMs, receivedMs: receivedMs, latitudeE7: latitudeE7,
            longitudeE7: longitudeE7, speedMps: Self.metersPerSecond[Int(speedKmh)],
            courseDeg: Double(courseDeg), satellites: satellites, flags: flags, source: .gt06)
    }
}
