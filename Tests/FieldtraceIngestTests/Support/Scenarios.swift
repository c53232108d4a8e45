import FieldtraceCore
import FieldtraceIngest
import FieldtraceTestSupport
import FieldtraceWire

/// A tracker conversation on one TCP listener, built from the TestSupport encoders (real
/// frames): a greeting whose replies need no durability, then data whose replies are acks.
struct TCPScenario: Sendable, CustomStringConvertible {
    var listener: IngestListener
    /// Login / handshake / registration.
    var hello: [UInt8]
    /// Its replies, sent at once (no fix in them).
    var helloReply: [UInt8]
    /// Frames carrying fixes.
    var data: [UInt8]
    /// Their acks, sent only after `accept` returned.
    var dataReply: [UInt8]
    /// Fixes `data` yields.
    var fixes: Int
    var device: String

    var description: String { listener.rawValue }

    static let imei = "359339075091523"
    static let phone = "013912345678"
    /// 2025-11-28T10:20:30Z, Shanghai.
    static func fix(_ device: String, _ index: Int, source: SourceProtocol) -> Fix {
        Fix(
            device: DeviceID(device)!, timeMs: 1_764_325_230_000 + Int64(index) * 1000,
            latitudeE7: 312_304_160 + Int32(index) * 100, longitudeE7: 1_214_737_010, altitudeM: 12, speedMps: 10,
            courseDeg: 90, hdop: 0.9, satellites: 9, source: source)
    }

    static func teltonikaRecord(_ index: Int) -> TeltonikaRecord {
        TeltonikaRecord(
            timestampMs: 1_764_399_600_000 + Int64(index) * 1000, priority: 0, longitudeE7: 134_049_540,
            latitudeE7: 525_200_066 + Int32(index) * 10, altitudeM: 34, angleDeg: 45, satellites: 11, speedKmh: 50,
            eventIOID: 0, io: TeltonikaEncoder.typicalIO)
    }

    static let teltonika = TCPScenario(
        listener: .teltonikaTCP, hello: TeltonikaEncoder.handshake(imei: imei), helloReply: [0x01],
        data: TeltonikaEncoder.tcpPacket((0..<3).map(teltonikaRecord)), dataReply: [0, 0, 0, 3], fixes: 3,
        device: imei)

    static let gt06: TCPScenario = {
        let data =
            GT06Encoder.location(fix(imei, 0, source: .gt06), serial: 2)
            + GT06Encoder.location(fix(imei, 1, source: .gt06), protocolNumber: 0x22, serial: 3)
        return TCPScenario(
            listener: .gt06, hello: GT06Encoder.login(imei: imei, serial: 1),
            helloReply: GT06Encoder.ack(protocolNumber: 0x01, serial: 1), data: data,
            dataReply: GT06Encoder.ack(protocolNumber: 0x12, serial: 2)
                + GT06Encoder.ack(protocolNumber: 0x22, serial: 3),
            fixes: 2, device: imei)
    }()

    /// Registration body: province, city, maker, model, terminal id, plate colour, plate.
    static let registrationBody: [UInt8] =
        [0x00, 0x2C, 0x03, 0x00] + Array("FTRCE".utf8) + [UInt8](repeating: 0x41, count: 20)
        + [UInt8](repeating: 0x42, count: 7) + [0x02] + Array("B12345".utf8)

    static let jt808: TCPScenario = {
        var encoder = JT808Encoder(phone: phone)
        let hello = encoder.frame(messageID: 0x0100, body: registrationBody)  // serial 0
        let location = encoder.frame(  // serial 1
            messageID: 0x0200, body: JT808Encoder.locationBody(fix(phone, 0, source: .jt808)))
        let items = (1...3).map { JT808Encoder.locationBody(fix(phone, $0, source: .jt808)) }
        let batch = encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(items, backfill: true))  // serial 2
        return TCPScenario(
            listener: .jt808, hello: hello,
            helloReply: encoder.registrationReply(platformSerial: 0, replySerial: 0, result: 0, authCode: "FIELDTRACE"),
            data: location + batch,
            dataReply: encoder.generalReply(platformSerial: 1, replySerial: 1, replyID: 0x0200, result: 0)
                + encoder.generalReply(platformSerial: 2, replySerial: 2, replyID: 0x0704, result: 0),
            fixes: 4, device: phone)
    }()

    /// The protocols whose data is acknowledged.
    static let acked: [TCPScenario] = [teltonika, gt06, jt808]
}
