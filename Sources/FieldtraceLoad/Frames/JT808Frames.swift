import NIOCore

/// JT/T 808 (2013 header) frames written into a `ByteBuffer` (protocols.md section 2):
/// registration, authentication, `0x0200` location and `0x0704` batches.
///
/// A frame is built un-escaped in a reused scratch buffer, then its XOR check is appended and
/// it is escaped (`7E` → `7D 02`, `7D` → `7D 01`) into the output between two `7E`.
struct JT808Frames {
    static let registration: UInt16 = 0x0100
    static let authentication: UInt16 = 0x0102
    static let location: UInt16 = 0x0200
    static let batch: UInt16 = 0x0704
    /// Bytes of a `0x0200` body as written here: 28 fixed + satellites item (3).
    static let locationBodyBytes = 31

    private var scratch = ByteBufferAllocator().buffer(capacity: 1100)

    /// A 12-digit terminal phone number as 6 BCD bytes.
    static func phoneBCD(_ phone: String) -> [UInt8] {
        let d = Array(phone.utf8).map { $0 &- 0x30 }
        precondition(d.count == 12, "a 2013 terminal phone number has 12 digits")
        return stride(from: 0, to: 12, by: 2).map { d[$0] << 4 | d[$0 + 1] }
    }

    /// `0x0100`: province 31 (Shanghai), city 0, maker, model, terminal id, plate colour, plate.
    mutating func writeRegistration(phoneBCD: [UInt8], serial: UInt16, terminalID: Int, into out: inout ByteBuffer) {
        frame(
            id: Self.registration, bodyBytes: 2 + 2 + 5 + 20 + 7 + 1 + 3, phoneBCD: phoneBCD, serial: serial, into: &out
        ) { w in
            w.u16(31)
            w.u16(0)
            for c in "FTSIM".utf8 { w.u8(c) }
            for c in "LOADGEN".utf8 { w.u8(c) }
            for _ in 0..<13 { w.u8(0) }
            w.digits(terminalID % 10_000_000, width: 7)
            w.u8(0)
            for c in "SIM".utf8 { w.u8(c) }
        }
    }

    /// `0x0102` with the code the registration reply gave (2013 body: the code alone).
    mutating func writeAuthentication(phoneBCD: [UInt8], code: [UInt8], serial: UInt16, into out: inout ByteBuffer) {
        frame(id: Self.authentication, bodyBytes: code.count, phoneBCD: phoneBCD, serial: serial, into: &out) { w in
            w.bytes(code)
        }
    }

    /// `0x0200` for one fix.
    mutating func writeLocation(phoneBCD: [UInt8], _ fix: LoadFix, serial: UInt16, into out: inout ByteBuffer) {
        frame(id: Self.location, bodyBytes: Self.locationBodyBytes, phoneBCD: phoneBCD, serial: serial, into: &out) {
            w in
            Self.locationBody(fix, &w)
        }
    }

    /// `0x0704`: count, type (1 = blind-area back-fill, 0 = normal batch), length-prefixed items.
    mutating func writeBatch(
        phoneBCD: [UInt8], _ fixes: some Collection<LoadFix>, backfill: Bool, serial: UInt16, into out: inout ByteBuffer
    ) {
        let body = 3 + fixes.count * (2 + Self.locationBodyBytes)
        precondition(body <= 0x3FF, "an unsplit body holds at most 1,023 bytes")
        frame(id: Self.batch, bodyBytes: body, phoneBCD: phoneBCD, serial: serial, into: &out) { w in
            w.u16(UInt16(fixes.count))
            w.u8(backfill ? 1 : 0)
            for fix in fixes {
                w.u16(UInt16(Self.locationBodyBytes))
                Self.locationBody(fix, &w)
            }
        }
    }

    static func locationBody(_ fix: LoadFix, _ w: inout RawWriter) {
        var status: UInt32 = 0b11  // ACC on, positioned
        if fix.latitudeE7 < 0 { status |= 4 }
        if fix.longitudeE7 < 0 { status |= 8 }
        w.u32(0)
        w.u32(status)
        w.u32(UInt32((UInt64(fix.latitudeE7.magnitude) + 5) / 10))
        w.u32(UInt32((UInt64(fix.longitudeE7.magnitude) + 5) / 10))
        w.u16(UInt16(max(0, fix.altitudeM)))
        w.u16(UInt16(min(65535, (Int(fix.speedCentimetersPerSecond) * 36 + 50) / 100)))  // 0.1 km/h
        w.u16(fix.courseDeg % 360)
        let t = CalendarTime(ms: fix.timeMs + 8 * 3_600_000)  // Beijing time
        for v in [t.year % 100, t.month, t.day, t.hour, t.minute, t.second] { w.u8(UInt8((v / 10) << 4 | (v % 10))) }
        w.u8(0x31)
        w.u8(1)
        w.u8(LoadFix.satellites)
    }

    private mutating func frame(
        id: UInt16, bodyBytes: Int, phoneBCD phone: [UInt8], serial: UInt16, into out: inout ByteBuffer,
        body: (inout RawWriter) -> Void
    ) {
        scratch.clear()
        scratch.writeRaw(maxBytes: 13 + bodyBytes) { w in
            w.u16(id)
            w.u16(UInt16(bodyBytes & 0x3FF))
            w.bytes(phone)
            w.u16(serial)
            let start = w.offset
            body(&w)
            precondition(w.offset - start == bodyBytes, "JT/T 808 body length mismatch")
            w.u8(w.xor(0..<w.offset))
        }
        let plain = scratch.readableBytesView
        out.writeRaw(maxBytes: 2 + 2 * plain.count) { w in
            w.u8(0x7E)
            for b in plain {
                switch b {
                case 0x7E:
                    w.u8(0x7D)
                    w.u8(0x02)
                case 0x7D:
                    w.u8(0x7D)
                    w.u8(0x01)
                default: w.u8(b)
                }
            }
            w.u8(0x7E)
        }
    }
}
