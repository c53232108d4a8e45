import FieldtraceCore

/// Login message `0x01`: the terminal id (IMEI) as 8 packed-BCD bytes with a leading 0 nibble,
/// 15 digits. Newer firmware appends a type identification code (2) and a time zone/language
/// word (2); they are tolerated and not used. The server acks it; an unacked login makes the
/// device reconnect.
public struct GT06Login: Sendable, Hashable {
    public static let protocolNumber: UInt8 = 0x01
    public static let imeiBytes = 8

    /// The 15-digit IMEI as the device identity.
    public var device: DeviceID

    /// Parses the content of a `0x01` message.
    public static func parse(_ content: UnsafeRawBufferPointer) throws(GT06Error) -> GT06Login {
        guard content.count >= imeiBytes else {
            throw .truncated(protocolNumber: protocolNumber, needed: imeiBytes, available: content.count)
        }
        guard content[0] >> 4 == 0 else { throw .badIdentity }
        for i in 0..<imeiBytes {
            let byte = content[i]
            guard byte >> 4 <= 9, byte & 0x0F <= 9 else { throw .badIdentity }
        }
        // 15 ASCII digits: a small string, stored inline by `String`.
        let text = String(unsafeUninitializedCapacity: 15) { out in
            out[0] = 0x30 + (content[0] & 0x0F)
            for i in 1..<imeiBytes {
                out[2 * i - 1] = 0x30 + (content[i] >> 4)
                out[2 * i] = 0x30 + (content[i] & 0x0F)
            }
            return 15
        }
        guard let device = DeviceID(text) else { throw .badIdentity }
        return GT06Login(device: device)
    }
}
