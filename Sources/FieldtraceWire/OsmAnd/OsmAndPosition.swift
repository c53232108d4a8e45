import FieldtraceCore

/// The fields of one position report, as either request form carries them, in Fieldtrace
/// units. Filled field by field by the form parsers, then checked and turned into a `Fix`.
public struct OsmAndPosition: Sendable, Hashable {
    /// Fix time, milliseconds since the Unix epoch, UTC.
    public var timeMs: Int64?
    /// Latitude in 1e-7 degree, exact from the decimal text.
    public var latitudeE7: Int64?
    /// Longitude in 1e-7 degree, exact from the decimal text.
    public var longitudeE7: Int64?
    /// Speed over ground, m/s (the query form's knots already converted).
    public var speedMps: Double?
    /// Course over ground, degrees clockwise from true north.
    public var courseDeg: Double?
    /// Altitude, metres.
    public var altitudeM: Double?
    /// Horizontal accuracy radius, metres.
    public var accuracyM: Double?
    /// Horizontal dilution of precision.
    public var hdop: Double?
    /// The query form's `valid` parameter; true when absent.
    public var isValid = true

    public init() {}

    /// Earliest accepted time: the first GPS week rollover (`Limits.earliestFixTimeMs`).
    public static let earliestTimeMs = Limits.earliestFixTimeMs
    /// First rejected time: 2100-01-01T00:00:00Z. Phones keep system time, so a later one is a
    /// unit error (microseconds sent as milliseconds), not data.
    public static let latestTimeMs: Int64 = 4_102_444_800_000

    /// The fix, or why there is none. Optional values out of their physical range (negative
    /// speed or heading, as apps send for "unknown", a heading of 360 or more, a negative
    /// accuracy or HDOP, an altitude beyond -20 km ... 1,000 km, a speed of 2 km/s or more) are
    /// left out rather than failing the fix. Late arrival is not flagged here: phones queue
    /// positions while offline, and the engine judges lateness from fix and receive times.
    public func fix(device: DeviceID, receivedMs: Int64) throws(OsmAndError) -> Fix {
        guard let latitudeE7 else { throw .missingField("latitude") }
        guard let longitudeE7 else { throw .missingField("longitude") }
        guard latitudeE7 >= -Int64(Limits.maxLatitudeE7), latitudeE7 <= Int64(Limits.maxLatitudeE7) else {
            throw .badField("latitude")
        }
        guard longitudeE7 >= -Int64(Limits.maxLongitudeE7), longitudeE7 <= Int64(Limits.maxLongitudeE7) else {
            throw .badField("longitude")
        }
        guard let timeMs, timeMs >= Self.earliestTimeMs, timeMs < Self.latestTimeMs else { throw .badTime }
        return Fix(
            device: device, timeMs: timeMs, receivedMs: receivedMs, latitudeE7: Int32(latitudeE7),
            longitudeE7: Int32(longitudeE7), altitudeM: altitudeM.flatMap { $0 > -20_000 && $0 < 1_000_000 ? $0 : nil },
            speedMps: speedMps.flatMap { $0 >= 0 && $0 < 2000 ? $0 : nil },
            courseDeg: courseDeg.flatMap { $0 >= 0 && $0 < 360 ? $0 : nil },
            hdop: hdop.flatMap { $0 >= 0 && $0 < 10_000 ? $0 : nil },
            accuracyM: accuracyM.flatMap { $0 >= 0 ? $0 : nil }, flags: isValid ? .valid : [], source: .osmand)
    }

    /// Parses a timestamp: Unix seconds (with an optional fraction), Unix milliseconds when the
    /// number exceeds 10^11 (a seconds value that large is the year 5138), or ISO 8601 (a missing
    /// zone means UTC). `nil` when it is none of these. ISO text is copied into `isoBuffer`
    /// (reused) because `ISO8601.parse` copies any other collection into a new array.
    public static func parseTime(_ text: UnsafeRawBufferPointer, isoBuffer: inout [UInt8]) -> Int64? {
        guard let first = text.first else { return nil }
        if first &- 0x30 < 10 {
            if let whole = DecimalText.scaled(text, scale: 0), whole > 100_000_000_000 {
                return whole
            }
            if let ms = DecimalText.scaled(text, scale: 3) { return ms }
        }
        isoBuffer.removeAll(keepingCapacity: true)
        isoBuffer.append(contentsOf: text)
        return ISO8601.parse(isoBuffer)
    }
}
