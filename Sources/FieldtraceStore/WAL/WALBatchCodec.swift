import FieldtraceCore

/// The payload of a WAL record: a batch of fixes in a compact row format.
///
/// `[sequence u64][count u32]` then per fix: device length (1) and bytes, time (8), latitude
/// and longitude (4 each), flags (2), source (1), a presence byte (bit 0 receive time, 1
/// altitude, 2 speed, 3 course, 4 HDOP, 5 accuracy, 6 satellites), then the present values:
/// receive time as a zigzag varint of its offset from the fix time, the doubles as zigzag
/// varints in `StorageResolution` units, satellites as a byte. Fixes are canonicalised, so a
/// replayed WAL equals what was acknowledged.
enum WALBatchCodec {
    static func encode(sequence: UInt64, fixes: [Fix], into out: inout ByteWriter) {
        out.u64(sequence)
        out.u32(UInt32(fixes.count))
        for original in fixes {
            let fix = original.canonicalized()
            let id = fix.device.rawValue.utf8
            out.u8(UInt8(id.count))
            out.append(id)
            out.i64(fix.timeMs)
            out.i32(fix.latitudeE7)
            out.i32(fix.longitudeE7)
            out.u16(fix.flags.rawValue)
            out.u8(fix.source.rawValue)
            var presence: UInt8 = 0
            if fix.receivedMs != nil { presence |= 1 }
            if fix.altitudeM != nil { presence |= 2 }
            if fix.speedMps != nil { presence |= 4 }
            if fix.courseDeg != nil { presence |= 8 }
            if fix.hdop != nil { presence |= 16 }
            if fix.accuracyM != nil { presence |= 32 }
            if fix.satellites != nil { presence |= 64 }
            out.u8(presence)
            if let r = fix.receivedMs { out.varint(ZigZag.encode(r &- fix.timeMs)) }
            if let v = fix.altitudeM {
                out.varint(ZigZag.encode(StorageResolution.quantize(v, StorageResolution.altitudePerMeter)))
            }
            if let v = fix.speedMps {
                out.varint(ZigZag.encode(StorageResolution.quantize(v, StorageResolution.speedPerMeterPerSecond)))
            }
            if let v = fix.courseDeg {
                out.varint(ZigZag.encode(StorageResolution.quantize(v, StorageResolution.coursePerDegree)))
            }
            if let v = fix.hdop {
                out.varint(ZigZag.encode(StorageResolution.quantize(v, StorageResolution.hdopPerUnit)))
            }
            if let v = fix.accuracyM {
                out.varint(ZigZag.encode(StorageResolution.quantize(v, StorageResolution.accuracyPerMeter)))
            }
            if let s = fix.satellites { out.u8(s) }
        }
    }

    /// Decodes a payload; throws on any inconsistency (the record's CRC already matched, so
    /// this means a writer bug or a forged record, never silently skipped).
    static func decode(_ payload: UnsafeRawBufferPointer) throws -> (sequence: UInt64, fixes: [Fix]) {
        var r = ByteReader(payload)
        let sequence = try r.u64()
        let count = Int(try r.u32())
        guard count <= payload.count / 20 else { throw PackingError.malformed("fix count \(count)") }
        var fixes: [Fix] = []
        fixes.reserveCapacity(count)
        var lastID: [UInt8] = []
        var lastDevice: DeviceID?
        for _ in 0..<count {
            let idLength = Int(try r.u8())
            let idBytes = try r.take(idLength)
            let device: DeviceID
            if let last = lastDevice, idBytes.elementsEqual(lastID) {
                device = last
            } else {
                guard let parsed = DeviceID(ascii: idBytes) else { throw PackingError.malformed("device id") }
                device = parsed
                lastDevice = parsed
                lastID = Array(idBytes)
            }
            let time = try r.i64()
            let lat = try r.i32()
            let lon = try r.i32()
            let flags = FixFlags(rawValue: try r.u16())
            let source = SourceProtocol(rawValue: try r.u8()) ?? .unknown
            let presence = try r.u8()
            var fix = Fix(device: device, timeMs: time, latitudeE7: lat, longitudeE7: lon, flags: flags, source: source)
            func next() throws -> Int64 { ZigZag.decode(try r.varint()) }
            if presence & 1 != 0 { fix.receivedMs = time &+ (try next()) }
            if presence & 2 != 0 { fix.altitudeM = Double(try next()) / StorageResolution.altitudePerMeter }
            if presence & 4 != 0 { fix.speedMps = Double(try next()) / StorageResolution.speedPerMeterPerSecond }
            if presence & 8 != 0 { fix.courseDeg = Double(try next()) / StorageResolution.coursePerDegree }
            if presence & 16 != 0 { fix.hdop = Double(try next()) / StorageResolution.hdopPerUnit }
            if presence & 32 != 0 { fix.accuracyM = Double(try next()) / StorageResolution.accuracyPerMeter }
            if presence & 64 != 0 { fix.satellites = try r.u8() }
            fixes.append(fix)
        }
        guard r.remaining == 0 else { throw PackingError.malformed("trailing bytes") }
        return (sequence, fixes)
    }
}
