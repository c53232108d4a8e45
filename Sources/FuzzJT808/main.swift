import FieldtraceCore
import FieldtraceWire

/// libFuzzer entry for the JT/T 808 decoder. Decodes the input twice with fresh decoders: in
/// two reads split at a position taken from the first byte, and in one read. Bit 1 of the
/// first byte selects a small frame cap (64 bytes) so the too-long path is reached. Checks
/// what must hold for any input:
/// - both runs give the same fixes, replies and counters (the framer keeps no state that
///   depends on how the bytes arrived);
/// - every fix is in range (coordinates, time before 2100, course, speed);
/// - every reply is a well-formed frame: 0x7E at both ends only, valid escapes, XOR check.
/// Built only by `scripts/fuzz` with `--sanitize=fuzzer`; in a normal build it is an
/// executable that does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var configuration = WireConfiguration()
    if size > 0, bytes[0] & 2 != 0 { configuration.limits.jt808FrameMaxBytes = 64 }
    let receivedMs: Int64 = 1_764_400_000_000

    var split = JT808Decoder(configuration: configuration)
    var a = WireOutput()
    let cut = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    split.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<cut]), receivedMs: receivedMs, into: &a)
    split.consume(UnsafeRawBufferPointer(rebasing: bytes[cut...]), receivedMs: receivedMs, into: &a)
    split.finish(into: &a)

    var whole = JT808Decoder(configuration: configuration)
    var b = WireOutput()
    whole.consume(bytes, receivedMs: receivedMs, into: &b)
    whole.finish(into: &b)

    precondition(a.fixes == b.fixes, "fixes depend on the split")
    precondition(a.replyBytes == b.replyBytes && a.replyEnds == b.replyEnds, "replies depend on the split")
    precondition(a.counters == b.counters, "counters depend on the split")
    for fix in a.fixes {
        precondition(fix.latitudeE7 >= -900_000_000 && fix.latitudeE7 <= 900_000_000, "latitude out of range")
        precondition(fix.longitudeE7 >= -1_800_000_000 && fix.longitudeE7 <= 1_800_000_000, "longitude out of range")
        precondition(fix.timeMs >= 0 && fix.timeMs < 4_102_444_800_000, "time out of range")
        if let course = fix.courseDeg { precondition(course >= 0 && course < 360, "course out of range") }
        if let speed = fix.speedMps { precondition(speed >= 0 && speed < 2000, "speed out of range") }
        precondition(!fix.flags.contains(.backfill) || fix.flags.contains(.late), "backfill without late")
    }
    for reply in a.replies { checkReply(reply) }
    return 0
}

/// A platform frame: `7E`, escaped header + body + check, `7E`; the XOR of all un-escaped bytes
/// (check included) is 0, and the body length bits match.
func checkReply(_ reply: ArraySlice<UInt8>) {
    precondition(reply.count >= 15 && reply.first == 0x7E && reply.last == 0x7E, "reply not delimited")
    var plain: [UInt8] = []
    var escaped = false
    for byte in reply.dropFirst().dropLast() {
        precondition(byte != 0x7E, "0x7E inside a reply")
        if escaped {
            precondition(byte == 0x01 || byte == 0x02, "bad escape in a reply")
            plain.append(byte == 0x01 ? 0x7D : 0x7E)
            escaped = false
        } else if byte == 0x7D {
            escaped = true
        } else {
            plain.append(byte)
        }
    }
    precondition(!escaped, "reply ends inside an escape")
    precondition(plain.reduce(0, ^) == 0, "reply check byte wrong")
    let attributes = Int(plain[2]) << 8 | Int(plain[3])
    let header = attributes & 0x4000 != 0 ? 17 : 12
    precondition(plain.count == header + (attributes & 0x3FF) + 1, "reply body length wrong")
}
