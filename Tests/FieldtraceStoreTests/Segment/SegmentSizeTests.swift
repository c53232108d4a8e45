import FieldtraceCore
import FieldtraceTestSupport
import Testing

@testable import FieldtraceStore

/// Bytes per fix on simulated fleets, cut into segments the way the store cuts them. The bars
/// of the storage issue (at most 3 bytes per fix at 1 Hz, 4 at 0.1 Hz, lossless) are asserted.
@Suite struct SegmentSizeTests {
    /// Workers as `fieldtrace simulate --seed 1` makes them (the fleet `scripts/bench-peers`
    /// measures), the first `workers` of them, a day each.
    static func fleet(intervalSeconds: Int, workers: Int) -> [[Fix]] {
        var config = FleetSimulator.Configuration()
        config.intervalSeconds = intervalSeconds
        return (0..<workers).map { worker in
            var sim = FleetSimulator(seed: 1 &* 1_000_003 &+ UInt64(worker), configuration: config)
            return sim.track(
                device: DeviceID("worker-\(worker)")!, startMs: 1_795_824_000_000, durationSeconds: 86_400,
                latitude: 31.2304 + Double(worker % 17 - 8) * 0.01,
                longitude: 121.4737 + Double(worker % 13 - 6) * 0.012)
        }
    }

    /// The store's cut (`StoreOptions`): at most `segmentMaxFixes` and under `segmentMaxSpanMs`.
    static func segments(_ fixes: [Fix], options: StoreOptions = StoreOptions()) -> [[Fix]] {
        var out: [[Fix]] = []
        var start = 0
        while start < fixes.count {
            var end = start + 1
            while end < fixes.count, end - start < options.segmentMaxFixes,
                fixes[end].timeMs - fixes[start].timeMs < options.segmentMaxSpanMs
            {
                end += 1
            }
            out.append(Array(fixes[start..<end]))
            start = end
        }
        return out
    }

    @Test(arguments: [1, 10])
    func bytesPerFixOnSimulatedFleet(intervalSeconds: Int) throws {
        var total = 0
        var count = 0
        var headers = 0
        var segmentCount = 0
        var columns: [String: Int] = [:]
        var decoder = SegmentDecoder()
        for track in Self.fleet(intervalSeconds: intervalSeconds, workers: intervalSeconds == 1 ? 4 : 20) {
            for segment in Self.segments(track) {
                let (bytes, header) = SegmentEncoder.encodeSegment(segment)
                total += bytes.count
                headers += header.encodedBytes
                segmentCount += 1
                #expect(try decoder.decode(bytes) == segment.map { $0.canonicalized() })
                if header.version == SegmentHeader.modelledVersion {
                    var last = 0
                    _ = ModelledBody.encode(segment.map { $0.canonicalized() }) { slot, written in
                        columns[slot.map { "\($0)" } ?? "presence+units", default: 0] += written - last
                        last = written
                    }
                }
            }
            count += track.count
        }
        let perFix = Double(total) / Double(count)
        let breakdown = columns.sorted { $0.value > $1.value }.map {
            "\($0.key) \((Double($0.value) / Double(count) * 1000).rounded() / 1000)"
        }
        print(
            "segment bytes per fix at \(intervalSeconds) s: \(perFix) over \(segmentCount) segments; headers "
                + "\(Double(headers) / Double(count)); modelled columns: \(breakdown.joined(separator: ", "))")
        #expect(perFix <= (intervalSeconds == 1 ? 3.0 : 4.0))
    }
}
