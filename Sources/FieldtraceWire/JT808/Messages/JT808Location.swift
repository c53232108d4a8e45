import FieldtraceCore

/// `0x0200` location report body (also each item of a `0x0704` batch).
///
/// Alarm flags (4), status (4: bit 0 ACC on, bit 1 positioned, bit 2 south, bit 3 west),
/// latitude and longitude (4 each, unsigned degrees x 1e6, the sign in the status bits),
/// altitude (2, m), speed (2, 0.1 km/h), direction (2, degrees 0-359), time (6 BCD, Beijing),
/// then additional items: id (1), length (1), value. Items read: 0x01 mileage (4, 0.1 km),
/// 0x30 signal strength (1), 0x31 GNSS satellites (1); others are skipped. An item whose length
/// runs past the body, or a known item with the wrong length, makes the body `badBodyLength`.
public struct JT808Location: Sendable, Hashable {
    public static let messageID: UInt16 = 0x0200
    /// Bytes before the additional items.
    public static let fixedBytes = 28

    public var alarm: UInt32
    public var status: UInt32
    /// Latitude magnitude, 1e-6 degree (south when status bit 2 is set).
    public var latitudeE6: UInt32
    /// Longitude magnitude, 1e-6 degree (west when status bit 3 is set).
    public var longitudeE6: UInt32
    /// Altitude, metres (unsigned, as the standard defines it).
    public var altitudeM: UInt16
    /// Speed, 0.1 km/h.
    public var speedDeciKmh: UInt16
    /// Direction, degrees clockwise from north, 0-359.
    public var direction: UInt16
    public var time: JT808Time
    /// Item 0x01: mileage, 0.1 km.
    public var mileageDeciKm: UInt32?
    /// Item 0x30: wireless signal strength.
    public var signal: UInt8?
    /// Item 0x31: GNSS satellites in use.
    public var satellites: UInt8?

    /// Whether status bit 1 (positioned) is set.
    @inlinable public var isPositioned: Bool { status & 0x2 != 0 }
    /// Whether status bit 0 (ACC on) is set.
    @inlinable public var isAccOn: Bool { status & 0x1 != 0 }

    /// Reads a whole body: the cursor must end exactly at the last item.
    @inline(__always)
    public static func read(_ cursor: inout ByteCursor) throws(JT808Error) -> JT808Location {
        let bytes = cursor.bytes
        let start = cursor.offset
        let available = bytes.count - start
        guard available >= fixedBytes else { throw .truncated(neededBytes: fixedBytes, availableBytes: available) }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: start + at, as: UInt32.self))
        }
        func u16(_ at: Int) -> UInt16 {
            UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: start + at, as: UInt16.self))
        }
        var location = JT808Location(
            alarm: u32(0), status: u32(4), latitudeE6: u32(8), longitudeE6: u32(12), altitudeM: u16(16),
            speedDeciKmh: u16(18), direction: u16(20), time: try JT808Time.decode(bytes, at: start + 22))
        cursor.offset = start + fixedBytes
        try location.readItems(&cursor)
        return location
    }

    @inline(__always)
    private mutating func readItems(_ cursor: inout ByteCursor) throws(JT808Error) {
        let bytes = cursor.bytes
        let end = bytes.count
        var o = cursor.offset
        while o < end {
            guard end - o >= 2 else { throw .badBodyLength(declared: 2, actual: end - o) }
            let id = bytes[o]
            let length = Int(bytes[o + 1])
            o += 2
            guard length <= end - o else { throw .badBodyLength(declared: length, actual: end - o) }
            switch id {
            case 0x01:
                guard length == 4 else { throw .badBodyLength(declared: length, actual: 4) }
                mileageDeciKm = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self))
            case 0x30:
                guard length == 1 else { throw .badBodyLength(declared: length, actual: 1) }
                signal = bytes[o]
            case 0x31:
                guard length == 1 else { throw .badBodyLength(declared: length, actual: 1) }
                satellites = bytes[o]
            default:
                break
            }
            o += length
        }
        cursor.offset = o
    }

    /// The fix this report describes.
    ///
    /// Coordinates: 1e-6 degree x 10 = 1e-7 degree, exactly; south and west negate. Speed:
    /// 0.1 km/h / 36 = m/s. A direction above 359 is left out. Time: Beijing minus 8 hours, the
    /// two-digit year in the century nearest the receive time, then corrected for the GPS week
    /// rollover against `receivedMs` (flag `weekRolloverCorrected`).
    public func fix(
        device: DeviceID, receivedMs: Int64, referenceYear: Int, flags extraFlags: FixFlags = []
    ) throws(JT808Error) -> Fix {
        var clock = JT808Clock(receivedMs: receivedMs, referenceYear: referenceYear)
        return try fix(device: device, clock: &clock, flags: extraFlags)
    }

    /// `fix(device:receivedMs:referenceYear:flags:)` with a connection's clock (date cache).
    @inline(__always)
    func fix(device: DeviceID, clock: inout JT808Clock, flags extraFlags: FixFlags = []) throws(JT808Error) -> Fix {
        guard latitudeE6 <= 90_000_000, longitudeE6 <= 180_000_000 else {
            throw .badCoordinate(latitudeE6: latitudeE6, longitudeE6: longitudeE6)
        }
        guard let local = clock.utcMs(time) else { throw .badTime }
        let receivedMs = clock.receivedMs
        let (timeMs, corrected) = GPSWeekRollover.correct(local, referenceMs: receivedMs)
        var flags = extraFlags
        if isPositioned { flags.insert(.valid) }
        if corrected { flags.insert(.weekRolloverCorrected) }
        let lat = Int32(latitudeE6) &* 10
        let lon = Int32(longitudeE6) &* 10
        return Fix(
            device: device, timeMs: timeMs, receivedMs: receivedMs,
            latitudeE7: status & 0x4 != 0 ? -lat : lat, longitudeE7: status & 0x8 != 0 ? -lon : lon,
            altitudeM: Double(altitudeM), speedMps: Double(speedDeciKmh) / 36.0,
            courseDeg: direction < 360 ? Double(direction) : nil, satellites: satellites, flags: flags,
            source: .jt808)
    }
}
