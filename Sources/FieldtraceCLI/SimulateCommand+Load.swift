import ArgumentParser
import FieldtraceLoad

#if canImport(Glibc)
    import Glibc
#endif

/// The options of `fieldtrace simulate --target URL` (the network load generator) and of
/// `--listen URL` (a minimal acking receiver to measure the generator alone).
struct LoadOptions: ParsableArguments {
    @Option(
        help: """
            Send to a server: udp://HOST[:PORT] or tcp://HOST[:PORT] (load generator mode). PORT may list one \
            port per protocol (tcp://127.0.0.1:5015,5023); without it each protocol uses its default port \
            (nmea 5005, jt808 5015, gt06 5023, teltonika 5027).
            """)
    var target: String?
    @Option(help: "Fixes per second per device (load mode; jt808 and gt06 at most 1).") var rate: Double?
    @Option(help: "Seconds the devices record, in real time (load and listen modes).") var duration: Double?
    @Option(
        name: .customLong("protocol"),
        help: "nmea, jt808, teltonika, gt06, or a comma-separated list (devices split round-robin).")
    var protocols: String?
    @Option(help: "Share of devices (0...1) that go offline once and deliver their backlog later.")
    var offlineShare: Double = 0
    @Option(help: "Write every acked fix as `device,time_ms` to this file.") var ledger: String?
    @Option(help: "Ack timeout, ms: a frame not acked in time is resent (TCP: after a reconnect).")
    var ackTimeoutMs: Int64 = 5000
    @Option(help: "UDP: resends of an unacked datagram before it is given up.") var maxResends: Int = 5
    @Option(help: "Seconds to keep delivering unacked fixes after the duration.") var drain: Double = 15
    @Option(help: "Fixes per frame (default: teltonika and jt808 25, nmea and gt06 1).") var recordsPerFrame: Int?
    @Option(help: "Teltonika: send a partly filled packet when its oldest record waited this long, ms.")
    var sendPeriodMs: Int64 = 5000
    @Option(help: "TCP connections per source address (loopback targets use 127.0.0.2, .3, ...).")
    var connectionsPerIp: Int = 1000
    @Option(help: "UDP sockets in all (each its own source port).") var udpSockets: Int = 4
    @Option(help: "Index of the first device (two generators against one server use disjoint ranges).")
    var firstDevice: Int = 0
    @Option(help: "Event loop threads (default: one per core).") var threads: Int?
    @Option(help: "Undelivered fixes buffered over all devices at most; beyond it new fixes are dropped.")
    var maxBufferedFixes: Int = 4_000_000
    @Option(help: "Print a progress line to standard error every this many seconds.") var progress: Double?
    @Option(
        help:
            "Run a minimal acking receiver instead (decode and ack at once, nothing stored): udp://HOST:PORT or tcp://HOST:PORT."
    )
    var listen: String?

    var isLoad: Bool { target != nil }
    var isListen: Bool { listen != nil }

