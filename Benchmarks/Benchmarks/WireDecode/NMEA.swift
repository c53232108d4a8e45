import Benchmark
import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire
import Foundation

/// NMEA decode throughput, one core, release build.
///
/// Input: a realistic mixed stream written by `NMEAEncoder` (TestSupport): `$PGID`, then
/// 1 Hz epochs of a moving vehicle, each RMC + GGA + GSA + VTG, with 1% of the sentences
/// corrupted (one byte changed: a checksum mismatch), `sentenceCount` sentences in all
/// (about 6.5 MB). Each benchmark iteration decodes the whole stream with one long-lived
/// decoder (steady state: buffers already sized), and reports:
/// - `sentences/s`: sentences in the input divided by the iteration's wall time;
/// - `sentences/s (cpu)`: the same divided by the thread's CPU time instead (what one core
///   does when other processes share it: wall time then includes time spent descheduled);
/// - `MB/s`: input bytes (10^6) divided by the wall time;
/// - `mallocs` (mallocCountTotal) and `instructions` per iteration: divide by
///   `sentenceCount` for per-sentence figures.
func nmeaBenchmarks() {
    let sentenceCount = 100_000
    let stream = NMEABenchmarkData.stream(sentences: sentenceCount, corruptEvery: 100)
    let clean = NMEABenchmarkData.stream(sentences: sentenceCount, corruptEvery: 0)
    let datagrams = NMEABenchmarkData.datagrams(count: sentenceCount / 5)
    let receivedMs: Int64 = 1_795_910_400_000  // 2026-11-28T00:00:00Z
    let metrics: [BenchmarkMetric] = [
        .wallClock, .throughput, .mallocCountTotal, .instructions, NMEABenchmarkData.sentencesPerSecond,
        NMEABenchmarkData.cpuSentencesPerSecond, NMEABenchmarkData.megabytesPerSecond,
    ]
    let configuration = Benchmark.Configuration(metrics: metrics, warmupIterations: 3, maxDuration: .seconds(3))

    /// TCP: the stream in 64 KiB reads, as a socket delivers it (lines split across reads).
    func decodeStream(_ name: String, _ bytes: [UInt8], _ config: WireConfiguration) {
        Benchmark(
            name, configuration: configuration,
            closure: { (benchmark: Benchmark, decoderBox: NMEADecoderBox) in
                let box = decoderBox
                let start = ContinuousClock.now
                let cpuStart = NMEABenchmarkData.threadCPUNanoseconds()
                benchmark.startMeasurement()
                bytes.withUnsafeBytes { all in
                    var offset = 0
                    while offset < all.count {
                        let end = min(all.count, offset + 65_536)
                        box.decoder.consume(
                            UnsafeRawBufferPointer(rebasing: all[offset..<end]), receivedMs: receivedMs,
                            into: &box.output)
                        blackHole(box.output.fixes.count)
                        box.output.clearBatch()
                        offset = end
                    }
                }
                benchmark.stopMeasurement()
                NMEABenchmarkData.report(
                    benchmark, since: start, cpuSince: cpuStart, sentences: sentenceCount, bytes: bytes.count)
            }, setup: { NMEADecoderBox(NMEADecoder(configuration: config)) })
    }

    decodeStream("NMEA.decode mixed RMC/GGA/GSA/VTG, 1% corrupt (TCP, 64 KiB reads)", stream, WireConfiguration())
    var quiet = WireConfiguration()
    quiet.maxRejectionsKept = 0
    decodeStream("NMEA.decode mixed, 1% corrupt, no rejections kept (TCP)", stream, quiet)
    decodeStream("NMEA.decode mixed, clean (TCP)", clean, WireConfiguration())

    Benchmark("NMEA.datagram decode ($PGID + one epoch per datagram, UDP)", configuration: configuration) {
        benchmark in
        var decoder = NMEADatagramDecoder(configuration: WireConfiguration())
        var output = WireOutput()
        let total = datagrams.reduce(0) { $0 + $1.count }
        let start = ContinuousClock.now
        let cpuStart = NMEABenchmarkData.threadCPUNanoseconds()
        for datagram in datagrams {
            datagram.withUnsafeBytes { decoder.consume($0, receivedMs: receivedMs, into: &output) }
            blackHole(output.fixes.count)
            output.clearBatch()
        }
        NMEABenchmarkData.report(
            benchmark, since: start, cpuSince: cpuStart, sentences: datagrams.count * 5, bytes: total)
    }
}

