import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore

/// `fieldtrace smooth`: the sanity filter, then the online Kalman filter or the RTS smoother, each
/// device separately; prints every fix with its estimated position, in the input's format and order.
struct SmoothCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smooth",
        abstract: "Clean tracks: sanity filter, then Kalman (online, as the engine runs) or RTS (whole track).",
        discussion: """
            Every input fix is printed once with its estimated position (other fields unchanged).
            Fixes the sanity filter or the Kalman gate rejected are printed at the estimate for
            their time, or left out with --drop-outliers. Input: CSV with a header naming at least
            device,time,lat,lon (optional speed_mps,course_deg,hdop,accuracy_m,...), or decode's
            JSON lines.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable { case kalman, rts }

    @Option(help: "kalman (forward only) or rts (forward and backward).") var mode: Mode = .rts
    @Flag(help: "Leave out the fixes judged outliers.") var dropOutliers = false
    @Flag(help: "Ignore the reported speed and course (position-only filter).") var positionOnly = false
    @Argument(help: "The track file, or - for standard input.") var file: String

    func run() throws {
        let input = try TrackInput(path: file, command: "smooth")
        var output = input.fixes
        var configuration = KalmanTracker.Configuration()
        configuration.useReportedVelocity = !positionOnly
        var smoother = RTSSmoother(configuration: configuration)
        var estimates: [KalmanEstimate] = []
        for (_, indices) in input.indicesByDevice {
            let cleaned = SanityFilter.filter(indices.map { input.fixes[$0] }).map(\.fix)
            if mode == .rts {
                smoother.smooth(cleaned, into: &estimates)
            } else {
                estimates = KalmanTracker.filter(cleaned, configuration: configuration)
            }
            for (k, i) in indices.enumerated() { output[i] = estimates[k].applied(to: cleaned[k]) }
        }
        var writer = BufferedWriter(fd: 1)
        input.write(output.lazy.filter { !dropOutliers || !$0.flags.contains(.outlier) }, to: &writer)
        writer.flush()
    }
}
