import FieldtraceWire
import NIOCore

/// Teltonika Codec 8 packets written straight into a `ByteBuffer` (protocols.md section 3):
/// the TCP packet (preamble, length, AVL data, CRC-16/IBM) and the UDP datagram (IMEI inside).
///
/// Every record carries the same small IO set an FMB device reports by default (ignition,
/// movement, external voltage, HDOP, odometer), 45 bytes a record.
enum TeltonikaFrames {
    /// The record's IO part after the 24-byte head: event id 0, 5 elements; 1-byte group
    /// (239 ignition, 240 movement), 2-byte group (66 external mV, 182 HDOP x 10), 4-byte group
    /// (16 odometer m), empty 8-byte group.
    static let ioBytes: [UInt8] = [
        0, 5,
        2, 239, 1, 240, 1,
        2, 66, 0x32, 0x28, 182, 0, 9,
        1, 16, 0, 0x12, 0xD6, 0x87,
        0,
    ]
    static let recordBytes = 24 + ioBytes.count

    /// The IMEI handshake: length (2) + ASCII digits.
    static func handshake(_ imei: String) -> [UInt8] {
        let digits = Array(imei.utf8)
        return [UInt8(digits.count >> 8), UInt8(digits.count & 0xFF)] + digits
    }

    /// A TCP AVL packet holding `fixes`.
    static func writeTCPPacket(
        _ older: ArraySlice<LoadFix>, _ newer: ArraySlice<LoadFix>, into buffer: inout ByteBuffer
    ) {
        let dataBytes = 3 + (older.count + newer.count) * recordBytes
        buffer.writeRaw(maxBytes: 12 + dataBytes) { w in
            w.u32(0)
            w.u32(UInt32(dataBytes))
            let dataStart = w.offset
            avlData(older, newer, &w)
            let crc = SlicedCRC16.ibm.checksum(UnsafeRawBufferPointer(start: w.base + dataStart, count: dataBytes))
            w.u32(UInt32(crc))
        }
    }

    /// A UDP datagram: length, packet id, `0x01`, AVL packet id, IMEI, AVL data.
    static func writeUDPDatagram(
        _ older: ArraySlice<LoadFix>, _ newer: ArraySlice<LoadFix>, packetID: UInt16, avlPacketID: UInt8,
        imei: [UInt8], into buffer: inout ByteBuffer
    ) {
        let body = 4 + 2 + imei.count + 3 + (older.count + newer.count) * recordBytes
        buffer.writeRaw(maxBytes: 2 + body) { w in
            w.u16(UInt16(body))
            w.u16(packetID)
            w.u8(0x01)
            w.u8(avlPacketID)
            w.u16(UInt16(imei.count))
            w.bytes(imei)
            avlData(older, newer, &w)
        }
    }

    /// Codec id, count, the records of `older` then `newer`, count.
    static func avlData(_ older: ArraySlice<LoadFix>, _ newer: ArraySlice<LoadFix>, _ w: inout RawWriter) {
        let count = UInt8(older.count + newer.count)
        w.u8(0x08)
        w.u8(count)
        for fix in older { record(fix, &w) }
        for fix in newer { record(fix, &w) }
        w.u8(count)
    }

    @inline(__always)
    static func record(_ fix: LoadFix, _ w: inout RawWriter) {
        w.u64(UInt64(bitPattern: fix.timeMs))
        w.u8(fix.backlog ? 0 : 1)  // priority: low for buffered records
        w.u32(UInt32(bitPattern: fix.longitudeE7))
        w.u32(UInt32(bitPattern: fix.latitudeE7))
        w.u16(UInt16(bitPattern: fix.altitudeM))
        w.u16(fix.courseDeg)
        w.u8(LoadFix.satellites)
        w.u16(UInt16(min(fix.speedKmh, 65535)))
        w.bytes(ioBytes)
    }
}