    func parsedProtocols() throws -> [LoadProtocol] {
        guard let protocols else { throw ValidationError("--protocol is required") }
        return try protocols.split(separator: ",").map { name in
            guard let p = LoadProtocol(rawValue: name.trimmingWhitespace) else {
                throw ValidationError(
                    "unknown protocol '\(name)'; known: \(LoadProtocol.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return p
        }
    }

    func configuration(devices: Int?, seed: UInt64) throws -> LoadConfiguration {
        guard let target, let url = LoadTarget(target) else {
            throw ValidationError("--target must be udp://HOST[:PORT[,PORT...]] or tcp://HOST[:PORT[,PORT...]]")
        }
        guard let devices else { throw ValidationError("--devices is required with --target") }
        guard let rate else { throw ValidationError("--rate is required with --target") }
        guard let duration else { throw ValidationError("--duration is required with --target") }
        var c = LoadConfiguration(
            devices: devices, rateHz: rate, durationSeconds: duration, protocols: try parsedProtocols(), target: url)
        c.seed = seed
        c.offlineShare = offlineShare
        c.ledgerPath = ledger
        c.ackTimeoutMs = ackTimeoutMs
        c.udpMaxResends = maxResends
        c.drainSeconds = drain
        c.recordsPerFrame = recordsPerFrame
        c.sendPeriodMs = sendPeriodMs
        c.connectionsPerSourceAddress = connectionsPerIp
        c.udpSockets = udpSockets
        c.firstDevice = firstDevice
        c.eventLoops = threads
        c.maxBufferedFixes = maxBufferedFixes
        c.progressIntervalSeconds = progress
        let problems = c.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
        return c
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

extension SimulateCommand {
    /// `--target`: drives the devices, prints the report; exits 1 when the target is unreachable.
    func runLoad() async throws {
        let c = try load.configuration(devices: devices, seed: seed)
        if c.target.transport == .tcp { Self.raiseFileLimit() }
        let report: LoadReport
        var progress: (@Sendable (String) -> Void)?
        if c.progressIntervalSeconds != nil {
            progress = { @Sendable line in CLIOutput.standardError(line + "\n") }
        }
        do {
            report = try await LoadGenerator.run(c, progress: progress)
        } catch let error as LoadError {
            CLIOutput.standardError("fieldtrace simulate: \(error)\n")
            throw ExitCode(1)
        }
        CLIOutput.writeAll(fd: 1, Array((report.lines().joined(separator: "\n") + "\n").utf8))
    }

    /// `--listen`: serves for `--duration` seconds, then prints what it received.
    func runListen() async throws {
        guard let listen = load.listen, let url = LoadTarget(listen) else {
            throw ValidationError("--listen must be udp://HOST:PORT or tcp://HOST:PORT")
        }
        let protocols = try load.parsedProtocols()
        guard protocols.count == 1, let p = protocols.first, p.supports(url.transport) else {
            throw ValidationError("--listen serves one protocol that runs over \(url.transport)")
        }
        guard let duration = load.duration, duration > 0 else { throw ValidationError("--listen needs --duration") }
        if url.transport == .tcp { Self.raiseFileLimit() }
        guard url.ports.count <= 1 else { throw ValidationError("--listen takes one port") }
        let server = try await AckServer.start(
            p, transport: url.transport, host: url.host, port: url.port(for: p, position: 0))
        CLIOutput.standardError("listening on \(url) for \(p) (\(duration) s)\n")
        let start = LoadReportClock.seconds()
        var last = (frames: 0, fixes: 0)
        var lastTime = start
        while LoadReportClock.seconds() - start < duration {
            try await Task.sleep(nanoseconds: UInt64(min(load.progress ?? 1, duration) * 1e9))
            guard load.progress != nil else { continue }
            let now = LoadReportClock.seconds()
            let counts = server.counts
            let rate = Double(counts.fixes - last.fixes) / max(now - lastTime, 1e-9)
            CLIOutput.standardError(
                "listen frames=\(counts.frames) fixes=\(counts.fixes) connections=\(counts.connections) fixes_per_s=\(Int(rate))\n"
            )
            last = (counts.frames, counts.fixes)
            lastTime = now
        }
        await server.stop()
        let counts = server.counts
        let elapsed = LoadReportClock.seconds() - start
        CLIOutput.writeAll(
            fd: 1,
            Array(
                ("listen protocol=\(p) target=\(url) frames=\(counts.frames) fixes=\(counts.fixes) "
                    + "connections=\(counts.connections) elapsed_s=\(Int(elapsed)) "
                    + "fixes_per_s=\(Int(Double(counts.fixes) / max(elapsed, 1e-9)))\n").utf8))
    }

    /// Thousands of connections need thousands of descriptors: the soft limit goes to the hard one.
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// Monotonic seconds for the listen loop.
enum LoadReportClock {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
