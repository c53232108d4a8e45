import FieldtraceCore
import FieldtraceWire

/// libFuzzer entry: decodes the input as one request, then as two requests split at a
/// position taken from the first byte (both halves are requests of their own), then line by
/// line (up to 64 lines), with a small request cap on every other input so the size check is
/// exercised too. Checks what must hold
/// for any input: every request is counted once, nothing is replied, and every fix has its
/// coordinates and time in range. Built only by `scripts/fuzz` with `--sanitize=fuzzer`; in a
/// normal build it is an executable that does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var configuration = WireConfiguration()
    if size > 1, bytes[1] & 1 == 1 { configuration.limits.osmandRequestMaxBytes = 200 }
    var decoder = OsmAndDecoder(configuration: configuration)
    var output = WireOutput()
    let receivedMs: Int64 = 1_764_400_000_000
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    decoder.consume(bytes, receivedMs: receivedMs, into: &output)
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), receivedMs: receivedMs, into: &output)
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[split...]), receivedMs: receivedMs, into: &output)
    // Then each line as a request of its own: the seed corpus holds whole sample files, one
    // request per line (`scripts/samples/seed_corpus.py` copies text captures whole).
    var requests = 3
    var start = 0
    while start < size, requests < 67 {
        var end = start
        while end < size, bytes[end] != 0x0A { end += 1 }
        decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), receivedMs: receivedMs, into: &output)
        requests += 1
        start = end + 1
    }
    decoder.finish(into: &output)
    precondition(output.counters.frames == requests, "every request is one frame")
    precondition(output.replies.isEmpty, "OsmAnd replies nothing")
    for fix in output.fixes {
        precondition(fix.latitudeE7 >= -900_000_000 && fix.latitudeE7 <= 900_000_000, "latitude out of range")
        precondition(fix.longitudeE7 >= -1_800_000_000 && fix.longitudeE7 <= 1_800_000_000, "longitude out of range")
        precondition(fix.timeMs >= 935_280_000_000 && fix.timeMs < 4_102_444_800_000, "time out of range")
        if let course = fix.courseDeg { precondition(course >= 0 && course < 360, "course out of range") }
        if let speed = fix.speedMps { precondition(speed >= 0 && speed < 2000, "speed out of range") }
    }
    return 0
}
