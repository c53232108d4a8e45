import Benchmark
import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// Teltonika decode throughput. Each iteration decodes 1,000 records (fixes) and the scaling
/// factor is 1,000, so throughput reads as fixes/s and mallocs as mallocs per fix. Every packet
/// is CRC-checked (TCP), every IO element bounds-checked and skipped, every record turned into a
/// fix and every packet acked. MB/s = fixes/s x bytes per fix / 10^6, with bytes per fix the
/// stream size divided by its 1,000 records:
/// - TCP Codec 8: 125 packets of 8 records with typical FMB IO (8 elements: 1, 2, 4, 8-byte
///   groups), 59-byte records, 487-byte packets: 60.9 bytes per fix.
/// - TCP Codec 8E: the same with 2-byte ids plus 3 variable-length values (VIN, BLE payload,
///   empty) and one id beyond 255: 114-byte records, 927-byte packets: 115.9 bytes per fix.
/// - UDP Codec 8: 250 datagrams of 4 records each (262 bytes), one per `consume`: 65.5 bytes per fix.
/// Output buffers are warmed up before measuring (steady state, not a connection's first batch).
func teltonikaBenchmarks() {
    let receivedMs: Int64 = 1_764_400_000_000
    let imei = "356307042441013"
    let configuration = Benchmark.Configuration(scalingFactor: .kilo)

    func records(_ count: Int, from first: Int, io: [UInt16: TeltonikaIOValue]) -> [TeltonikaRecord] {
        var out: [TeltonikaRecord] = []
        for n in first..<(first + count) {
            let timeMs: Int64 = 1_764_390_000_000 + Int64(n) * 1000
            let longitudeE7: Int32 = -1_214_737_000 - Int32(n) * 41
            let latitudeE7: Int32 = -312_304_000 + Int32(n) * 37
            out.append(
                TeltonikaRecord(
                    timestampMs: timeMs, priority: 0, longitudeE7: longitudeE7, latitudeE7: latitudeE7,
                    altitudeM: Int16(n % 500), angleDeg: UInt16(n % 360), satellites: 9, speedKmh: UInt16(n % 120),
                    eventIOID: 0, io: io))
        }
        return out
    }

    func tcpStream(codec: TeltonikaCodec, io: [UInt16: TeltonikaIOValue]) -> [UInt8] {
        var stream: [UInt8] = []
        for packet in 0..<125 {
            stream += TeltonikaEncoder.tcpPacket(records(8, from: packet * 8, io: io), codec: codec)
        }
        return stream
    }

    /// Feeds the TCP stream in `chunkBytes` reads (all at once when 0); after each read the batch
    /// is handed on and cleared, as the transport does (sink, then acks, then clear).
    func runTCP(_ benchmark: Benchmark, stream: [UInt8], chunkBytes: Int) {
        var decoder = TeltonikaTCPDecoder(configuration: WireConfiguration())
        var output = WireOutput()
        decoder.consume(TeltonikaEncoder.handshake(imei: imei), receivedMs: receivedMs, into: &output)
        output.clearBatch()
        var fixes = 0
        func pass() {
            fixes += feedStream(&decoder, &output, stream, chunkBytes: chunkBytes, receivedMs: receivedMs)
        }
        pass()
        precondition(fixes == 1000 && output.counters.rejected.isEmpty, "every record is a fix")
        benchmark.startMeasurement()
        for _ in 0..<benchmark.scaledIterations.count / 1000 { pass() }
        benchmark.stopMeasurement()
    }

    let codec8 = tcpStream(codec: .codec8, io: TeltonikaEncoder.typicalIO)
    let codec8E = tcpStream(codec: .codec8E, io: TeltonikaEncoder.extendedIO)

    // 1,460-byte reads (one TCP segment each): packets straddle reads and go through the buffer.
    Benchmark("Teltonika.tcp.codec8.1460-byte-reads", configuration: configuration) { benchmark in
        runTCP(benchmark, stream: codec8, chunkBytes: 1460)
    }
    Benchmark("Teltonika.tcp.codec8.one-read", configuration: configuration) { benchmark in
        runTCP(benchmark, stream: codec8, chunkBytes: 0)
    }
    Benchmark("Teltonika.tcp.codec8E.1460-byte-reads", configuration: configuration) { benchmark in
        runTCP(benchmark, stream: codec8E, chunkBytes: 1460)
    }

    let datagrams = (0..<250).map { n in
        TeltonikaEncoder.udpDatagram(
            packetID: UInt16(n), avlPacketID: UInt8(n % 256), imei: imei,
            records(4, from: n * 4, io: TeltonikaEncoder.typicalIO))
    }
    Benchmark("Teltonika.udp.codec8", configuration: configuration) { benchmark in
        var decoder = TeltonikaUDPDecoder(configuration: WireConfiguration())
        var output = WireOutput()
        var fixes = 0
        func pass() {
            for datagram in datagrams {
                datagram.withUnsafeBytes { decoder.consume($0, receivedMs: receivedMs, into: &output) }
                fixes += output.fixes.count
                blackHole(output.replyBytes.count)
                output.clearBatch()
            }
        }
        pass()
        precondition(fixes == 1000 && output.counters.rejected.isEmpty, "every record is a fix")
        benchmark.startMeasurement()
        for _ in 0..<benchmark.scaledIterations.count / 1000 { pass() }
        benchmark.stopMeasurement()
    }
}
