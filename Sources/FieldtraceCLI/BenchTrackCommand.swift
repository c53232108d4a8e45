import ArgumentParser
import FieldtraceCore
import FieldtraceQuery
import FieldtraceStore
import Foundation
import Synchronization

/// `fieldtrace bench-track`: a track request's work without HTTP (replay and GeoJSON writing,
/// in 256 KiB chunks like the route), repeated, optionally by several threads at once; prints
/// the time per request (p50, p99, max) and the bytes. `--path fixes` takes the general path
/// (`TrackReader.fixes` then `TrackRenderer`), `columns` the GeoJSON columns path the route
/// takes. Also a driver for `valgrind --tool=callgrind` (instruction counts do not depend on the
/// machine's load).
struct BenchTrackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-track",
        abstract: "Time GeoJSON track requests in-process (replay + render, no HTTP).",
        shouldDisplay: false)

    enum Path: String, ExpressibleByArgument, CaseIterable {
        case columns, fixes
    }

    @Option(help: "The data directory.") var data: String
    @Option(help: "The device id.") var device: String
    @Option(help: "Start, ISO 8601 (inclusive).") var from: String
    @Option(help: "End, ISO 8601 (exclusive).") var to: String
    @Option(help: "columns (the route's GeoJSON path) or fixes (replay to fixes, then TrackRenderer).")
    var path = Path.columns
    @Option(help: "Requests per thread.") var iterations = 20
    @Option(help: "Threads running requests at once.") var concurrency = 1

    func validate() throws {
        guard DeviceID(device) != nil else { throw ValidationError("--device '\(device)' is not a device id") }
        guard ISO8601.parse(from.utf8) != nil, ISO8601.parse(to.utf8) != nil else {
            throw ValidationError("--from and --to must be ISO 8601")
        }
        guard iterations > 0, concurrency > 0 else {
            throw ValidationError("--iterations and --concurrency must be positive")
        }
    }

    func run() throws {
        let store = try openExisting(data)
        defer { try? store.close() }
        let reader = TrackReader(store: store)
        let request = TrackRequest(
            device: DeviceID(device)!, range: ISO8601.parse(from.utf8)!..<ISO8601.parse(to.utf8)!, format: .geojson)
        let chunk = 262_144
        let path = self.path
        // One request: the bytes it wrote.
        @Sendable func once() throws -> Int {
            var buffer = [UInt8](repeating: 0, count: chunk)
            var total = 0
            if path == .columns, let found = try reader.geoJSONWriter(for: request) {
                var writer = found
                while !writer.isFinished { total += buffer.withUnsafeMutableBytes { writer.write(into: $0) } }
                return total
            }
            var renderer = TrackRenderer(
                format: .geojson, device: request.device, fixes: try reader.fixes(for: request), range: request.range)
            renderer.write(chunkBytes: chunk) { total += $0.count }
            return total
        }
        let bytes = try once()  // warm the page cache
        let times = Mutex<[Double]>([])
        let failure = Mutex<(any Error)?>(nil)
        let started = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: concurrency) { _ in
            for _ in 0..<iterations {
                let t0 = DispatchTime.now().uptimeNanoseconds
                do {
                    _ = try once()
                } catch {
                    failure.withLock { $0 = error }
                    return
                }
                let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
                times.withLock { $0.append(ms) }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let sorted = times.withLock { $0 }.sorted()
        func q(_ p: Double) -> String {
            String(format: "%.2f", sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))])
        }
        print(
            "bench-track path=\(path.rawValue) concurrency=\(concurrency) requests=\(sorted.count) bytes=\(bytes) "
                + "ms_p50=\(q(0.5)) ms_p99=\(q(0.99)) ms_max=\(String(format: "%.2f", sorted.last!)) "
                + "requests_per_s=\(String(format: "%.1f", Double(sorted.count) / wall))")
    }
}