/// Keeps one decoder and output alive across iterations (steady state).
final class NMEADecoderBox {
    var decoder: NMEADecoder
    var output = WireOutput()
    init(_ decoder: NMEADecoder) { self.decoder = decoder }
}

enum NMEABenchmarkData {
    static let sentencesPerSecond = BenchmarkMetric.custom(
        "sentences/s", polarity: .prefersLarger, useScalingFactor: false)
    static let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

    static let cpuSentencesPerSecond = BenchmarkMetric.custom(
        "sentences/s (cpu)", polarity: .prefersLarger, useScalingFactor: false)

    /// CPU time of the calling thread, ns.
    static func threadCPUNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    static func report(
        _ benchmark: Benchmark, since start: ContinuousClock.Instant, cpuSince cpuStart: Int64, sentences: Int,
        bytes: Int
    ) {
        let elapsed = ContinuousClock.now - start
        let cpu = Double(threadCPUNanoseconds() - cpuStart)
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        guard ns > 0, cpu > 0 else { return }
        benchmark.measurement(sentencesPerSecond, Int(Double(sentences) * 1e9 / ns))
        benchmark.measurement(cpuSentencesPerSecond, Int(Double(sentences) * 1e9 / cpu))
        benchmark.measurement(megabytesPerSecond, Int(Double(bytes) * 1e3 / ns))
    }

    /// A moving vehicle: 1 Hz fixes with speed and heading changes.
    static func fixes(count: Int, seed: UInt64) -> [Fix] {
        var rng = SeededRandom(seed: seed)
        var lat = -34.6037345
        var lon = -58.3815704
        var heading = 80.0
        var speed = 12.0
        var fixes: [Fix] = []
        let device = DeviceID("356307042441013")!
        for i in 0..<count {
            let turn = Double(rng.next() % 200) / 100 - 1
            heading = (heading + turn * 5 + 360).truncatingRemainder(dividingBy: 360)
            speed = max(0, min(33, speed + Double(rng.next() % 100) / 50 - 1))
            lat += speed * cos(heading * .pi / 180) / 111_195
            lon += speed * sin(heading * .pi / 180) / 92_000
            fixes.append(
                Fix(
                    device: device, timeMs: 1_795_900_000_000 + Int64(i) * 1000,
                    latitudeE7: CoordinateE7.fromDegrees(lat), longitudeE7: CoordinateE7.fromDegrees(lon),
                    altitudeM: 25.5 + Double(i % 50) / 10, speedMps: speed, courseDeg: (heading * 10).rounded() / 10,
                    hdop: 0.9, satellites: UInt8(6 + i % 7)))
        }
        return fixes
    }

    /// `$PGID` and epochs of RMC + GGA + GSA + VTG, `sentences` lines in all; every
    /// `corruptEvery`-th sentence gets one byte changed (0: none).
    static func stream(sentences: Int, corruptEvery: Int) -> [UInt8] {
        let bytes = NMEAEncoder.stream(fixes(count: sentences / 4 + 1, seed: 7))
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var line = 0
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            var sentence = Array(bytes[start...i])
            if corruptEvery > 0, line > 0, line % corruptEvery == 0 { sentence[sentence.count / 2] ^= 0x01 }
            out += sentence
            start = i + 1
            line += 1
            if line == sentences { break }
        }
        return out
    }

    /// Datagrams of `$PGID` + one RMC/GGA/GSA/VTG epoch each.
    static func datagrams(count: Int) -> [[UInt8]] {
        fixes(count: count, seed: 11).map { fix in
            Array(
                (NMEAEncoder.pgid(fix.device.rawValue) + NMEAEncoder.epoch(fix, kinds: [.rmc, .gga, .gsa, .vtg])).utf8)
        }
    }
}
