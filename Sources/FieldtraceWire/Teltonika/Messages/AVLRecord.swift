import FieldtraceCore

/// One Teltonika AVL record with its IO elements, as the parse API returns it.
///
/// Values are as the device sent them: the time is not corrected for the GPS week rollover
/// (`fix(device:receivedMs:)` does that), the speed is in km/h.
public struct TeltonikaRecord: Sendable, Hashable {
    /// Fix time, milliseconds since the Unix epoch, UTC, as sent.
    public var timestampMs: Int64
    /// 0 low, 1 high, 2 panic.
    public var priority: UInt8
    /// Longitude in 1e-7 degree, east positive.
    public var longitudeE7: Int32
    /// Latitude in 1e-7 degree, north positive.
    public var latitudeE7: Int32
    /// Altitude, metres (signed).
    public var altitudeM: Int16
    /// Heading, degrees clockwise from true north.
    public var angleDeg: UInt16
    /// Satellites in use; 0 means the device had no valid fix.
    public var satellites: UInt8
    /// Speed over ground, km/h.
    public var speedKmh: UInt16
    /// The IO element that triggered the record (0 for a periodic record).
    public var eventIOID: UInt16
    /// The IO elements by id.
    public var io: [UInt16: TeltonikaIOValue]

    public init(
        timestampMs: Int64, priority: UInt8 = 0, longitudeE7: Int32, latitudeE7: Int32, altitudeM: Int16 = 0,
        angleDeg: UInt16 = 0, satellites: UInt8, speedKmh: UInt16 = 0, eventIOID: UInt16 = 0,
        io: [UInt16: TeltonikaIOValue] = [:]
    ) {
        self.timestampMs = timestampMs
        self.priority = priority
        self.longitudeE7 = longitudeE7
        self.latitudeE7 = latitudeE7
        self.altitudeM = altitudeM
        self.angleDeg = angleDeg
        self.satellites = satellites
        self.speedKmh = speedKmh
        self.eventIOID = eventIOID
        self.io = io
    }

    /// The fix this record reports (see `TeltonikaRecordHead.fix`).
    public func fix(device: DeviceID, receivedMs: Int64) throws(TeltonikaError) -> Fix {
        try head.fix(device: device, receivedMs: receivedMs)
    }

    var head: TeltonikaRecordHead {
        TeltonikaRecordHead(
            timestampMs: timestampMs, priority: priority, longitudeE7: longitudeE7, latitudeE7: latitudeE7,
            altitudeM: altitudeM, angleDeg: angleDeg, satellites: satellites, speedKmh: speedKmh)
    }
}

/// The fixed 24 bytes every record starts with: timestamp (8, ms), priority (1), longitude and
/// latitude (4 each, signed, 1e-7 degree), altitude (2, m, signed), angle (2, degrees),
/// satellites (1), speed (2, km/h).
struct TeltonikaRecordHead {
    static let byteCount = 24
    /// The GPS epoch, 1980-01-06: a time before it cannot come from a receiver, rolled over or not.
    static let gpsEpochMs: Int64 = 315_964_800_000
    /// 2100-01-01: the latest fix time accepted after rollover correction (a device clock fault
    /// beyond it is rejected rather than stored).
    static let latestFixTimeMs: Int64 = 4_102_444_800_000
    /// Fastest speed accepted: 7199 km/h, just under 2000 m/s. Tracked vehicles stay far below;
    /// a larger value is a corrupt record.
    static let maxSpeedKmh: UInt16 = 7199
    /// Lowest altitude accepted, metres: deeper than any mine, far above `Int16.min`.
    static let minAltitudeM: Int16 = -19_999

    var timestampMs: Int64
    var priority: UInt8
    var longitudeE7: Int32
    var latitudeE7: Int32
    var altitudeM: Int16
    var angleDeg: UInt16
    var satellites: UInt8
    var speedKmh: UInt16

    /// Reads the 24 bytes at the cursor with one bounds check.
    @inline(__always)
    static func read(_ cursor: inout ByteCursor) throws(TeltonikaError) -> TeltonikaRecordHead {
        let b: UnsafeRawBufferPointer
        do { b = try cursor.readBytes(byteCount) } catch { throw TeltonikaError(error) }
        func u16(_ at: Int) -> UInt16 { UInt16(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func u32(_ at: Int) -> UInt32 { UInt32(bigEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        return TeltonikaRecordHead(
            timestampMs: Int64(bitPattern: UInt64(bigEndian: b.loadUnaligned(fromByteOffset: 0, as: UInt64.self))),
            priority: b[8],
            longitudeE7: Int32(bitPattern: u32(9)),
            latitudeE7: Int32(bitPattern: u32(13)),
            altitudeM: Int16(bitPattern: u16(17)),
            angleDeg: u16(19),
            satellites: b[21],
            speedKmh: u16(22))
    }

    /// The fix: time corrected for the GPS week rollover against `receivedMs` (flagged when it
    /// was), speed converted to m/s, 0 satellites meaning not valid. Throws `badTime` for a time
    /// before the GPS epoch or outside 1999-08-22 ... 2100 after correction, `badField` for
    /// coordinates, speed, angle or altitude out of range.
    @inline(__always)
    func fix(device: DeviceID, receivedMs: Int64) throws(TeltonikaError) -> Fix {
        guard timestampMs >= Self.gpsEpochMs, timestampMs < Self.latestFixTimeMs else { throw .badTime(timestampMs) }
        let (timeMs, corrected) = GPSWeekRollover.correct(timestampMs, referenceMs: receivedMs)
        guard timeMs >= Limits.earliestFixTimeMs, timeMs < Self.latestFixTimeMs else { throw .badTime(timeMs) }
        guard CoordinateE7.isInRange(latitudeE7: latitudeE7, longitudeE7: longitudeE7) else {
            throw .badField("coordinates out of range: \(latitudeE7), \(longitudeE7)")
        }
        guard speedKmh <= Self.maxSpeedKmh else { throw .badField("speed \(speedKmh) km/h") }
        guard angleDeg <= 360 else { throw .badField("angle \(angleDeg)") }
        guard altitudeM >= Self.minAltitudeM else { throw .badField("altitude \(altitudeM) m") }
        var flags: FixFlags = satellites > 0 ? .valid : []
        if corrected { flags.insert(.weekRolloverCorrected) }
        return Fix(
            device: device, timeMs: timeMs, receivedMs: receivedMs, latitudeE7: latitudeE7, longitudeE7: longitudeE7,
            altitudeM: Double(altitudeM), speedMps: Units.kmhToMetersPerSecond(Double(speedKmh)),
            courseDeg: Double(angleDeg == 360 ? 0 : angleDeg), satellites: satellites, flags: flags,
            source: .teltonika)
    }
}
