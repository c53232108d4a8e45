import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The demo end to end, as scripts/run runs it: `demo setup`, `serve` with the demo's files,
/// `demo fleet` over the real listeners at 600x for a few seconds.
@Suite(.serialized) struct DemoProcessTests {
    static var executable: String { DecodeProcessTests.executable }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func aShortDemoStoresFixesOfEveryProtocolAndEmitsEvents() throws {
        let data = NSTemporaryDirectory() + "fieldtrace-demo-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let setup = try DecodeProcessTests.run(["demo", "setup", "--data", data])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(setup.stdout.hasPrefix("demo tenant=demo admin_token=ft_"), "\(setup.stdout)")
        let token = String(setup.stdout.split(separator: "=").last ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)

        let server = try ServeProcessTests.Server.start(
            data: data, extra: ["--set", "analytics.tenant=demo", "--set", "engine.mark_late_after_ms=345600000"])
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        // Yesterday's window, whole in the past whatever the time of day: 8 s at 600x is 06:30-07:50.
        let yesterday = DemoSetupTests.localDate(daysAgo: 1)
        var arguments = [
            "demo", "fleet", "--target-host", "127.0.0.1", "--speed", "600", "--workers", "5", "--duration-s", "8",
            "--progress-s", "2", "--day", yesterday, "--data", data,
        ]
        for (option, key) in [
            ("--teltonika-port", "teltonika-tcp"), ("--jt808-port", "jt808-tcp"), ("--gt06-port", "gt06-tcp"),
            ("--nmea-port", "nmea-udp"),
        ] {
            arguments += [option, String(try #require(server.ports[key], "\(server.ports)"))]
        }
        let fleet = try DecodeProcessTests.run(arguments)
        #expect(fleet.status == 0, "\(fleet.stderr)")
        let done = try #require(fleet.stdout.split(separator: "\n").last { $0.hasPrefix("demo fleet done:") })
        #expect(fleet.stdout.contains("demo fleet: simulated "), "progress lines: \(fleet.stdout)")
        #expect(!done.contains("refused") && !done.contains(" 0 fixes acked"), "\(fleet.stdout)")
        #expect(!done.contains(" 0 sent over UDP"), "\(fleet.stdout)")

        // The admin token is the demo tenant's.
        let api = try #require(server.ports["api"], "\(server.ports)")
        let whoami = try #require(Self.get(port: api, path: "/v1/whoami", token: token))
        #expect(whoami.hasPrefix("HTTP/1.1 200") && whoami.contains("\"demo\""), "\(whoami)")

        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        let stderr = String(decoding: server.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stopped = try #require(stderr.split(separator: "\n").last { $0.hasPrefix("serve stopped") }, "\(stderr)")
        func field(_ key: String) -> Int? {
            stopped.split(separator: " ").first { $0.hasPrefix(key + "=") }.flatMap { Int($0.dropFirst(key.count + 1)) }
        }
        #expect(field("fixes_accepted") ?? 0 > 100, "\(stopped)")
        #expect(field("events") ?? 0 >= 5, "at least each device online: \(stopped)")

        // The events are the demo tenant's, none flagged late (the replay's age is the demo's
        // clock, engine.mark_late_after_ms), and the workers reach the depots.
        let events = try EventLog(catalog: try Catalog(path: data + "/catalog.sqlite")).read(after: 0, limit: 100_000)
        #expect(events.allSatisfy { $0.tenant == "demo" })
        #expect(events.filter(\.late).isEmpty, "\(events.filter(\.late).prefix(3).map(\.payload))")
        #expect(events.filter { $0.kind.rawValue == "device.online" }.count == 5)
        #expect(events.contains { $0.kind.rawValue == "geofence.enter" && $0.subject?.hasPrefix("depot-") == true })

        // Every protocol's worker has a stored track, in time order.
        let fleetWorld = DemoFleet(seed: 1)
        var before: [String: [Int64]] = [:]
        for worker in fleetWorld.workers.prefix(5) {
            let times = try ServeProcessTests.storedTimes(data: data, device: worker.deviceID)
            #expect(times.count > 10 && times == times.sorted(), "\(worker.deviceID) (\(worker.wire))")
            #expect(times.last ?? .max <= Int64(Date().timeIntervalSince1970 * 1000), "never from the future")
            before[worker.deviceID] = times
        }

        // A rerun on the same data continues each worker's day after its newest stored fix.
        let again = try ServeProcessTests.Server.start(
            data: data, extra: ["--set", "analytics.tenant=demo", "--set", "engine.mark_late_after_ms=345600000"])
        defer { if again.process.isRunning { kill(again.process.processIdentifier, SIGKILL) } }
        var rerun = Array(arguments.prefix(while: { $0 != "--teltonika-port" }))
        rerun[rerun.firstIndex(of: "--duration-s")! + 1] = "3"
        for (option, key) in [
            ("--teltonika-port", "teltonika-tcp"), ("--jt808-port", "jt808-tcp"), ("--gt06-port", "gt06-tcp"),
            ("--nmea-port", "nmea-udp"),
        ] {
            rerun += [option, String(try #require(again.ports[key], "\(again.ports)"))]
        }
        let second = try DecodeProcessTests.run(rerun)
        #expect(second.status == 0, "\(second.stderr)")
        again.process.terminate()
        again.process.waitUntilExit()
        #expect(again.process.terminationStatus == 0)
        let log = String(decoding: again.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let line = try #require(log.split(separator: "\n").last { $0.hasPrefix("serve stopped") }, "\(log)")
        let accepted = line.split(separator: " ").first { $0.hasPrefix("fixes_accepted=") }
            .flatMap { Int($0.dropFirst("fixes_accepted=".count)) }
        var added = 0
        for worker in fleetWorld.workers.prefix(5) {
            let times = try ServeProcessTests.storedTimes(data: data, device: worker.deviceID)
            let old = before[worker.deviceID] ?? []
            #expect(times.count > old.count && times.last! > old.last!, "\(worker.deviceID) went on")
            #expect(Array(times.prefix(old.count)) == old)
            added += times.count - old.count
        }
        // Everything the second server accepted is new (a resent old fix would be counted too).
        #expect(accepted == added, "\(line)")
    }

    /// A GET with a bearer token; the whole response.
    static func get(port: Int, path: String, token: String) -> String? {
        ServeProcessTests.http(port: port, "GET", path, headers: ["Authorization": "Bearer \(token)"])
    }
}
