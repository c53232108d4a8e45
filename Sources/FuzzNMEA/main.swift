import FieldtraceWire

/// libFuzzer entry: feeds the input to a fresh decoder in two splits (at a position taken from
/// the first byte) so framers are exercised across chunk boundaries, then finishes the stream.
/// Built only by `scripts/fuzz` with `--sanitize=fuzzer`; in a normal build it is an
/// executable that does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var decoder = NMEADecoder(configuration: WireConfiguration())
    var output = WireOutput()
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), receivedMs: 1_764_400_000_000, into: &output)
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[split...]), receivedMs: 1_764_400_000_000, into: &output)
    decoder.finish(into: &output)
    for fix in output.fixes {
        precondition(fix.latitudeE7 >= -900_000_000 && fix.latitudeE7 <= 900_000_000, "latitude out of range")
        precondition(fix.longitudeE7 >= -1_800_000_000 && fix.longitudeE7 <= 1_800_000_000, "longitude out of range")
    }
    return 0
}
