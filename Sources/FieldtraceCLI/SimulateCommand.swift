import ArgumentParser
import FieldtraceCore
import FieldtraceTestSupport

/// `fieldtrace simulate`: a seeded fleet of field workers, reproducible from its seed.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Print a seeded simulated fleet (stops at sites, street driving, GPS error) as jsonl or csv.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }

    @Option(help: "The seed: the same seed prints the same fleet.") var seed: UInt64 = 1
    @Option(help: "Number of workers.") var devices = 10
    @Option(help: "Hours per worker.") var hours = 24
    @Option(help: "Seconds between fixes (1 = 1 Hz, 10 = 0.1 Hz).") var interval = 1
    @Option(help: "Start time, ISO 8601.") var start = "2026-11-28T00:00:00Z"
    @Option(help: "jsonl or csv.") var format: Format = .jsonl

    func validate() throws {
        guard devices >= 1, devices <= 100_000 else { throw ValidationError("--devices must be 1...100000") }
        guard hours >= 1, hours <= 24 * 366 else { throw ValidationError("--hours must be 1...8784") }
        guard interval >= 1, interval <= 3600 else { throw ValidationError("--interval must be 1...3600 seconds") }
        guard ISO8601.parse(start.utf8) != nil else { throw ValidationError("--start '\(start)' is not ISO 8601") }
    }

    func run() throws {
        let startMs = ISO8601.parse(start.utf8)!
        var config = FleetSimulator.Configuration()
        config.intervalSeconds = interval
        var writer = BufferedWriter(fd: 1)
        if format == .csv { writer.buffer.append(contentsOf: (FixTextFormats.csvHeader + "\n").utf8) }
        for worker in 0..<devices {
            var sim = FleetSimulator(seed: seed &* 1_000_003 &+ UInt64(worker), configuration: config)
            // Workers start spread over a city, about 20 km across.
            let lat = 31.2304 + Double(worker % 17 - 8) * 0.01
            let lon = 121.4737 + Double(worker % 13 - 6) * 0.012
            let fixes = sim.track(
                device: DeviceID("worker-\(worker)")!, startMs: startMs, durationSeconds: hours * 3600, latitude: lat,
                longitude: lon)
            for fix in fixes {
                if format == .csv {
                    FixTextFormats.appendCSV(fix, to: &writer.buffer)
                } else {
                    fix.appendJSONLine(to: &writer.buffer)
                    writer.buffer.append(UInt8(ascii: "\n"))
                }
                writer.flushIfFull()
            }
        }
        writer.flush()
    }
}
