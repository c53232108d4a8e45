import ArgumentParser
import FieldtraceCore
import FieldtraceTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `fieldtrace simulate`: a seeded fleet of field workers, reproducible from its seed; or, with
/// `--scenario NAME --out DIR`, one scenario day with its ground truth written to files.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Print a seeded simulated fleet (stops at sites, street driving, GPS error) as jsonl or csv.",
        discussion: """
            With --scenario NAME --out DIR, writes one scenario day and its ground truth instead: \
            fixes.csv, fixes.jsonl, fences.geojson, routes.geojson, truth.json and positions.csv \
            (the true position at each fix). --list-scenarios prints the names.

            With --target udp://HOST:PORT|tcp://HOST:PORT, drives --devices simulated trackers in real \
            time against a server (--rate HZ, --duration S, --protocol P[,P...]), waits for acks, resends \
            what was not acked, and prints sent, acked, rejected, resent and ack latency p50/p99; \
            --ledger FILE lists every acked fix. Exits 1 when the target is unreachable at start.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv }

    @Option(help: "The seed: the same seed prints the same fleet (or scenario).") var seed: UInt64 = 1
    @Option(help: "Number of workers (default 10).") var devices: Int?
    @Option(help: "Hours per worker (default 24).") var hours: Int?
    @Option(help: "Seconds between fixes (1 = 1 Hz, 10 = 0.1 Hz; default 1).") var interval: Int?
    @Option(help: "Start time, ISO 8601 (default 2026-11-28T00:00:00Z).") var start: String?
    @Option(help: "jsonl or csv (default jsonl).") var format: Format?
    @Option(help: "A scenario with ground truth (see --list-scenarios); needs --out.") var scenario: String?
    @Option(help: "Directory the scenario's files are written to (created if missing).") var out: String?
    @Flag(help: "Print the scenario names and exit.") var listScenarios = false
    @OptionGroup(title: "Load generator (--target) and receiver (--listen)") var load: LoadOptions

    var fleetOptionsGiven: Bool {
        devices != nil || hours != nil || interval != nil || start != nil || format != nil
    }

    func validate() throws {
        if listScenarios { return }
        if load.isLoad || load.isListen {
            guard !(load.isLoad && load.isListen) else {
                throw ValidationError("--target and --listen exclude each other")
            }
            guard hours == nil, interval == nil, start == nil, format == nil, scenario == nil, out == nil else {
                throw ValidationError(
                    "--target/--listen cannot be combined with --hours, --interval, --start, --format, --scenario or --out"
                )
            }
            if load.isLoad { _ = try load.configuration(devices: devices, seed: seed) }
            return
        }
        guard load.rate == nil, load.duration == nil, load.protocols == nil, load.ledger == nil else {
            throw ValidationError("--rate, --duration, --protocol and --ledger need --target (or --listen)")
        }
        if let scenario {
            guard !fleetOptionsGiven else {
                throw ValidationError(
                    "--scenario cannot be combined with --devices, --hours, --interval, --start or --format")
            }
            guard ScenarioCatalog.names.contains(scenario) else {
                throw ValidationError(
                    "unknown scenario '\(scenario)'; known: \(ScenarioCatalog.names.joined(separator: ", "))")
            }
            guard let out, !out.isEmpty else { throw ValidationError("--scenario needs --out DIR") }
            return
        }
        guard out == nil else { throw ValidationError("--out is only for --scenario") }
        guard (1...100_000).contains(devices ?? 10) else { throw ValidationError("--devices must be 1...100000") }
        guard (1...(24 * 366)).contains(hours ?? 24) else { throw ValidationError("--hours must be 1...8784") }
        guard (1...3600).contains(interval ?? 1) else { throw ValidationError("--interval must be 1...3600 seconds") }
        guard ISO8601.parse((start ?? Self.defaultStart).utf8) != nil else {
            throw ValidationError("--start '\(start ?? "")' is not ISO 8601")
        }
    }

    static let defaultStart = "2026-11-28T00:00:00Z"

    func run() async throws {
        if load.isLoad {
            try await runLoad()
        } else if load.isListen {
            try await runListen()
        } else if listScenarios {
            CLIOutput.writeAll(fd: 1, Array((ScenarioCatalog.names.joined(separator: "\n") + "\n").utf8))
        } else if let scenario, let out {
            try writeScenario(ScenarioCatalog.make(scenario, seed: seed)!, to: out)
        } else {
            runFleet()
        }
    }

    func runFleet() {
        let startMs = ISO8601.parse((start ?? Self.defaultStart).utf8)!
        let format = format ?? .jsonl
        var config = FleetSimulator.Configuration()
        config.intervalSeconds = interval ?? 1
        var writer = BufferedWriter(fd: 1)
        if format == .csv { writer.buffer.append(contentsOf: (FixTextFormats.csvHeader + "\n").utf8) }
        for worker in 0..<(devices ?? 10) {
            var sim = FleetSimulator(seed: seed &* 1_000_003 &+ UInt64(worker), configuration: config)
            // Workers start spread over a city, about 20 km across.
            let lat = 31.2304 + Double(worker % 17 - 8) * 0.01
            let lon = 121.4737 + Double(worker % 13 - 6) * 0.012
            let fixes = sim.track(
                device: DeviceID("worker-\(worker)")!, startMs: startMs, durationSeconds: (hours ?? 24) * 3600,
                latitude: lat, longitude: lon)
            for fix in fixes {
                FixTextFormats.appendLine(fix, csv: format == .csv, to: &writer.buffer)
                writer.flushIfFull()
            }
        }
        writer.flush()
    }

    // MARK: Scenario files

    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }

    func writeScenario(_ s: Scenario, to directory: String) throws {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw WriteError(path: directory, reason: String(cString: strerror(errno)))
        }
        var csv = Array((FixTextFormats.csvHeader + "\n").utf8)
        var jsonl: [UInt8] = []
        for fix in s.fixes {
            FixTextFormats.appendCSV(fix, to: &csv)
            fix.appendJSONLine(to: &jsonl)
            jsonl.append(UInt8(ascii: "\n"))
        }
        var positions = Array("time,lat,lon\n".utf8)
        for p in s.truth.positions {
            ISO8601.append(ms: p.timeMs, to: &positions)
            positions.append(UInt8(ascii: ","))
            JSONText.appendNumber(p.latitude, to: &positions)
            positions.append(UInt8(ascii: ","))
            JSONText.appendNumber(p.longitude, to: &positions)
            positions.append(UInt8(ascii: "\n"))
        }
        let files: [(String, [UInt8], String)] = [
            ("fixes.csv", csv, "\(s.fixes.count) fixes"),
            ("fixes.jsonl", jsonl, "\(s.fixes.count) fixes"),
            ("fences.geojson", Array(s.fencesGeoJSON.utf8), "fences"),
            ("routes.geojson", Array(s.routesGeoJSON.utf8), "routes"),
            (
                "truth.json", Self.truthJSON(s),
                "\(s.truth.stops.count) stops, \(s.truth.trafficPauses.count) traffic pauses, "
                    + "\(s.truth.visits.count) visits, \(s.truth.deviations.count) deviations, "
                    + "\(s.truth.gaps.count) gaps, \(s.truth.outlierIndices.count) outliers"
            ),
            ("positions.csv", positions, "true position at each fix"),
        ]
        var report = "scenario \(s.name) seed \(s.seed) device \(s.device)\n"
        for (name, bytes, what) in files {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            CLIOutput.writeAll(fd: fd, bytes)
            guard close(fd) == 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
            report += "wrote \(path) (\(what))\n"
        }
        CLIOutput.writeAll(fd: 1, Array(report.utf8))
    }

    /// The truth as one JSON object: times ISO 8601, positions in degrees, outliers as indices
    /// into the fixes (0-based, the order of fixes.csv).
    static func truthJSON(_ s: Scenario) -> [UInt8] {
        var out: [UInt8] = []
        func string(_ key: String, _ value: String) {
            out.append(contentsOf: "\"\(key)\":\"".utf8)
            JSONText.appendEscaped(value, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        func time(_ key: String, _ ms: Int64?) {
            out.append(contentsOf: "\"\(key)\":".utf8)
            guard let ms else { return out.append(contentsOf: "null".utf8) }
            out.append(UInt8(ascii: "\""))
            ISO8601.append(ms: ms, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        func intervals(_ key: String, _ list: [TruthInterval]) {
            out.append(contentsOf: ",\n\"\(key)\":[".utf8)
            for (i, t) in list.enumerated() {
                out.append(contentsOf: (i == 0 ? "\n{" : ",\n{").utf8)
                time("start", t.startMs)
                out.append(UInt8(ascii: ","))
                time("end", t.endMs)
                JSONText.appendNumber(key: "duration_s", Double(t.endMs - t.startMs) / 1000, to: &out)
                JSONText.appendNumber(key: "lat", t.latitude, to: &out)
                JSONText.appendNumber(key: "lon", t.longitude, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "{"))
        string("scenario", s.name)
        out.append(contentsOf: ",\"seed\":\(s.seed),".utf8)
        string("device", s.device.rawValue)
        out.append(contentsOf: ",\"fixes\":\(s.fixes.count)".utf8)
        intervals("stops", s.truth.stops)
        intervals("traffic_pauses", s.truth.trafficPauses)
        out.append(contentsOf: ",\n\"visits\":[".utf8)
        for (i, v) in s.truth.visits.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n{" : ",\n{").utf8)
            string("fence", v.fenceID)
            out.append(UInt8(ascii: ","))
            time("enter", v.enterMs)
            out.append(UInt8(ascii: ","))
            time("exit", v.exitMs)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "],\n\"deviations\":[".utf8)
        for (i, d) in s.truth.deviations.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n{" : ",\n{").utf8)
            string("route", d.routeID)
            out.append(UInt8(ascii: ","))
            time("start", d.startMs)
            out.append(UInt8(ascii: ","))
            time("end", d.endMs)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        intervals("gaps", s.truth.gaps)
        out.append(contentsOf: ",\n\"outlier_indices\":[".utf8)
        out.append(contentsOf: s.truth.outlierIndices.map(String.init).joined(separator: ",").utf8)
        out.append(contentsOf: "]}\n".utf8)
        return out
    }
}
