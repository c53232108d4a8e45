import FieldtraceCore

/// A Teltonika UDP datagram: length (2, of the bytes after it), packet id (2), an unused byte
/// (`0x01`), AVL packet id (1), IMEI length (2), IMEI, then AVL data (no CRC). Answered with
/// length (2) = 5, packet id (2), `0x01`, AVL packet id (1), accepted record count (1).
public struct TeltonikaUDPDatagram: Sendable, Hashable {
    public var packetID: UInt16
    public var avlPacketID: UInt8
    /// The device IMEI (ASCII digits).
    public var imei: String
    public var packet: TeltonikaAVLPacket

    /// Parses a whole datagram with its IO elements (the parse API; the decoder allocates nothing).
    public static func parse(_ datagram: [UInt8], limits: WireLimits = .init()) throws(TeltonikaError) -> Self {
        try TeltonikaError.withBytes(datagram) { (raw) throws(TeltonikaError) in
            let header = try TeltonikaUDPHeader.read(raw, maxBytes: limits.teltonikaPacketMaxBytes)
            return TeltonikaUDPDatagram(
                packetID: header.packetID, avlPacketID: header.avlPacketID,
                imei: String(decoding: header.imei, as: UTF8.self),
                packet: try TeltonikaAVLPacket.parse(avlData: header.avlData))
        }
    }

    /// The acknowledgement of `acceptedCount` records.
    public static func reply(packetID: UInt16, avlPacketID: UInt8, acceptedCount: UInt8) -> [UInt8] {
        [0x00, 0x05, UInt8(packetID >> 8), UInt8(packetID & 0xFF), 0x01, avlPacketID, acceptedCount]
    }
}

/// The datagram fields before the AVL data, borrowed from the datagram.
struct TeltonikaUDPHeader {
    var packetID: UInt16
    var avlPacketID: UInt8
    var imei: UnsafeRawBufferPointer
    var avlData: UnsafeRawBufferPointer

    /// Reads and checks the header: the datagram's size against `maxBytes`, its length field
    /// against the bytes present (`truncated` when fewer, `badLength` when more), the IMEI.
    @inline(__always)
    static func read(_ datagram: UnsafeRawBufferPointer, maxBytes: Int) throws(TeltonikaError) -> Self {
        guard datagram.count <= maxBytes else { throw .tooLong(declaredBytes: datagram.count, maxBytes: maxBytes) }
        var cursor = ByteCursor(datagram)
        let declared: Int
        do throws(ByteCursorError) { declared = Int(try cursor.readUInt16()) } catch { throw TeltonikaError(error) }
        guard declared <= cursor.remaining else {
            throw .truncated(offset: 2, needed: declared, available: cursor.remaining)
        }
        guard declared == cursor.remaining else {
            throw .badLength("length \(declared) but \(cursor.remaining) bytes follow")
        }
        let packetID: UInt16
        let avlPacketID: UInt8
        let imei: UnsafeRawBufferPointer
        do throws(ByteCursorError) {
            packetID = try cursor.readUInt16()
            _ = try cursor.readUInt8()  // unused, 0x01
            avlPacketID = try cursor.readUInt8()
            imei = try cursor.readBytes(Int(try cursor.readUInt16()))
        } catch {
            throw TeltonikaError(error)
        }
        try TeltonikaIMEI.validate(imei)
        return TeltonikaUDPHeader(
            packetID: packetID, avlPacketID: avlPacketID, imei: imei,
            avlData: UnsafeRawBufferPointer(rebasing: datagram[cursor.offset...]))
    }

    /// Appends the acknowledgement of `count` records.
    @inline(__always)
    func appendReply(count: Int, into output: inout WireOutput) {
        let reply: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            0x00, 0x05, UInt8(packetID >> 8), UInt8(packetID & 0xFF), 0x01, avlPacketID,
            UInt8(truncatingIfNeeded: count)
        )
        withUnsafeBytes(of: reply) { output.appendReply($0) }
    }
}
