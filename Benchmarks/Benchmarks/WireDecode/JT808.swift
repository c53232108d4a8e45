import Benchmark
import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// JT/T 808 decode throughput. Every frame is un-escaped, XOR-checked, parsed (header, identity,
/// location body with its additional items, Beijing BCD time to UTC, week-rollover check),
/// turned into a fix, and answered: the `0x8001` ack (built, escaped, appended to the output)
/// is part of the work measured.
///
/// One benchmark iteration decodes 1,000 fixes and the scaling factor is 1,000, so throughput
/// reads as fixes/s and mallocs as mallocs per fix. Output buffers are warmed up before
/// measuring (steady state: a connection's hundredth batch, not its first).
/// - `JT808.location0200.*`: 1,000 `0x0200` frames, 2013 edition, with items 0x01 mileage,
///   0x30 signal and 0x31 satellites: 55,066 bytes on the wire (55.07 a frame, escapes
///   included), so MB/s = fixes/s x 55.07 / 10^6.
/// - `JT808.batch0704.one-read`: 40 `0x0704` blind-area back-fill frames of 25 items each (a
///   body of 828 bytes, under the 1,023-byte limit of one package): 1,000 fixes, 40 acks,
///   33,759 bytes on the wire, so MB/s = fixes/s x 33.76 / 10^6.
func jt808Benchmarks() {
    let receivedMs: Int64 = 1_764_400_000_000
    let frames = 1000
    let (locationStream, batchStream) = jt808Streams(receivedMs: receivedMs)
    let configuration = Benchmark.Configuration(scalingFactor: .kilo)

    /// Feeds a stream in `chunkBytes` reads (all at once when 0). After each read the batch is
    /// handed on and cleared, as the transport does (sink, then acks, then clear).
    func run(_ benchmark: Benchmark, _ stream: [UInt8], chunkBytes: Int) {
        var decoder = JT808Decoder(configuration: WireConfiguration())
        var output = WireOutput()
        var fixes = 0
        func pass() {
            fixes += feedStream(&decoder, &output, stream, chunkBytes: chunkBytes, receivedMs: receivedMs)
        }
        pass()  // sizes the output buffers once
        precondition(fixes == frames, "every item is a fix")
        precondition(output.counters.rejected.isEmpty, "no rejections")
        benchmark.startMeasurement()
        for _ in 0..<benchmark.scaledIterations.count / frames { pass() }
        benchmark.stopMeasurement()
    }

    // 1,000 frames in one read: one batch of 1,000 fixes and 1,000 acks.
    Benchmark("JT808.location0200.one-read", configuration: configuration) { benchmark in
        run(benchmark, locationStream, chunkBytes: 0)
    }
    // 1,460-byte reads (one TCP segment, about 25 frames): frames straddle reads and are
    // un-escaped across them.
    Benchmark("JT808.location0200.1460-byte-reads", configuration: configuration) { benchmark in
        run(benchmark, locationStream, chunkBytes: 1460)
    }
    // 40 back-fill batches of 25 in one read: 1,000 fixes, 40 acks.
    Benchmark("JT808.batch0704.one-read", configuration: configuration) { benchmark in
        run(benchmark, batchStream, chunkBytes: 0)
    }
}

/// The benchmark streams: 1,000 `0x0200` frames, and 40 `0x0704` back-fill frames of 25 items.
func jt808Streams(receivedMs: Int64) -> (location: [UInt8], batch: [UInt8]) {
    var encoder = JT808Encoder(phone: "013912345678")
    func fix(_ n: Int) -> Fix {
        Fix(
            device: DeviceID("013912345678")!, timeMs: 1_764_390_000_000 + Int64(n) * 1000,
            latitudeE7: 312_304_160 + Int32(n) * 370, longitudeE7: 1_214_737_010 - Int32(n) * 410,
            altitudeM: Double(n % 50), speedMps: Double(n % 300) / 36, courseDeg: Double(n % 360), satellites: 9)
    }
    var location: [UInt8] = []
    for n in 0..<1000 {
        let body = JT808Encoder.locationBody(fix(n), mileageDeciKm: UInt32(100_000 + n), signal: 25)
        location += encoder.frame(messageID: 0x0200, body: body)
    }
    var batch: [UInt8] = []
    for b in 0..<40 {
        let items = (0..<25).map { i in JT808Encoder.locationBody(fix(b * 25 + i)) }
        batch += encoder.frame(messageID: 0x0704, body: JT808Encoder.batchBody(items, backfill: true))
    }
    return (location, batch)
}
