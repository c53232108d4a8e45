import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore

/// `fieldtrace simplify`: Douglas-Peucker or time-aware (TD-TR) simplification of a track file,
/// each device separately, printed in the input's format (CSV or JSON lines) in file order.
struct SimplifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simplify",
        abstract: "Simplify tracks with a guaranteed maximum error (Douglas-Peucker or time-aware TD-TR).",
        discussion: """
            dp keeps every dropped fix within the tolerance of the kept polyline (distance to the
            segment); tdtr keeps it within the tolerance of where the kept track puts the worker at
            that fix's time (synchronized Euclidean distance), so stops and speed changes survive.
            Input: CSV with a header naming at least device,time,lat,lon, or decode's JSON lines.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable { case dp, tdtr }

    @Option(name: .customLong("tolerance-m"), help: "Maximum error in metres (0 ... 100000).")
    var toleranceM: Double
    @Option(help: "dp (shape) or tdtr (shape and timing).") var mode: Mode = .tdtr
    @Argument(help: "The track file, or - for standard input.") var file: String

    func validate() throws {
        guard toleranceM.isFinite, toleranceM >= 0, toleranceM <= 100_000 else {
            throw ValidationError("--tolerance-m must be 0 ... 100000 metres")
        }
    }

    func run() throws {
        let input = try TrackInput(path: file, command: "simplify")
        var keep = [Bool](repeating: false, count: input.fixes.count)
        var simplifier = Simplifier()
        var kept: [Int] = []
        for (_, indices) in input.indicesByDevice {
            simplifier.load(indices.map { input.fixes[$0] })
            if mode == .dp {
                simplifier.douglasPeucker(toleranceMeters: toleranceM, into: &kept)
            } else {
                simplifier.timeAware(toleranceMeters: toleranceM, into: &kept)
            }
            for k in kept { keep[indices[k]] = true }
        }
        var writer = BufferedWriter(fd: 1)
        input.write(input.fixes.indices.lazy.filter { keep[$0] }.map { input.fixes[$0] }, to: &writer)
        writer.flush()
    }
}
