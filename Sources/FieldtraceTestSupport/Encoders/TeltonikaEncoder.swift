import FieldtraceCore
import FieldtraceWire

/// A Teltonika Codec 8 / 8E encoder written from the spec (protocols.md section 3), for round
/// trips, decoder tests and benchmarks. Uses the shared bytewise `Checksums.crc16IBM`, not the
/// decoder's sliced CRC.
public enum TeltonikaEncoder {
    /// The IMEI handshake: length (2) + ASCII digits.
    public static func handshake(imei: String) -> [UInt8] {
        let digits = Array(imei.utf8)
        return be16(digits.count) + digits
    }

    /// One record: the 24-byte head, then the IO elements grouped by size, ids ascending.
    /// `ioTotal` overrides the total count (to build a mismatch).
    public static func record(_ r: TeltonikaRecord, codec: TeltonikaCodec, ioTotal: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out += be(UInt64(bitPattern: r.timestampMs), 8)
        out.append(r.priority)
        out += be(UInt64(UInt32(bitPattern: r.longitudeE7)), 4)
        out += be(UInt64(UInt32(bitPattern: r.latitudeE7)), 4)
        out += be(UInt64(UInt16(bitPattern: r.altitudeM)), 2)
        out += be(UInt64(r.angleDeg), 2)
        out.append(r.satellites)
        out += be(UInt64(r.speedKmh), 2)
        let wide = codec == .codec8E
        let width = wide ? 2 : 1
        out += be(UInt64(r.eventIOID), width)
        out += be(UInt64(ioTotal ?? r.io.count), width)
        let ids = r.io.keys.sorted()
        for size in [1, 2, 4, 8] {
            let group = ids.filter { r.io[$0]?.byteCount == size }
            out += be(UInt64(group.count), width)
            for id in group {
                out += be(UInt64(id), width)
                out += be(r.io[id]?.integer ?? 0, size)
            }
        }
        if wide {
            let group = ids.filter { r.io[$0]?.byteCount == nil }
            out += be16(group.count)
            for id in group {
                guard case .bytes(let bytes) = r.io[id] else { continue }
                out += be16(Int(id)) + be16(bytes.count) + bytes
            }
        }
        return out
    }

    /// AVL data: codec id, count, records, count (either count overridable).
    public static func avlData(
        _ records: [TeltonikaRecord], codec: TeltonikaCodec = .codec8, count: Int? = nil, countAgain: Int? = nil,
        ioTotal: Int? = nil
    ) -> [UInt8] {
        var out: [UInt8] = [codec.rawValue, UInt8(truncatingIfNeeded: count ?? records.count)]
        for r in records { out += record(r, codec: codec, ioTotal: ioTotal) }
        out.append(UInt8(truncatingIfNeeded: countAgain ?? records.count))
        return out
    }

    /// A TCP packet around AVL data: preamble, data length, data, CRC (4, CRC-16/IBM low).
    public static func tcpPacket(
        avlData data: [UInt8], preamble: [UInt8] = [0, 0, 0, 0], crc: UInt16? = nil
    ) -> [UInt8] {
        preamble + be(UInt64(data.count), 4) + data + be(UInt64(crc ?? Checksums.crc16IBM(data)), 4)
    }

    public static func tcpPacket(_ records: [TeltonikaRecord], codec: TeltonikaCodec = .codec8) -> [UInt8] {
        tcpPacket(avlData: avlData(records, codec: codec))
    }

    /// A UDP datagram: length, packet id, 0x01, AVL packet id, IMEI, AVL data.
    public static func udpDatagram(
        packetID: UInt16, avlPacketID: UInt8, imei: String, avlData data: [UInt8], length: Int? = nil
    ) -> [UInt8] {
        let body = be(UInt64(packetID), 2) + [0x01, avlPacketID] + handshake(imei: imei) + data
        return be16(length ?? body.count) + body
    }

    public static func udpDatagram(
        packetID: UInt16, avlPacketID: UInt8, imei: String, _ records: [TeltonikaRecord],
        codec: TeltonikaCodec = .codec8
    ) -> [UInt8] {
        udpDatagram(packetID: packetID, avlPacketID: avlPacketID, imei: imei, avlData: avlData(records, codec: codec))
    }

    /// Typical FMB IO elements: ignition, movement, GSM signal, external and battery voltage
    /// (mV), HDOP, odometer (m), an ICCID part.
    public static let typicalIO: [UInt16: TeltonikaIOValue] = [
        239: .u8(1), 240: .u8(1), 21: .u8(4), 66: .u16(12_840), 67: .u16(4012), 182: .u16(9), 16: .u32(1_234_567),
        11: .u64(89_370_310_029_394_212),
    ]

    /// Codec 8E IO with ids beyond 255 and variable-length values.
    public static let extendedIO: [UInt16: TeltonikaIOValue] = typicalIO.merging([
        256: .bytes(Array("WVWZZZ1JZXW000001".utf8)), 385: .bytes([1, 2, 3, 4, 0xA1, 0xB2]), 10: .bytes([]),
        1148: .u16(513),
    ]) { $1 }

    /// A random record whose fix decodes without rejection: any position in range (the poles,
    /// ±180 included), a time in 2000 ... 2099, speed up to 300 km/h; satellites 0 now and then.
    public static func randomRecord(
        _ rng: inout SeededRandom, timeMs: Int64? = nil, io: [UInt16: TeltonikaIOValue] = typicalIO
    ) -> TeltonikaRecord {
        let t = timeMs ?? 946_684_800_000 + Int64(rng.next() % 3_155_760_000_000)
        let lat = Int32(Int64(rng.next() % 1_800_000_001) - 900_000_000)
        let lon = Int32(Int64(rng.next() % 3_600_000_001) - 1_800_000_000)
        return TeltonikaRecord(
            timestampMs: t, priority: UInt8(rng.next() % 3), longitudeE7: lon, latitudeE7: lat,
            altitudeM: Int16(Int64(rng.next() % 9000) - 500), angleDeg: UInt16(rng.next() % 360),
            satellites: rng.next() % 8 == 0 ? 0 : UInt8(1 + rng.next() % 30), speedKmh: UInt16(rng.next() % 301),
            eventIOID: UInt16(rng.next() % 256), io: io)
    }

    static func be(_ value: UInt64, _ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (size - 1 - $0))) }
    }

    static func be16(_ value: Int) -> [UInt8] { be(UInt64(UInt16(truncatingIfNeeded: value)), 2) }
}

extension TeltonikaIOValue {
    /// Bytes of a fixed-size value; `nil` for `.bytes`.
    var byteCount: Int? {
        switch self {
        case .u8: 1
        case .u16: 2
        case .u32: 4
        case .u64: 8
        case .bytes: nil
        }
    }
}
