import ArgumentParser
import Dispatch
import FieldtraceAPI
import FieldtraceCore
import FieldtraceIngest
import FieldtraceStore
import FieldtraceTestSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `fieldtrace demo`: the living demo of `scripts/run` (issue 7 item 7).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A demo tenant and a simulated fleet of field workers in Lyon.",
        discussion: """
            `demo setup` writes the demo world into a data directory; `demo fleet` drives its workers \
            over the wire against a running `fieldtrace serve`. See scripts/run.
            """,
        subcommands: [DemoSetupCommand.self, DemoFleetCommand.self])
}

/// `fieldtrace demo setup --data DIR [--tenant demo] [--seed 1]`.
struct DemoSetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Write the demo tenant's groups, devices, sites, depots, routes and jobs (idempotent).",
        discussion: """
            Writes into the directory tables of DIR/catalog.sqlite, for the tenant: 3 groups (repair crew and \
            sales 08:00-17:00, home-care nurses 07:00-15:00, Monday to Friday, Europe/Paris), 50 devices (one per \
            worker, in their group; Teltonika, JT/T 808, GT06 and NMEA ids), 30 customer sites and 2 depots as \
            geofences, 3 planned routes assigned to 3 workers for the week around today, 6 jobs of the day \
            `demo fleet` simulates (5 workers sent to a customer site; one site is never reached); and an admin token of \
            the tenant, whose secret is kept in DIR/demo/admin-token (mode 0600) and reused while the token is \
            active. Only what is missing is written: a second run changes nothing. Prints \
            `demo tenant=... admin_token=...`.
            """)

    @Option(help: "The data directory (created if missing).") var data: String
    @Option(help: "The demo tenant.") var tenant = "demo"
    @Option(help: "The demo world's seed (the same seed gives the same sites, routes and workers).")
    var seed: UInt64 = 1

    func run() throws {
        let summary: DemoSetup.Summary
        do {
            summary = try DemoSetup.run(data: data, tenant: tenant, seed: seed, nowMs: WallClock.nowMs())
        } catch let error as APIError {
            CLIOutput.standardError("fieldtrace demo setup: \(error.message)\n")
            throw ExitCode(2)
        } catch let error as DirectoryError {
            CLIOutput.standardError("fieldtrace demo setup: \(error)\n")
            throw ExitCode(2)
        } catch {
            CLIOutput.standardError("fieldtrace demo setup: \(error)\n")
            throw ExitCode(1)
        }
        let written = summary.written.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        CLIOutput.standardError(
            "demo setup: wrote \(summary.total) rows\(written.isEmpty ? "" : " (" + written.joined(separator: " ") + ")"),"
                + " kept \(summary.kept)\n")
        CLIOutput.writeAll(fd: 1, Array("demo tenant=\(tenant) admin_token=\(summary.adminToken)\n".utf8))
    }
}

