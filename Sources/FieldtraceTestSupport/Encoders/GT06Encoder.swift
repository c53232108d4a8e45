import FieldtraceCore
import FieldtraceWire

/// Builds GT06 frames from fixes for tests and benchmarks, written from protocols.md section 4
/// (independently of the decoder's parsing code).
public enum GT06Encoder {
    /// A whole frame: start, length, protocol number, content, serial, CRC-16/X-25, stop.
    /// `longForm` uses `79 79` with a 2-byte length.
    public static func frame(protocolNumber: UInt8, content: [UInt8], serial: UInt16, longForm: Bool = false) -> [UInt8]
    {
        let length = 1 + content.count + 2 + 2
        var body: [UInt8] = longForm ? [UInt8(length >> 8), UInt8(length & 0xFF)] : [UInt8(length & 0xFF)]
        body.append(protocolNumber)
        body += content
        body += [UInt8(serial >> 8), UInt8(serial & 0xFF)]
        let crc = crc16X25(body)
        return (longForm ? [0x79, 0x79] : [0x78, 0x78]) + body + [UInt8(crc >> 8), UInt8(crc & 0xFF), 0x0D, 0x0A]
    }

    /// CRC-16/X-25, bit by bit (reflected 0x8408, init and xorout 0xFFFF).
    public static func crc16X25(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc ^= UInt16(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x8408 : crc >> 1 }
        }
        return crc ^ 0xFFFF
    }

    /// The ack a server sends for a frame: `78 78 05` protocol serial CRC `0D 0A`.
    public static func ack(protocolNumber: UInt8, serial: UInt16) -> [UInt8] {
        let body: [UInt8] = [0x05, protocolNumber, UInt8(serial >> 8), UInt8(serial & 0xFF)]
        let crc = crc16X25(body)
        return [0x78, 0x78] + body + [UInt8(crc >> 8), UInt8(crc & 0xFF), 0x0D, 0x0A]
    }

    /// Login (`0x01`) for a 15-digit IMEI.
    public static func login(imei: String, serial: UInt16 = 1) -> [UInt8] {
        let digits = [0] + imei.utf8.map { $0 - 0x30 }
        precondition(digits.count == 16, "an IMEI has 15 digits")
        let content = (0..<8).map { digits[2 * $0] << 4 | digits[2 * $0 + 1] }
        return frame(protocolNumber: 0x01, content: content, serial: serial)
    }

    /// Heartbeat (`0x13`): terminal info, voltage level, GSM signal, alarm/language.
    public static func heartbeat(serial: UInt16) -> [UInt8] {
        frame(protocolNumber: 0x13, content: [0x46, 0x06, 0x04, 0x00, 0x02], serial: serial)
    }

    /// Location (`0x12`, or `0x22` with ACC, upload mode, re-upload flag and mileage).
    public static func location(_ fix: Fix, protocolNumber: UInt8 = 0x12, reupload: Bool = false, serial: UInt16)
        -> [UInt8]
    {
        var content = gpsBlock(fix) + [0x01, 0xCC, 0x00, 0x28, 0x7D, 0x00, 0x1F, 0xB8]
        if protocolNumber == 0x22 { content += [0x01, 0x00, reupload ? 0x01 : 0x00, 0x00, 0x01, 0xE2, 0x40] }
        return frame(protocolNumber: protocolNumber, content: content, serial: serial)
    }

    /// Alarm (`0x16`): GPS block, LBS (length 9), status, alarm SOS.
    public static func alarm(_ fix: Fix, serial: UInt16) -> [UInt8] {
        let content =
            gpsBlock(fix) + [0x09, 0x01, 0xCC, 0x00, 0x28, 0x7D, 0x00, 0x1F, 0xB8, 0x46, 0x06, 0x04, 0x01, 0x02]
        return frame(protocolNumber: 0x16, content: content, serial: serial)
    }

    /// The 18-byte GPS block for a fix. Time must lie in 2000...2099; latitude and longitude are
    /// rounded to the wire unit (1/1,800,000 degree), speed to whole km/h (at most 255), course
    /// to whole degrees, satellites to at most 15.
    public static func gpsBlock(_ fix: Fix) -> [UInt8] {
        let c = UTCTime.components(fix.timeMs)
        precondition(c.year >= 2000 && c.year <= 2099, "GT06 years are 2000-2099")
        var out: [UInt8] = [
            UInt8(c.year - 2000), UInt8(c.month), UInt8(c.day), UInt8(c.hour), UInt8(c.minute), UInt8(c.second),
        ]
        out.append(0xC0 | min(fix.satellites ?? 0, 15))
        out += bigEndian(raw(fix.latitudeE7))
        out += bigEndian(raw(fix.longitudeE7))
        out.append(UInt8(min(255, max(0, ((fix.speedMps ?? 0) * 3.6).rounded()))))
        var status = UInt16(Int((fix.courseDeg ?? 0).rounded()) % 360)
        if fix.latitudeE7 >= 0 { status |= 0x0400 }
        if fix.longitudeE7 < 0 { status |= 0x0800 }
        if fix.isValid { status |= 0x1000 }
        out += [UInt8(status >> 8), UInt8(status & 0xFF)]
        return out
    }

    /// |e7| in the wire unit, nearest: raw = e7 x 1,800,000 / 10^7 = e7 x 9 / 50.
    public static func raw(_ e7: Int32) -> UInt32 {
        UInt32((Int64(e7.magnitude) * 18 + 50) / 100)
    }

    /// The fix as GT06 carries it: what a decoder must return for `location(fix)`.
    public static func quantized(_ fix: Fix, late: Bool = false, receivedMs: Int64) -> Fix {
        var q = fix
        q.timeMs = fix.timeMs - fix.timeMs % 1000
        q.latitudeE7 = Int32(fix.latitudeE7 < 0 ? -e7(raw(fix.latitudeE7)) : e7(raw(fix.latitudeE7)))
        q.longitudeE7 = Int32(fix.longitudeE7 < 0 ? -e7(raw(fix.longitudeE7)) : e7(raw(fix.longitudeE7)))
        q.speedMps = min(255, max(0, ((fix.speedMps ?? 0) * 3.6).rounded())) / 3.6
        q.courseDeg = Double(Int((fix.courseDeg ?? 0).rounded()) % 360)
        q.satellites = min(fix.satellites ?? 0, 15)
        q.altitudeM = nil
        q.hdop = nil
        q.accuracyM = nil
        q.receivedMs = receivedMs
        q.flags = fix.isValid ? .valid : []
        if late { q.flags.formUnion([.late, .backfill]) }
        q.source = .gt06
        return q
    }

    /// Wire unit to 1e-7 degree, nearest: 100 raw / 18 = 50 raw / 9 never ends in exactly .5,
    /// so floor((100 raw + 9) / 18) is the rounded value.
    static func e7(_ raw: UInt32) -> Int64 { (Int64(raw) * 100 + 9) / 18 }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}
