import FieldtraceCore

/// The IMEI a Teltonika device sends first on TCP (length (2) + ASCII digits) and in every UDP
/// datagram, and the one-byte handshake reply: `0x01` accept, `0x00` reject.
enum TeltonikaIMEI {
    /// Longest IMEI accepted, bytes: the device id cap (a real IMEI has 15 digits).
    static let maxDigits = Limits.deviceIDMaxBytes
    static let acceptReply: UInt8 = 0x01
    static let rejectReply: UInt8 = 0x00

    /// Checks that `digits` are 1 to `maxDigits` ASCII digits.
    @inline(__always)
    static func validate(_ digits: UnsafeRawBufferPointer) throws(TeltonikaError) {
        guard digits.count >= 1, digits.count <= maxDigits else { throw .badIMEI }
        for byte in digits where byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { throw .badIMEI }
    }

    /// The device id of validated digits, reusing `current` when it holds the same digits (no
    /// `String` is built per datagram for a device that keeps its IMEI).
    @inline(__always)
    static func deviceID(_ digits: UnsafeRawBufferPointer, reusing current: DeviceID?) -> DeviceID? {
        if let current, sameBytes(current.rawValue, digits) { return current }
        return DeviceID(ascii: digits)
    }

    /// Whether `text` is exactly `bytes` (UTF-8), compared over contiguous storage.
    @inline(__always)
    static func sameBytes(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in utf8.count == bytes.count && utf8.elementsEqual(bytes) }
    }
}