/// `fieldtrace demo fleet --target-host 127.0.0.1 --speed 40 [--workers 50] [--seed 1]`.
struct DemoFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Drive the demo workers over the wire: a working day at accelerated time, then live.",
        discussion: """
            Worker i speaks Teltonika (TCP), JT/T 808, GT06 or NMEA (UDP), round-robin, and waits for the \
            server's ack of every TCP frame (resending after a reconnect). The simulated day is the latest \
            weekday whose 06:30 (Europe/Paris) has passed: it runs SPEED times faster than real time from 06:30 \
            but never ahead of real time (the server rejects fixes from the future), then goes on live with the \
            workers parked at their depots, reporting once a minute. A day already over (evening, weekend) is \
            replayed whole in 11.5 h / SPEED (17 minutes at 40x). Prints a progress line every \
            --progress-s seconds. Stops on SIGINT or SIGTERM (exit 0), or after --duration-s.
            """)

    @Option(help: "The server's address.") var targetHost = "127.0.0.1"
    @Option(help: "Simulated seconds per real second while catching up (1...3600): 40 replays the day in 17 min.")
    var speed: Double = 40
    @Option(help: "Workers driven: the first N of the demo's 50.") var workers = DemoFleet.defaultWorkers
    @Option(help: "The demo world's seed (as given to demo setup).") var seed: UInt64 = 1
    @Option(help: "Teltonika TCP port.") var teltonikaPort = 5027
    @Option(help: "JT/T 808 TCP port.") var jt808Port = 5015
    @Option(help: "GT06 TCP port.") var gt06Port = 5023
    @Option(help: "NMEA UDP port.") var nmeaPort = 5005
    @Option(help: "Simulate this local date (YYYY-MM-DD, its 06:30 past) instead of the latest weekday.")
    var day: String?
    @Option(
        help: ArgumentHelp(
            "The server's data directory: each worker resumes after its newest stored fix of the day.",
            discussion: "A rerun on the same data then continues the day where the last run stopped."))
    var data: String?
    @Option(help: "Stop after this many real seconds (0 = run until stopped).") var durationS: Double = 0
    @Option(help: "Real seconds between progress lines.") var progressS: Double = 10

    func validate() throws {
        guard speed >= 1, speed <= 3600 else { throw ValidationError("--speed must be 1...3600") }
        guard (1...DemoFleet.defaultWorkers).contains(workers) else {
            throw ValidationError("--workers must be 1...\(DemoFleet.defaultWorkers)")
        }
        for (name, port) in [
            ("teltonika", teltonikaPort), ("jt808", jt808Port), ("gt06", gt06Port), ("nmea", nmeaPort),
        ] where !(1...65535).contains(port) {
            throw ValidationError("--\(name)-port must be 1...65535")
        }
        guard durationS >= 0, progressS > 0 else { throw ValidationError("--duration-s >= 0 and --progress-s > 0") }
        if let day {
            guard let date = LocalDate(parsing: day) else { throw ValidationError("--day must be a date YYYY-MM-DD") }
            let zone = try GroupTimeZone(parsing: DemoFleet.timeZone)
            guard zone.utcMs(of: date, minuteOfDay: DemoFleet.windowStartMinute) <= WallClock.nowMs() else {
                throw ValidationError("--day \(day): its 06:30 is still to come (fixes are never from the future)")
            }
        }
    }

    func run() async throws {
        let zone = try GroupTimeZone(parsing: DemoFleet.timeZone)
        let now = WallClock.nowMs()
        let date = day.flatMap { LocalDate(parsing: $0) } ?? DemoClock.demoDate(nowMs: now, zone: zone)
        let resume = try Self.storedProgress(data: data, date: date, zone: zone, workers: workers, seed: seed)
        let clock = DemoClock(
            nowMs: now, speed: speed, zone: zone, day: date,
            resumeMs: resume.count == workers ? resume.values.min() : nil)
        var run = DemoFleetRun(
            host: targetHost,
            ports: [.teltonika: teltonikaPort, .jt808: jt808Port, .gt06: gt06Port, .nmea: nmeaPort], speed: speed,
            workers: workers, seed: seed, durationSeconds: durationS, progressSeconds: progressS)
        run.resumeAfterMs = resume
        let print: @Sendable (String) -> Void = { CLIOutput.writeAll(fd: 1, Array(($0 + "\n").utf8)) }
        let catchUpS = Double(max(0, min(clock.dayEndMs, clock.realStartMs) - clock.startMs)) / 1000 / max(1, speed - 1)
        let from = DemoClock.localClock(clock.startMs, zone: zone)
        print(
            "demo fleet: \(workers) workers, day \(clock.date) \(from)-18:00 \(DemoFleet.timeZone) at "
                + "\(Self.speedText(speed))x (live in \(Int(catchUpS.rounded())) s), target \(targetHost)")
        // SIGINT/SIGTERM: print the totals and exit 0 (nothing of the fleet needs draining: every
        // acked fix is the server's, an unacked one is simply not sent).
        let signals: [Int32] = [SIGINT, SIGTERM]
        let sources = signals.map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                print("demo fleet stopped: " + run.totals() + run.problems())
                Glibc.exit(0)
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        try await run.run(clock: clock, zone: zone, print: print)
        print("demo fleet done: " + run.totals() + run.problems())
    }

    /// Per worker index, the end of its newest stored segment within the day's window, read from
    /// the catalog (beside a running server: SQLite WAL mode); empty without `data` or a catalog.
    /// A clean server stop seals every fix into segments, so this is where the last run stopped.
    static func storedProgress(data: String?, date: LocalDate, zone: GroupTimeZone, workers: Int, seed: UInt64)
        throws -> [Int: Int64]
    {
        guard let data, FileManager.default.fileExists(atPath: data + "/catalog.sqlite") else { return [:] }
        let catalog = try Catalog(path: data + "/catalog.sqlite")
        let start = zone.utcMs(of: date, minuteOfDay: DemoFleet.windowStartMinute)
        var out: [Int: Int64] = [:]
        for worker in DemoFleet(seed: seed).workers.prefix(workers) {
            guard let device = DeviceID(worker.deviceID) else { continue }
            if let newest = try catalog.segments(device: device, level: 0, from: start).map(\.t1).max() {
                out[worker.index] = newest
            }
        }
        return out
    }

    /// 40.0 → "40", 2.5 → "2.5".
    static func speedText(_ speed: Double) -> String {
        speed == speed.rounded() ? String(Int(speed)) : String(speed)
    }
}
