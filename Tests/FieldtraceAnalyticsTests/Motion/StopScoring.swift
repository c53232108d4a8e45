import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// Scores detected stops against a scenario's truth: a detection matches a true stop when their
/// intervals overlap.
struct StopScore: CustomStringConvertible {
    var truthCount = 0
    var detectedCount = 0
    /// Detections that overlap a true stop.
    var truePositives = 0
    /// True stops overlapped by at least one detection.
    var found = 0
    /// True stops overlapped by more than one detection.
    var fragmented = 0
    /// Detections that overlap a traffic pause.
    var atPauses = 0
    /// Absolute start and end errors (s) of true stops matched by exactly one detection.
    var startErrors: [Double] = []
    var endErrors: [Double] = []

    var precision: Double { detectedCount == 0 ? 1 : Double(truePositives) / Double(detectedCount) }
    var recall: Double { truthCount == 0 ? 1 : Double(found) / Double(truthCount) }
    var medianStartError: Double { Self.median(startErrors) }
    var medianEndError: Double { Self.median(endErrors) }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    init() {}

    init(stops: [Stop], truth: ScenarioTruth) {
        func overlaps(_ a: (Int64, Int64), _ b: (Int64, Int64)) -> Bool { a.0 <= b.1 && b.0 <= a.1 }
        truthCount = truth.stops.count
        detectedCount = stops.count
        truePositives =
            stops.filter { s in truth.stops.contains { overlaps((s.startMs, s.endMs), ($0.startMs, $0.endMs)) } }
            .count
        atPauses =
            stops.filter { s in
                truth.trafficPauses.contains { overlaps((s.startMs, s.endMs), ($0.startMs, $0.endMs)) }
            }.count
        for t in truth.stops {
            let matches = stops.filter { overlaps(($0.startMs, $0.endMs), (t.startMs, t.endMs)) }
            if !matches.isEmpty { found += 1 }
            if matches.count > 1 { fragmented += 1 }
            if matches.count == 1 {
                startErrors.append(Double(abs(matches[0].startMs - t.startMs)) / 1000)
                endErrors.append(Double(abs(matches[0].endMs - t.endMs)) / 1000)
            }
        }
    }

    mutating func add(_ other: StopScore) {
        truthCount += other.truthCount
        detectedCount += other.detectedCount
        truePositives += other.truePositives
        found += other.found
        fragmented += other.fragmented
        atPauses += other.atPauses
        startErrors += other.startErrors
        endErrors += other.endErrors
    }

    var description: String {
        "truth=\(truthCount) detected=\(detectedCount) precision=\(precision) recall=\(recall) "
            + "fragmented=\(fragmented) atPauses=\(atPauses) medianStart=\(medianStartError)s "
            + "medianEnd=\(medianEndError)s maxStart=\(startErrors.max() ?? 0)s maxEnd=\(endErrors.max() ?? 0)s"
    }
}
