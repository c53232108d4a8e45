import FieldtraceCore
import FieldtraceWire

/// libFuzzer entry: feeds the input to the NMEA stream decoder in two splits (at a position
/// taken from the first byte, so lines are cut across reads), then finishes the stream; then
/// to the datagram decoder as one datagram; the second byte's low bit switches lenient
/// checksum mode. Every fix must be in range (coordinates, time, speed, course, altitude,
/// HDOP), every counter consistent. Built only by `scripts/fuzz` with `--sanitize=fuzzer`;
/// in a normal build it is an executable that does nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var configuration = WireConfiguration()
    configuration.lenientNMEAChecksum = size > 1 && bytes[1] & 1 == 1
    let now: Int64 = 1_764_400_000_000
    var decoder = NMEADecoder(configuration: configuration)
    var output = WireOutput()
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[0..<split]), receivedMs: now, into: &output)
    decoder.consume(UnsafeRawBufferPointer(rebasing: bytes[split...]), receivedMs: now, into: &output)
    decoder.finish(into: &output)
    check(output)
    var datagram = NMEADatagramDecoder(configuration: configuration)
    var datagramOutput = WireOutput()
    datagram.consume(bytes, receivedMs: now, into: &datagramOutput)
    datagram.finish(into: &datagramOutput)
    check(datagramOutput)
    return 0
}

func check(_ output: WireOutput) {
    precondition(output.counters.fixes == output.fixes.count, "fix count")
    precondition(output.counters.frames >= output.counters.rejectedTotal, "more rejections than frames")
    for fix in output.fixes {
        precondition(
            CoordinateE7.isInRange(latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7), "coordinates out of range"
        )
        precondition(fix.timeMs >= 0 && fix.timeMs <= 4_102_444_800_000, "fix time out of range")
        if let v = fix.speedMps { precondition(v.isFinite && v >= 0 && v < 2000, "speed") }
        if let v = fix.courseDeg { precondition(v.isFinite && v >= 0 && v < 360, "course") }
        if let v = fix.altitudeM { precondition(v.isFinite && v > -20_000 && v < 1_000_000, "altitude") }
        if let v = fix.hdop { precondition(v.isFinite && v >= 0 && v < 10_000, "hdop") }
        precondition(DeviceID.isValid(fix.device.rawValue.utf8), "device id")
    }
}
