import FieldtraceCore

/// `$PGID,<device-id>[,<token>]*hh`: the proprietary identity sentence a stream (a TCP
/// connection, or each UDP datagram) sends before its fixes. The id is a `DeviceID`
/// without NMEA's reserved characters (`$ * , ! \ ^ ~`); the optional token is a device
/// secret, kept for the session layer to check and never logged.
enum NMEAPGID {
    /// Whether `bytes[0..<bodyEnd]` is a `$PGID` sentence (address exactly `PGID`).
    @inline(__always)
    static func matches(_ bytes: UnsafeRawBufferPointer, bodyEnd: Int) -> Bool {
        bodyEnd >= 5 && bytes[1] == UInt8(ascii: "P") && bytes[2] == UInt8(ascii: "G")
            && bytes[3] == UInt8(ascii: "I") && bytes[4] == UInt8(ascii: "D")
            && (bodyEnd == 5 || bytes[5] == UInt8(ascii: ","))
    }

    /// The id and token fields; throws `badIdentity` when the id is missing or invalid, or
    /// when more fields follow the token.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, bodyEnd: Int
    ) throws(NMEAError) -> (id: UnsafeRawBufferPointer, token: UnsafeRawBufferPointer?) {
        var f = NMEAFields(bytes, from: 6, end: bodyEnd)
        let id = f.next()
        let token = f.next()
        guard f.position > bodyEnd, !id.isEmpty, id.count <= Limits.deviceIDMaxBytes else { throw .badIdentity }
        let idBytes = UnsafeRawBufferPointer(rebasing: bytes[id.start..<id.end])
        for c in idBytes {
            guard c >= 0x21, c <= 0x7E else { throw .badIdentity }
            switch c {
            case UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
                UInt8(ascii: "~"):
                throw .badIdentity
            default: continue
            }
        }
        let tokenBytes = token.isEmpty ? nil : UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end])
        return (idBytes, tokenBytes)
    }
}
