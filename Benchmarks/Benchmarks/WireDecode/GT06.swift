import Benchmark
import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// GT06 decode throughput: a logged-in stream of 1,000 location frames (alternating `0x12`,
/// 36 bytes, and `0x22` with mileage, 43 bytes: 39.5 bytes a frame on average), every frame
/// CRC-checked, turned into a fix and acked. One benchmark iteration decodes the 1,000 frames
/// and the scaling factor is 1,000, so throughput reads as fixes/s and mallocs as mallocs per
/// fix. MB/s = fixes/s x 39.5 bytes / 10^6. Output buffers are warmed up before measuring
/// (steady state: a connection decoding its hundredth batch, not its first).
func gt06Benchmarks() {
    let frames = 1000
    let receivedMs: Int64 = 1_764_400_000_000
    let login = GT06Encoder.login(imei: "359339075091523")
    var stream: [UInt8] = []
    for n in 0..<frames {
        let fix = Fix(
            device: DeviceID("359339075091523")!, timeMs: 1_764_390_000_000 + Int64(n) * 1000,
            latitudeE7: 312_304_000 + Int32(n) * 37, longitudeE7: -1_214_737_000 - Int32(n) * 41,
            speedMps: Double(n % 30), courseDeg: Double(n % 360), satellites: 9)
        stream += GT06Encoder.location(
            fix, protocolNumber: n % 2 == 0 ? 0x12 : 0x22, reupload: n % 10 == 0, serial: UInt16(n))
    }
    let configuration = Benchmark.Configuration(scalingFactor: .kilo)

    /// Feeds the stream in `chunkBytes` reads (all of it at once when 0). After each read the
    /// batch is handed on and cleared, as the transport does (sink, then acks, then clear).
    func run(_ benchmark: Benchmark, chunkBytes: Int) {
        var decoder = GT06Decoder(configuration: WireConfiguration())
        var output = WireOutput()
        decoder.consume(login, receivedMs: receivedMs, into: &output)
        output.clearBatch()
        var fixes = 0
        func pass() {
            fixes += feedStream(&decoder, &output, stream, chunkBytes: chunkBytes, receivedMs: receivedMs)
        }
        pass()  // sizes the output buffers once
        precondition(fixes == frames, "every frame is a fix")
        benchmark.startMeasurement()
        for _ in 0..<benchmark.scaledIterations.count / frames { pass() }
        benchmark.stopMeasurement()
    }

    // All 1,000 frames in one read: one batch of 1,000 fixes (about 130 KB of `Fix` values).
    Benchmark("GT06.locations.one-read", configuration: configuration) { benchmark in
        run(benchmark, chunkBytes: 0)
    }
    // 1,460-byte reads (one TCP segment each, about 37 frames): frames straddle reads and go
    // through the decoder's buffer; each read's batch is handed on before the next.
    Benchmark("GT06.locations.1460-byte-reads", configuration: configuration) { benchmark in
        run(benchmark, chunkBytes: 1460)
    }
}
