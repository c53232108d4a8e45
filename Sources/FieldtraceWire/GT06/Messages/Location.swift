/// Location messages `0x12` (GPS + cell) and `0x22` (GPS + cell + status, newer firmware).
///
/// Content: the 18-byte GPS block (`GT06GPSBlock`), then cell info: MCC (2), MNC (1; 2 when
/// bit 15 of the MCC is set, as some firmware does for 3-digit MNCs), LAC (2), cell id (3).
/// `0x22` then carries ACC (1: 0 off, 1 on), data upload mode (1), GPS re-upload (1: 0 real
/// time, 1 a stored position sent late) and optionally mileage (4, metres). Extra trailing
/// bytes are tolerated (firmware variants append fields).
public struct GT06Location: Sendable, Hashable {
    public static let protocolNumber: UInt8 = 0x12
    public static let protocolNumberV2: UInt8 = 0x22

    public var gps: GT06GPSBlock
    /// Mobile country code (with the MNC-width bit 15 cleared).
    public var mcc: UInt16
    /// Mobile network code.
    public var mnc: UInt16
    /// Location area code.
    public var lac: UInt16
    /// Cell id (24 bits).
    public var cellID: UInt32
    /// ACC (ignition) state, `0x22` only.
    public var accOn: Bool?
    /// The device stored this position and sends it late (`0x22` re-upload flag = 1).
    public var isReupload: Bool
    /// Odometer, metres, when a `0x22` message carries it.
    public var mileageM: UInt32?

    /// Parses the content of a `0x12` or `0x22` message.
    public static func parse(_ content: UnsafeRawBufferPointer, protocolNumber number: UInt8) throws(GT06Error)
        -> GT06Location
    {
        var dates = GT06DateCache()
        return try parse(content, protocolNumber: number, dates: &dates)
    }

    static func parse(
        _ content: UnsafeRawBufferPointer, protocolNumber number: UInt8, dates: inout GT06DateCache
    ) throws(GT06Error) -> GT06Location {
        let gps = try GT06GPSBlock.parse(content, at: 0, protocolNumber: number, dates: &dates)
        var o = GT06GPSBlock.byteCount
        guard content.count - o >= 8 else {
            throw .truncated(protocolNumber: number, needed: o + 8, available: content.count)
        }
        let mccField = UInt16(content[o]) << 8 | UInt16(content[o + 1])
        o += 2
        let wideMNC = mccField & 0x8000 != 0
        var mnc = UInt16(content[o])
        o += 1
        if wideMNC {
            mnc = mnc << 8 | UInt16(content[o])
            o += 1
        }
        let cellEnd = o + 5
        guard content.count >= cellEnd else {
            throw .truncated(protocolNumber: number, needed: cellEnd, available: content.count)
        }
        let lac = UInt16(content[o]) << 8 | UInt16(content[o + 1])
        let cellID = UInt32(content[o + 2]) << 16 | UInt32(content[o + 3]) << 8 | UInt32(content[o + 4])
        o = cellEnd
        var location = GT06Location(
            gps: gps, mcc: mccField & 0x7FFF, mnc: mnc, lac: lac, cellID: cellID, accOn: nil, isReupload: false,
            mileageM: nil)
        guard number == protocolNumberV2 else { return location }
        guard content.count - o >= 3 else {
            throw .truncated(protocolNumber: number, needed: o + 3, available: content.count)
        }
        location.accOn = content[o] != 0
        location.isReupload = content[o + 2] == 1
        o += 3
        if content.count - o >= 4 {
            location.mileageM =
                UInt32(content[o]) << 24 | UInt32(content[o + 1]) << 16 | UInt32(content[o + 2]) << 8
                | UInt32(content[o + 3])
        }
        return location
    }
}
