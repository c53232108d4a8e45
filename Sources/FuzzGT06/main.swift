import FieldtraceCore
import FieldtraceWire

/// A valid login (IMEI 359339075091523), prepended when the first input byte is odd, so that
/// single-frame corpus entries (one sample line each) reach the location, alarm and status
/// parsers instead of stopping at "no identity".
let login: [UInt8] = [
    0x78, 0x78, 0x0D, 0x01, 0x03, 0x59, 0x33, 0x90, 0x75, 0x09, 0x15, 0x23, 0x00, 0x01, 0x64, 0x67, 0x0D, 0x0A,
]

/// libFuzzer entry: optionally logs in, feeds the input to a fresh decoder in two splits (at a
/// position taken from the first byte) so the framer is exercised across chunk boundaries,
/// then finishes the stream. Checks what must hold for any input: coordinates and times in
/// range, and every frame counted exactly once (fix, ignored or rejected).
/// Built only by `scripts/fuzz` with `--sanitize=fuzzer`; in a normal build it is an
/// executable that does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var decoder = GT06Decoder(configuration: WireConfiguration())
    var output = WireOutput()
    let receivedMs: Int64 = 1_764_400_000_000
    if size > 0, bytes[0] & 1 == 1 { decoder.consume(login, receivedMs: receivedMs, into: &output) }
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), receivedMs: receivedMs, into: &output)
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[split...]), receivedMs: receivedMs, into: &output)
    decoder.finish(into: &output)
    for fix in output.fixes {
        precondition(fix.latitudeE7 >= -900_000_000 && fix.latitudeE7 <= 900_000_000, "latitude out of range")
        precondition(fix.longitudeE7 >= -1_800_000_000 && fix.longitudeE7 <= 1_800_000_000, "longitude out of range")
        precondition(fix.timeMs >= 946_684_800_000 && fix.timeMs < 4_102_444_800_000, "time out of range")
        if let course = fix.courseDeg { precondition(course >= 0 && course < 360, "course out of range") }
    }
    let c = output.counters
    precondition(c.frames == c.fixes + c.ignored + c.rejectedTotal, "a frame counted other than once")
    return 0
}
