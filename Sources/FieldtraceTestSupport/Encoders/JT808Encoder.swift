import FieldtraceCore
import FieldtraceWire

/// A JT/T 808 terminal, written from the spec independently of the decoder: builds escaped,
/// checked frames (2013 or 2019 header, optionally split) and location bodies from fixes, for
/// round-trip tests, framer tests and benchmarks.
public struct JT808Encoder: Sendable {
    /// Terminal phone number digits: 12 (2013 header) or 20 (2019 header).
    public var phone: String
    /// Whether to send 2019-edition headers (bit 14, version byte, 10-byte phone number).
    public var edition2019: Bool
    /// The 2019 protocol version byte.
    public var protocolVersion: UInt8 = 1
    /// The serial the next message gets.
    public var serial: UInt16

    public init(phone: String = "013912345678", edition2019: Bool = false, serial: UInt16 = 0) {
        precondition(phone.utf8.count == (edition2019 ? 20 : 12), "12 digits for 2013, 20 for 2019")
        self.phone = phone
        self.edition2019 = edition2019
        self.serial = serial
    }

    /// The phone number as BCD bytes.
    public var phoneBCD: [UInt8] {
        let d = Array(phone.utf8).map { $0 - 0x30 }
        return stride(from: 0, to: d.count, by: 2).map { d[$0] << 4 | d[$0 + 1] }
    }

    /// Header bytes for a message (not escaped).
    public func header(
        messageID: UInt16, bodyLength: Int, serial: UInt16, attributes extra: UInt16 = 0,
        package: (count: UInt16, index: UInt16)? = nil
    ) -> [UInt8] {
        var attributes = UInt16(bodyLength & 0x03FF) | extra
        if edition2019 { attributes |= 0x4000 }
        if package != nil { attributes |= 0x2000 }
        var out = Self.be16(messageID) + Self.be16(attributes)
        if edition2019 { out.append(protocolVersion) }
        out += phoneBCD + Self.be16(serial)
        if let package { out += Self.be16(package.count) + Self.be16(package.index) }
        return out
    }

    /// A whole frame: `0x7E`, escaped header + body + XOR check, `0x7E`. Uses and advances
    /// `serial` unless one is given.
    public mutating func frame(
        messageID: UInt16, body: [UInt8], serial fixed: UInt16? = nil, attributes: UInt16 = 0,
        package: (count: UInt16, index: UInt16)? = nil
    ) -> [UInt8] {
        precondition(body.count <= 0x03FF, "a package body holds at most 1,023 bytes: split it")
        let s = fixed ?? nextSerial()
        let plain =
            header(
                messageID: messageID, bodyLength: body.count, serial: s, attributes: attributes,
                package: package) + body
        return Self.wrap(plain)
    }

    /// The packages of a message whose body is cut at `cuts`, each its own frame.
    public mutating func splitFrames(messageID: UInt16, body: [UInt8], cuts: [Int]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var start = 0
        for cut in cuts + [body.count] {
            pieces.append(Array(body[start..<cut]))
            start = cut
        }
        return pieces.enumerated().map { i, piece in
            frame(messageID: messageID, body: piece, package: (UInt16(pieces.count), UInt16(i + 1)))
        }
    }

    public mutating func nextSerial() -> UInt16 {
        defer { serial &+= 1 }
        return serial
    }

    /// Escapes and delimits un-escaped header + body, appending the check byte.
    public static func wrap(_ plain: [UInt8], check: UInt8? = nil) -> [UInt8] {
        let c = check ?? plain.reduce(0, ^)
        return [0x7E] + escape(plain + [c]) + [0x7E]
    }

    public static func escape(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in bytes {
            switch b {
            case 0x7E: out += [0x7D, 0x02]
            case 0x7D: out += [0x7D, 0x01]
            default: out.append(b)
            }
        }
        return out
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    /// Beijing-time BCD `YYMMDDhhmmss` for a UTC time (whole seconds).
    public static func bcdTime(utcMs: Int64) -> [UInt8] {
        let c = UTCTime.components(utcMs + 8 * 3_600_000)
        return [c.year % 100, c.month, c.day, c.hour, c.minute, c.second].map { UInt8(($0 / 10) << 4 | ($0 % 10)) }
    }

    /// A `0x0200` body for a fix: coordinates rounded to 1e-6 degree (the protocol's unit), speed
    /// to 0.1 km/h, altitude to metres, course to degrees; satellites as item 0x31, plus extra
    /// raw items.
    public static func locationBody(
        _ fix: Fix, alarm: UInt32 = 0, accOn: Bool = true, mileageDeciKm: UInt32? = nil, signal: UInt8? = nil,
        extraItems: [UInt8] = []
    ) -> [UInt8] {
        var status: UInt32 = accOn ? 1 : 0
        if fix.isValid { status |= 2 }
        if fix.latitudeE7 < 0 { status |= 4 }
        if fix.longitudeE7 < 0 { status |= 8 }
        let lat = UInt32((Int64(fix.latitudeE7).magnitude + 5) / 10)
        let lon = UInt32((Int64(fix.longitudeE7).magnitude + 5) / 10)
        let speed = UInt16(min(65535, ((fix.speedMps ?? 0) * 36).rounded()))
        let altitude = UInt16(max(0, min(65535, (fix.altitudeM ?? 0).rounded())))
        let direction = UInt16(Int((fix.courseDeg ?? 0).rounded()) % 360)
        var body = be32(alarm) + be32(status) + be32(lat) + be32(lon)
        body += be16(altitude) + be16(speed) + be16(direction) + bcdTime(utcMs: fix.timeMs)
        if let mileageDeciKm { body += [0x01, 4] + be32(mileageDeciKm) }
        if let signal { body += [0x30, 1, signal] }
        body += extraItems
        if let sats = fix.satellites { body += [0x31, 1, sats] }
        return body
    }

    /// A `0x0704` body: count, type (1 = blind-area back-fill), then length-prefixed items.
    public static func batchBody(_ items: [[UInt8]], backfill: Bool) -> [UInt8] {
        var body = be16(UInt16(items.count)) + [backfill ? 1 : 0]
        for item in items { body += be16(UInt16(item.count)) + item }
        return body
    }

    /// The platform's `0x8001` reply as the spec defines it, for exact-reply tests.
    public func generalReply(
        platformSerial: UInt16, replySerial: UInt16, replyID: UInt16, result: UInt8
    ) -> [UInt8] {
        let body = Self.be16(replySerial) + Self.be16(replyID) + [result]
        return Self.wrap(header(messageID: 0x8001, bodyLength: body.count, serial: platformSerial) + body)
    }

    /// The platform's `0x8100` reply.
    public func registrationReply(
        platformSerial: UInt16, replySerial: UInt16, result: UInt8, authCode: String
    ) -> [UInt8] {
        let body = Self.be16(replySerial) + [result] + (result == 0 ? Array(authCode.utf8) : [])
        return Self.wrap(header(messageID: 0x8100, bodyLength: body.count, serial: platformSerial) + body)
    }
}
