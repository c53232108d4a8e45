import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `fieldtrace kernels`: times the analytics kernels in-process on a track file, the same work
/// `scripts/peers/*.py` time in shapely, simplification, filterpy and movingpandas, and prints
/// the peers' line format so `scripts/bench-peers` can print ratios. Parsing is not timed (the
/// peers do not time theirs either); each task is the best of `--repeat` runs. Release builds only.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Time the analytics kernels on a track file (for scripts/bench-peers).",
        shouldDisplay: false)

    @Option(name: .customLong("repeat"), help: "Runs per task; the best is printed.") var runs = 5
    @Option(parsing: .upToNextOption, help: "Simplification tolerances, metres.") var toleranceM: [Double] = [5, 20]
    @Option(help: "Fence counts of the synthetic fence set (comma-separated), as scripts/peers/fences.py.")
    var fenceCounts = "10000,20000"
    @Option(help: "Lookup points for the fence task (seed 2, as the peer).") var points = 100_000
    @Argument(help: "The track file (CSV or JSON lines).") var file: String

    func run() throws {
        let input = try TrackInput(path: file, command: "kernels")
        let tracks = input.indicesByDevice.map { $0.indices.map { input.fixes[$0] } }
        let n = tracks.reduce(0) { $0 + $1.count }

        var simplifier = Simplifier()
        var kept: [Int] = []
        for tolerance in toleranceM {
            for timeAware in [false, true] {
                var keptCount = 0
                let seconds = best {
                    keptCount = 0
                    for track in tracks {
                        simplifier.load(track)
                        if timeAware {
                            simplifier.timeAware(toleranceMeters: tolerance, into: &kept)
                        } else {
                            simplifier.douglasPeucker(toleranceMeters: tolerance, into: &kept)
                        }
                        keptCount += kept.count
                    }
                }
                report("simplify-\(timeAware ? "tdtr" : "dp")-\(Int(tolerance))m", n, seconds, "kept=\(keptCount)")
            }
        }

        // Sanity filter included: filterpy's peer runs every fix through its gate.
        var smoother = RTSSmoother()
        var estimates: [KalmanEstimate] = []
        let online = best {
            for track in tracks { estimates = KalmanTracker.filter(SanityFilter.filter(track).map(\.fix)) }
        }
        report("kalman-online", n, online, "")
        let rts = best {
            for track in tracks { smoother.smooth(SanityFilter.filter(track).map(\.fix), into: &estimates) }
        }
        report("kalman-rts", n, rts, "")

        var stopCount = 0
        let stops = best {
            stopCount = 0
            var events: [AnalyticsEvent] = []
            for track in tracks {
                guard let device = track.first?.device else { continue }
                var detector = StopDetector(device: device)
                for fix in track { detector.process(fix, into: &events) }
                detector.finish(into: &events)
                stopCount += detector.stops.count
            }
        }
        report("stops", n, stops, "stops=\(stopCount)")

        let lookups = SyntheticFences.points(count: points, seed: 2)
        for count in fenceCounts.split(separator: ",").compactMap({ Int($0) }) {
            let fences = try Geofence.readCollection(Array(SyntheticFences.geoJSON(count: count, seed: 1).utf8))
            let index = GeofenceIndex(fences: fences)
            var hits = 0
            let t = best {
                hits = 0
                for p in lookups { hits += index.countContaining(latitudeE7: p.latitudeE7, longitudeE7: p.longitudeE7) }
            }
            report("fences-\(count)", lookups.count, t, "hits=\(hits)")
        }
    }

    /// The best wall time of `repeat` runs, seconds.
    func best(_ body: () -> Void) -> Double {
        var bestSeconds = Double.infinity
        for _ in 0..<max(1, runs) {
            var start = timespec()
            var end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &start)
            body()
            clock_gettime(CLOCK_MONOTONIC, &end)
            let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
            bestSeconds = min(bestSeconds, seconds)
        }
        return bestSeconds
    }

    func report(_ task: String, _ n: Int, _ seconds: Double, _ quality: String) {
        let rate = seconds > 0 ? Int((Double(n) / seconds).rounded()) : 0
        print("peer=fieldtrace task=\(task) n=\(n) seconds=\(seconds) rate=\(rate) quality=\(quality)")
    }
}
