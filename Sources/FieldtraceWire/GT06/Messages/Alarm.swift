/// Alarm message `0x16`: the 18-byte GPS block (`GT06GPSBlock`), then LBS length (1, counting
/// itself) and the LBS info (MCC 2, MNC 1, LAC 2, cell id 3), terminal information (1),
/// voltage level (1), GSM signal (1) and alarm/language (2: alarm type, language). The GPS
/// block becomes a fix; the rest is tolerated when short or absent, since only the position
/// is stored. The server acks it, or the device repeats the alarm.
public struct GT06Alarm: Sendable, Hashable {
    public static let protocolNumber: UInt8 = 0x16

    public var gps: GT06GPSBlock
    /// The alarm type (`0x01` SOS, `0x02` power cut, `0x03` vibration, ...), when present.
    public var alarmType: UInt8?

    /// Parses the content of a `0x16` message.
    public static func parse(_ content: UnsafeRawBufferPointer) throws(GT06Error) -> GT06Alarm {
        var dates = GT06DateCache()
        return try parse(content, dates: &dates)
    }

    static func parse(_ content: UnsafeRawBufferPointer, dates: inout GT06DateCache) throws(GT06Error) -> GT06Alarm {
        let gps = try GT06GPSBlock.parse(content, at: 0, protocolNumber: protocolNumber, dates: &dates)
        var alarmType: UInt8?
        let lbsAt = GT06GPSBlock.byteCount
        if content.count > lbsAt {
            // LBS length counts its own byte; the 5 status bytes follow it.
            let alarmAt = lbsAt + max(1, Int(content[lbsAt])) + 3
            if alarmAt < content.count { alarmType = content[alarmAt] }
        }
        return GT06Alarm(gps: gps, alarmType: alarmType)
    }
}
