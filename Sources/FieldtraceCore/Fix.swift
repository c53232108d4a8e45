/// One position report, as decoded from a device and as stored.
///
/// Coordinates are WGS-84 integers in units of 1e-7 degree (about 1.1 cm at the equator), the
/// finest unit any supported protocol carries (Teltonika), so decoding never rounds twice.
/// Values a frame did not carry are `nil`: absent is never zero.
public struct Fix: Sendable, Hashable {
    /// The device that reported the fix.
    public var device: DeviceID
    /// Fix time from the device, milliseconds since the Unix epoch, UTC.
    public var timeMs: Int64
    /// Server receive time, milliseconds since the Unix epoch, UTC; `nil` until ingest stamps it.
    public var receivedMs: Int64?
    /// Latitude in 1e-7 degree, -900_000_000 ... 900_000_000, north positive.
    public var latitudeE7: Int32
    /// Longitude in 1e-7 degree, -1_800_000_000 ... 1_800_000_000, east positive.
    public var longitudeE7: Int32
    /// Altitude above mean sea level, metres.
    public var altitudeM: Double?
    /// Speed over ground, metres per second.
    public var speedMps: Double?
    /// Course over ground, degrees clockwise from true north, 0 ..< 360.
    public var courseDeg: Double?
    /// Horizontal dilution of precision (dimensionless).
    public var hdop: Double?
    /// Horizontal accuracy radius reported by a phone, metres (68% confidence, as phones report it).
    public var accuracyM: Double?
    /// Satellites used in the solution.
    public var satellites: UInt8?
    /// Validity and provenance flags.
    public var flags: FixFlags
    /// The wire protocol the fix arrived by.
    public var source: SourceProtocol

    @inlinable
    public init(
        device: DeviceID,
        timeMs: Int64,
        receivedMs: Int64? = nil,
        latitudeE7: Int32,
        longitudeE7: Int32,
        altitudeM: Double? = nil,
        speedMps: Double? = nil,
        courseDeg: Double? = nil,
        hdop: Double? = nil,
        accuracyM: Double? = nil,
        satellites: UInt8? = nil,
        flags: FixFlags = .valid,
        source: SourceProtocol = .unknown
    ) {
        self.device = device
        self.timeMs = timeMs
        self.receivedMs = receivedMs
        self.latitudeE7 = latitudeE7
        self.longitudeE7 = longitudeE7
        self.altitudeM = altitudeM
        self.speedMps = speedMps
        self.courseDeg = courseDeg
        self.hdop = hdop
        self.accuracyM = accuracyM
        self.satellites = satellites
        self.flags = flags
        self.source = source
    }

    /// Latitude in degrees.
    @inlinable public var latitude: Double { Double(latitudeE7) / 1e7 }
    /// Longitude in degrees.
    @inlinable public var longitude: Double { Double(longitudeE7) / 1e7 }
    /// Whether the device claimed a valid position.
    @inlinable public var isValid: Bool { flags.contains(.valid) }
    /// Whether the fix arrived late: a back-fill from the device's buffer or a re-upload.
    @inlinable public var isLate: Bool { flags.contains(.late) }
}

/// Flags of a fix. Stored as a 16-bit set; new flags take unused bits, never reuse one.
public struct FixFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The device reported a valid position (NMEA status A, JT/T 808 positioned bit, ...).
    public static let valid = FixFlags(rawValue: 1 << 0)
    /// Analytics judged the fix an outlier (kept in raw storage, kept out of events).
    public static let outlier = FixFlags(rawValue: 1 << 1)
    /// The fix was sent late: the device says so (JT/T 808 0x0704 type 1, GT06 re-upload) or
    /// the engine found its fix time well behind its receive time.
    public static let late = FixFlags(rawValue: 1 << 2)
    /// The fix came from a device's offline buffer (blind-area back-fill); implies `late`.
    public static let backfill = FixFlags(rawValue: 1 << 3)
    /// The fix time was corrected for the GPS week-number rollover (1024 weeks added).
    public static let weekRolloverCorrected = FixFlags(rawValue: 1 << 4)
}

/// The wire protocol a fix arrived by. Raw values are stored: append, never renumber.
public enum SourceProtocol: UInt8, Sendable, Hashable, CaseIterable {
    case unknown = 0
    case nmea = 1
    case jt808 = 2
    case teltonika = 3
    case gt06 = 4
    case osmand = 5
    case simulated = 6
}
