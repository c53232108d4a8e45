import FieldtraceCore
import FieldtraceWire

/// libFuzzer entry for Teltonika. Each input goes through:
/// - the TCP decoder as a whole stream (so the handshake itself is fuzzed), in two splits at a
///   position taken from the first byte;
/// - the TCP decoder behind a valid IMEI handshake, so packets reach the AVL parser;
/// - the UDP decoder as one datagram;
/// - the parse API (typed IO map) as AVL data and as a UDP datagram.
/// Every fix must be in range. Built only by `scripts/fuzz` with `--sanitize=fuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let receivedMs: Int64 = 1_764_400_000_000
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    var output = WireOutput()

    var bare = TeltonikaTCPDecoder(configuration: WireConfiguration())
    bare.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), receivedMs: receivedMs, into: &output)
    bare.consume(UnsafeRawBufferPointer(rebasing: bytes[split...]), receivedMs: receivedMs, into: &output)
    bare.finish(into: &output)
    check(output.fixes)
    output.clearBatch()

    var greeted = TeltonikaTCPDecoder(configuration: WireConfiguration())
    greeted.consume(Array("\u{0}\u{F}356307042441013".utf8), receivedMs: receivedMs, into: &output)
    greeted.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), receivedMs: receivedMs, into: &output)
    greeted.consume(UnsafeRawBufferPointer(rebasing: bytes[split...]), receivedMs: receivedMs, into: &output)
    greeted.finish(into: &output)
    check(output.fixes)
    output.clearBatch()

    var udp = TeltonikaUDPDecoder(configuration: WireConfiguration())
    udp.consume(bytes, receivedMs: receivedMs, into: &output)
    udp.finish(into: &output)
    check(output.fixes)

    let array = Array(bytes)
    if let packet = try? TeltonikaAVLPacket.parse(avlData: array) {
        precondition(packet.records.count <= size, "more records than bytes")
    }
    if let datagram = try? TeltonikaUDPDatagram.parse(array) {
        precondition(datagram.packet.records.count <= size, "more records than bytes")
    }
    return 0
}

func check(_ fixes: [Fix]) {
    for fix in fixes {
        precondition(fix.latitudeE7 >= -900_000_000 && fix.latitudeE7 <= 900_000_000, "latitude out of range")
        precondition(fix.longitudeE7 >= -1_800_000_000 && fix.longitudeE7 <= 1_800_000_000, "longitude out of range")
        precondition(fix.timeMs >= Limits.earliestFixTimeMs && fix.timeMs < 4_102_444_800_000, "time out of range")
        precondition((fix.speedMps ?? 0) >= 0 && (fix.speedMps ?? 0) < 2000, "speed out of range")
        precondition((fix.courseDeg ?? 0) >= 0 && (fix.courseDeg ?? 0) < 360, "course out of range")
        precondition(fix.source == .teltonika, "source")
    }
}
