import NIOCore

/// NMEA 0183 sentences written straight into a `ByteBuffer` (protocols.md section 1).
///
/// Coordinates carry six minute decimals, exact for 1e-7 degree (as `NMEAEncoder` writes them),
/// times `hhmmss.sss`; speed is knots with two decimals, course and altitude whole units.
enum NMEAFrames {
    /// Longest epoch: `$PGID` (≤ 80 bytes for a 64-byte id) + RMC (≤ 80) + GGA (≤ 80).
    static let maxEpochBytes = 256

    /// `$PGID,<id>*hh\r\n`, built once per device.
    static func pgid(_ id: String) -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: 96)
        buffer.writeRaw(maxBytes: 96) { w in
            w.ascii(UInt8(ascii: "$"))
            for c in "PGID,".utf8 { w.ascii(c) }
            for c in id.utf8 { w.ascii(c) }
            close(&w, from: 0)
        }
        return Array(buffer.readableBytesView)
    }

    /// One epoch: RMC then (optionally) GGA, with the same time.
    static func writeEpoch(_ fix: LoadFix, includeGGA: Bool, into buffer: inout ByteBuffer) {
        let t = CalendarTime(ms: fix.timeMs)
        buffer.writeRaw(maxBytes: maxEpochBytes) { w in
            var start = w.offset
            w.ascii(UInt8(ascii: "$"))
            for c in "GPRMC,".utf8 { w.ascii(c) }
            time(t, &w)
            for c in ",A,".utf8 { w.ascii(c) }
            position(fix, &w)
            w.ascii(UInt8(ascii: ","))
            let knotsHundredths = (Int(fix.speedCentimetersPerSecond) * 1_943_844 + 500_000) / 1_000_000
            w.decimal(knotsHundredths / 100)
            w.ascii(UInt8(ascii: "."))
            w.digits(knotsHundredths % 100, width: 2)
            w.ascii(UInt8(ascii: ","))
            w.decimal(Int(fix.courseDeg))
            for c in ".0,".utf8 { w.ascii(c) }
            w.digits(t.day, width: 2)
            w.digits(t.month, width: 2)
            w.digits(t.year % 100, width: 2)
            for c in ",,,A".utf8 { w.ascii(c) }
            close(&w, from: start)
            guard includeGGA else { return }
            start = w.offset
            w.ascii(UInt8(ascii: "$"))
            for c in "GPGGA,".utf8 { w.ascii(c) }
            time(t, &w)
            w.ascii(UInt8(ascii: ","))
            position(fix, &w)
            w.ascii(UInt8(ascii: ","))
            for c in "1,11,0.9,".utf8 { w.ascii(c) }
            if fix.altitudeM < 0 { w.ascii(UInt8(ascii: "-")) }
            w.decimal(Int(fix.altitudeM.magnitude))
            for c in ".0,M,0.0,M,,".utf8 { w.ascii(c) }
            close(&w, from: start)
        }
    }

    /// `*hh\r\n` after the sentence that starts (`$`) at `start`.
    static func close(_ w: inout RawWriter, from start: Int) {
        let checksum = w.xor((start + 1)..<w.offset)
        w.ascii(UInt8(ascii: "*"))
        w.hex2(checksum)
        w.ascii(0x0D)
        w.ascii(0x0A)
    }

    static func time(_ t: CalendarTime, _ w: inout RawWriter) {
        w.digits(t.hour, width: 2)
        w.digits(t.minute, width: 2)
        w.digits(t.second, width: 2)
        w.ascii(UInt8(ascii: "."))
        w.digits(t.millisecond, width: 3)
    }

    /// `ddmm.mmmmmm,N,dddmm.mmmmmm,E`.
    static func position(_ fix: LoadFix, _ w: inout RawWriter) {
        coordinate(fix.latitudeE7, degreeDigits: 2, &w)
        w.ascii(UInt8(ascii: ","))
        w.ascii(fix.latitudeE7 < 0 ? UInt8(ascii: "S") : UInt8(ascii: "N"))
        w.ascii(UInt8(ascii: ","))
        coordinate(fix.longitudeE7, degreeDigits: 3, &w)
        w.ascii(UInt8(ascii: ","))
        w.ascii(fix.longitudeE7 < 0 ? UInt8(ascii: "W") : UInt8(ascii: "E"))
    }

    static func coordinate(_ e7: Int32, degreeDigits: Int, _ w: inout RawWriter) {
        let magnitude = Int(e7.magnitude)
        let microMinutes = magnitude % 10_000_000 * 6
        w.digits(magnitude / 10_000_000, width: degreeDigits)
        w.digits(microMinutes / 1_000_000, width: 2)
        w.ascii(UInt8(ascii: "."))
        w.digits(microMinutes % 1_000_000, width: 6)
    }
}
