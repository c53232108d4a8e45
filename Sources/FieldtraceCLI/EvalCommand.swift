import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

/// `fieldtrace eval`: every simulated scenario through the analytics, scored against its ground
/// truth, one table row per scenario and seed. `scripts/eval` runs it; the tests assert the bars.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the analytics against simulated ground truth (Kalman error, stops, visits, deviations).",
        discussion: """
            Columns: fixes; raw RMS error (m, outliers excluded); online Kalman and RTS RMS as a
            share of raw; stops: precision, recall, detections per true stop, median start and end
            error (s), detections at traffic-light pauses; fences: transitions matched/true,
            spurious, median crossing-time error (s), worst exit confirmation beyond dwell +
            one interval (s); deviations: found/true, false, worst start error (s).
            """)

    @Option(help: "Seeds 1...N per scenario.") var seeds: UInt64 = 3
    @Option(parsing: .upToNextOption, help: "Scenarios (default: all).") var scenario: [String] = []

    func validate() throws {
        guard seeds >= 1, seeds <= 1000 else { throw ValidationError("--seeds must be 1...1000") }
        for name in scenario where !ScenarioCatalog.names.contains(name) {
            throw ValidationError("unknown scenario \(name); known: \(ScenarioCatalog.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let names = scenario.isEmpty ? ScenarioCatalog.names : scenario
        print(Self.header)
        for name in names {
            for seed in 1...seeds { print(Self.row(try ScenarioEvaluation(scenario: name, seed: seed))) }
        }
    }

    static let header =
        "scenario         seed  fixes  raw_m online rts  | stop_p stop_r frag start_s end_s pauses | fence_ok spur cross_s exit_late_s | dev_ok false start_s"

    static func row(_ e: ScenarioEvaluation) -> String {
        func f(_ x: Double, _ digits: Int = 2) -> String {
            guard x.isFinite else { return "-" }
            var p = 1.0
            for _ in 0..<digits { p *= 10 }
            let r = (x * p).rounded() / p
            return String(r)
        }
        func s(_ ms: Int64?) -> String { ms.map { f(Double($0) / 1000, 1) } ?? "-" }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        let st = e.stops
        let v = e.visits
        let d = e.deviations
        let cols: [(String, Int)] = [
            (e.scenario, 17), (String(e.seed), 5), (String(e.fixes), 7), (f(e.rawRMSM, 1), 6), (f(e.onlineRatio), 6),
            (f(e.rtsRatio), 5), ("|", 2),
            (st.trueStops == 0 ? "-" : f(st.precision), 7), (st.trueStops == 0 ? "-" : f(st.recall), 7),
            (st.trueStops == 0 ? "-" : f(st.fragmentation), 5), (s(st.medianStartErrorMs), 8),
            (s(st.medianEndErrorMs), 6), (String(st.pauseOverlaps), 7), ("|", 2),
            ("\(v.matched)/\(v.trueCrossings)", 9), (String(v.spurious), 5), (s(v.medianCrossingErrorMs), 8),
            (s(e.exitDelayBeyondDwellMs), 12), ("|", 2),
            ("\(d.found)/\(d.trueDeviations)", 7), (String(d.falseDeviations), 6), (s(d.maxAbsStartErrorMs), 7),
        ]
        return cols.map { pad($0.0, $0.1) }.joined()
    }
}
