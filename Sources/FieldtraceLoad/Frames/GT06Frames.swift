import FieldtraceWire
import NIOCore

/// GT06 frames written straight into a `ByteBuffer` (protocols.md section 4): login and the
/// `0x22` location (ACC, upload mode, re-upload flag, mileage after the cell info).
enum GT06Frames {
    static let login: UInt8 = 0x01
    static let location: UInt8 = 0x22

    /// Login (`0x01`): the 15-digit IMEI as 8 BCD bytes with a leading 0 nibble.
    static func writeLogin(imei: String, serial: UInt16, into buffer: inout ByteBuffer) {
        let digits = [0] + imei.utf8.map { $0 &- 0x30 }
        precondition(digits.count == 16, "an IMEI has 15 digits")
        frame(protocolNumber: login, contentBytes: 8, serial: serial, into: &buffer) { w in
            for i in 0..<8 { w.u8(digits[2 * i] << 4 | digits[2 * i + 1]) }
        }
    }

    /// Location `0x22`; `reupload` sets the re-upload flag (a stored position sent late).
    static func writeLocation(_ fix: LoadFix, reupload: Bool, serial: UInt16, into buffer: inout ByteBuffer) {
        let t = CalendarTime(ms: fix.timeMs)
        frame(protocolNumber: location, contentBytes: 18 + 8 + 7, serial: serial, into: &buffer) { w in
            w.u8(UInt8(t.year - 2000))
            w.u8(UInt8(t.month))
            w.u8(UInt8(t.day))
            w.u8(UInt8(t.hour))
            w.u8(UInt8(t.minute))
            w.u8(UInt8(t.second))
            w.u8(0xC0 | LoadFix.satellites)
            w.u32(raw(fix.latitudeE7))
            w.u32(raw(fix.longitudeE7))
            w.u8(UInt8(min(fix.speedKmh, 255)))
            var status = UInt16(fix.courseDeg % 360) | 0x1000  // positioned
            if fix.latitudeE7 >= 0 { status |= 0x0400 }
            if fix.longitudeE7 < 0 { status |= 0x0800 }
            w.u16(status)
            for b: UInt8 in [0x01, 0xCC, 0x00, 0x28, 0x7D, 0x00, 0x1F, 0xB8] { w.u8(b) }  // MCC, MNC, LAC, cell
            w.u8(0x01)  // ACC on
            w.u8(reupload ? 0x0E : 0x00)  // upload mode: 0x0E "re-upload" for stored positions
            w.u8(reupload ? 0x01 : 0x00)
            w.u32(123_456)  // mileage
        }
    }

    /// |e7| in the wire unit (1/1,800,000 degree), nearest.
    static func raw(_ e7: Int32) -> UInt32 { UInt32((Int64(e7.magnitude) * 18 + 50) / 100) }

    /// `78 78` length, protocol, content, serial, CRC-16/X-25, `0D 0A`.
    static func frame(
        protocolNumber: UInt8, contentBytes: Int, serial: UInt16, into buffer: inout ByteBuffer,
        content: (inout RawWriter) -> Void
    ) {
        buffer.writeRaw(maxBytes: 10 + contentBytes) { w in
            w.u8(0x78)
            w.u8(0x78)
            let crcStart = w.offset
            w.u8(UInt8(1 + contentBytes + 2 + 2))
            w.u8(protocolNumber)
            content(&w)
            w.u16(serial)
            let crc = SlicedCRC16.x25.checksum(
                UnsafeRawBufferPointer(start: w.base + crcStart, count: w.offset - crcStart))
            w.u16(crc)
            w.u8(0x0D)
            w.u8(0x0A)
        }
    }
}
