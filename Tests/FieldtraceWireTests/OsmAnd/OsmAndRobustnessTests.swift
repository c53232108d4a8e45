import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceWire

/// Seeded mutation of every sample request: each mutated request decodes to fixes or counted
/// rejections, never a crash or hang, and every fix is plausible.
@Suite struct OsmAndRobustnessTests {
    static func sampleRequests() throws -> [String] {
        var requests: [String] = []
        for name in ["query.txt", "json.txt"] {
            requests += try SampleData.lines("osmand/" + name)
        }
        return requests
    }

    func check(_ request: [UInt8], _ label: String) {
        var decoder = OsmAndDecoder(configuration: .init())
        var output = WireOutput()
        decoder.consume(request, receivedMs: OsmAndFixtures.receivedMs, into: &output)
        let c = output.counters
        #expect(c.frames == 1, "\(label)")
        #expect(c.fixes + c.ignored + c.rejectedTotal >= 1, "\(label): a request with no outcome")
        #expect(output.replies.isEmpty)
        for fix in output.fixes { #expect(Plausibility.problems(fix).isEmpty, "\(label): \(fix)") }
    }

    @Test func mutatedSamplesNeverCrash() throws {
        let requests = try Self.sampleRequests()
        #expect(requests.count >= 10)
        var rng = SeededRandom(seed: 0x05AD)
        var cases = 0
        for request in requests {
            let bytes = Array(request.utf8)
            for _ in 0..<300 {
                check(Mutator.mutate(bytes, rng: &rng), "seed \(rng.seed) case \(cases)")
                cases += 1
            }
        }
        #expect(cases >= 3000)
    }

    @Test func structuralExtremes() {
        let cases: [String] = [
            String(repeating: "[", count: 60_000),
            "{\"device_id\":\"p\",\"location\":" + String(repeating: "[", count: 60_000),
            "{\"device_id\":\"p\",\"location\":" + String(repeating: "{\"a\":", count: 20_000),
            String(repeating: "&", count: 60_000),
            String(repeating: "%", count: 100),
            "id=" + String(repeating: "9", count: 60_000),
            "id=a&timestamp=" + String(repeating: "9", count: 5000) + "&lat=1&lon=2",
            "id=a&timestamp=1764318000&lat=1e9999&lon=2",
            "id=a&timestamp=1764318000&lat=0." + String(repeating: "0", count: 50_000) + "1&lon=2",
            "{\"device_id\":\"p\",\"location\":{\"timestamp\":1e308,\"coords\":{\"latitude\":1,\"longitude\":2}}}",
            "{\"device_id\":\"p\",\"location\":{\"timestamp\":-1,\"coords\":{\"latitude\":-0,\"longitude\":2}}}",
            "GET " + String(repeating: "/", count: 1000),
            "\u{00}\u{01}\u{02}",
        ]
        for (n, text) in cases.enumerated() { check(Array(text.utf8), "extreme \(n)") }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededRandom(seed: 0x05AE)
        let alphabet = Array("{}[]\",:0123456789.-eE+ tfnrula%&=?/#\\".utf8)
        for n in 0..<3000 {
            let count = Int(rng.next() % 200)
            let bytes = (0..<count).map { _ in
                rng.next() % 4 == 0
                    ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            check(bytes, "random \(n)")
        }
    }
}
