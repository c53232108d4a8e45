import Benchmark
import FieldtraceCore
import FieldtraceTestSupport
import FieldtraceWire

/// OsmAnd decode throughput: 1,000 requests per iteration (100 distinct ones, cycled), each a
/// separate `consume` call as the HTTP layer makes it; the scaling factor is 1,000, so
/// throughput reads as requests/s and mallocs as mallocs per request. Device ids are short
/// (up to 15 bytes, stored inline by `String`); a 36-byte UUID id costs one allocation more.
///
/// - query: `id=...&timestamp=<Unix seconds>&lat=...&lon=...&speed=...&bearing=...&altitude=...
///   &accuracy=...&batt=...` (about 130 bytes), one fix each.
/// - query-iso: the same with a percent-encoded ISO 8601 timestamp.
/// - json: a background-geolocation body with one location (about 380 bytes), one fix each.
/// - json-batch10: bodies of 10 queued locations (about 3.3 KB): requests/s x 10 = fixes/s.
func osmandBenchmarks() {
    let receivedMs: Int64 = 1_764_400_000_000
    func fix(_ n: Int) -> Fix {
        Fix(
            device: DeviceID("phone-\(n % 10)")!, timeMs: 1_764_390_000_000 + Int64(n) * 1000,
            latitudeE7: 312_304_000 + Int32(n) * 37, longitudeE7: -1_214_737_000 - Int32(n) * 41,
            altitudeM: Double(n % 50) + 0.5, speedMps: Double(n % 30) / 2, courseDeg: Double(n % 360),
            accuracyM: 4.5, source: .osmand)
    }
    let query = (0..<100).map { Array(OsmAndEncoder.query(fix($0), time: .seconds).utf8) }
    let queryISO = (0..<100).map { Array(OsmAndEncoder.query(fix($0), time: .iso).utf8) }
    let json = (0..<100).map { Array(OsmAndEncoder.json([fix($0)], device: fix($0).device).utf8) }
    let batch = (0..<100).map { n in
        Array(OsmAndEncoder.json((0..<10).map { fix(n * 10 + $0) }, device: fix(n).device).utf8)
    }
    let configuration = Benchmark.Configuration(scalingFactor: .kilo)

    func run(_ benchmark: Benchmark, _ requests: [[UInt8]], fixesPerRequest: Int) {
        var decoder = OsmAndDecoder(configuration: WireConfiguration())
        var output = WireOutput()
        func pass() {
            for n in 0..<1000 {
                decoder.consume(requests[n % requests.count], receivedMs: receivedMs, into: &output)
                blackHole(output.fixes.count)
                output.clearBatch()
            }
        }
        pass()  // sizes the scratch and output buffers once
        precondition(output.counters.fixes == 1000 * fixesPerRequest, "every request decodes")
        benchmark.startMeasurement()
        for _ in 0..<benchmark.scaledIterations.count / 1000 { pass() }
        benchmark.stopMeasurement()
    }

    Benchmark("OsmAnd.query", configuration: configuration) { run($0, query, fixesPerRequest: 1) }
    Benchmark("OsmAnd.query-iso", configuration: configuration) { run($0, queryISO, fixesPerRequest: 1) }
    Benchmark("OsmAnd.json", configuration: configuration) { run($0, json, fixesPerRequest: 1) }
    Benchmark("OsmAnd.json-batch10", configuration: configuration) { run($0, batch, fixesPerRequest: 10) }
}
