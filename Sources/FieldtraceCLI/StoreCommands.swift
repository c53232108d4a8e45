import ArgumentParser
import FieldtraceCore
import FieldtraceStore
import FieldtraceWire

/// What `import` reads: a wire protocol, or the text forms of `decode`/`export`.
enum ImportFormat: String, ExpressibleByArgument, CaseIterable {
    case nmea, jt808, teltonika, gt06, osmand, jsonl, csv
    case teltonikaUDP = "teltonika-udp"

    var wireProtocol: WireProtocol? { WireProtocol(rawValue: rawValue) }
}

/// `fieldtrace import`: decodes a file and stores its fixes through the WAL into segments.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Decode a file and store its fixes in a data directory (no server needed).")

    @Option(help: "The data directory.") var data: String
    @Option(
        name: .customLong("protocol"), help: "A wire protocol, or jsonl / csv (the shapes decode and export write).")
    var format: ImportFormat
    @Option(help: "raw or hex (wire protocols only).") var input: CaptureInput = .raw
    @Option(
        help:
            "The device of fixes that carry none (NMEA without $PGID, CSV without a device column); overrides jsonl/csv devices."
    )
    var device: String?
    @Option(help: "Fixes per WAL batch.") var batch = 10_000
    @Argument(help: "The file, or - for standard input.") var file: String = "-"

    func validate() throws {
        if let device, DeviceID(device) == nil {
            throw ValidationError("--device '\(device)' is not a valid device id")
        }
        guard batch >= 1, batch <= 1_000_000 else { throw ValidationError("--batch must be 1...1000000") }
    }

    func run() throws {
        var bytes: [UInt8]
        do {
            bytes = try CLIOutput.readAll(file)
        } catch {
            CLIOutput.standardError("fieldtrace import: \(error)\n")
            throw ExitCode(2)
        }
        let override = device.flatMap(DeviceID.init)
        var fixes: [Fix] = []
        var summary = ""
        switch format {
        case .jsonl, .csv:
            do {
                fixes =
                    format == .jsonl
                    ? try FixTextFormats.parseJSONLines(bytes, device: override)
                    : try FixTextFormats.parseCSV(bytes, device: override)
            } catch {
                CLIOutput.standardError("fieldtrace import: \(file): \(error)\n")
                throw ExitCode(1)
            }
            summary = "lines=\(fixes.count)"
        default:
            let wire = format.wireProtocol!
            if wire == .nmea, let override, input == .raw {
                // Name the stream's device the way a tracker would, before its sentences.
                let body = "PGID,\(override.rawValue)"
                let check = Checksums.xor(Array(body.utf8))
                let hex = Array("0123456789ABCDEF".utf8)
                bytes = Array("$\(body)*".utf8) + [hex[Int(check >> 4)], hex[Int(check & 15)], 13, 10] + bytes
            }
            let capture = CaptureDecoding(protocol: wire, input: input)
            let counters = capture.decode(bytes, receivedMs: DecodeCommand.clockMs()) { output in
                fixes += output.fixes
            }
            summary = counters.summary
        }
        let store = try TrackStore(directory: data)
        for start in stride(from: 0, to: fixes.count, by: batch) {
            try store.append(Array(fixes[start..<min(fixes.count, start + batch)]))
        }
        try store.flush()
        let stats = try store.stats()
        try store.close()
        CLIOutput.standardError(
            "\(summary)\nimported \(fixes.count) fixes; store: \(stats.devices) devices, \(stats.fixes) fixes, "
                + "\(stats.segments) segments\n")
    }
}

/// `fieldtrace export`: a device's track from a data directory.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a device's stored fixes as jsonl, csv, geojson or gpx.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, csv, geojson, gpx }

    @Option(help: "The data directory.") var data: String
    @Option(help: "The device id.") var device: String
    @Option(help: "Start time, ISO 8601 (inclusive).") var from: String?
    @Option(help: "End time, ISO 8601 (inclusive).") var to: String?
    @Option(help: "jsonl, csv, geojson or gpx.") var format: Format = .jsonl

    func validate() throws {
        guard DeviceID(device) != nil else { throw ValidationError("--device '\(device)' is not a valid device id") }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let value, ISO8601.parse(value.utf8) == nil {
                throw ValidationError("\(name) '\(value)' is not ISO 8601")
            }
        }
    }

    func run() throws {
        let id = DeviceID(device)!
        let store = try openExisting(data)
        defer { try? store.close() }
        let fixes = try store.replay(
            device: id, from: from.flatMap { ISO8601.parse($0.utf8) } ?? .min,
            to: to.flatMap { ISO8601.parse($0.utf8) } ?? .max)
        var out: [UInt8] = []
        switch format {
        case .jsonl:
            for fix in fixes { FixTextFormats.appendLine(fix, csv: false, to: &out) }
        case .csv:
            out = Array((FixTextFormats.csvHeader + "\n").utf8)
            for fix in fixes { FixTextFormats.appendLine(fix, csv: true, to: &out) }
        case .geojson: out = FixTextFormats.geoJSON(fixes, device: id)
        case .gpx: out = FixTextFormats.gpx(fixes, device: id)
        }
        CLIOutput.writeAll(fd: 1, out)
    }
}

/// Opens a data directory that must exist already (export, verify and stats never create one).
func openExisting(_ path: String) throws -> TrackStore {
    guard PosixFileSystem().exists(path + "/catalog.sqlite") else {
        CLIOutput.standardError("fieldtrace: \(path) is not a Fieldtrace data directory\n")
        throw ExitCode(2)
    }
    return try TrackStore(directory: path)
}

/// `fieldtrace verify`: every CRC, the catalog against the files.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every segment and WAL record; exit 1 on any damage.")

    @Option(help: "The data directory.") var data: String

    func run() throws {
        let store = try openExisting(data)
        let report = try store.verify()
        try store.close()
        for problem in report.problems { CLIOutput.standardError("damage: \(problem)\n") }
        print(
            "segments=\(report.segmentsChecked) fixes=\(report.fixesChecked) wal_records=\(report.walRecordsChecked) "
                + "problems=\(report.problems.count)")
        if !report.isClean { throw ExitCode(1) }
    }
}

/// `fieldtrace stats`: devices, fixes, segments, bytes per fix.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Sizes and counts of a data directory.")

    @Option(help: "The data directory.") var data: String

    func run() throws {
        let store = try openExisting(data)
        let s = try store.stats()
        try store.close()
        let perFix = String(format2: s.bytesPerFix)
        print(
            "devices=\(s.devices) fixes=\(s.fixes) segments=\(s.segments) level1_segments=\(s.levelOneSegments) "
                + "segment_bytes=\(s.segmentBytes) bytes_per_fix=\(perFix) pack_files=\(s.packFiles) "
                + "pack_bytes=\(s.packBytes) wal_bytes=\(s.walBytes) buffered=\(s.bufferedFixes)")
    }
}

extension String {
    /// Two decimals, without Foundation's formatter.
    init(format2 value: Double) {
        let scaled = Int64((value * 100).rounded())
        let frac = abs(scaled % 100)
        self = "\(scaled / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
