import FieldtraceCore
import FieldtraceTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `fieldtrace serve` as a user would, drives it with `fieldtrace simulate` (real
/// Teltonika frames over TCP with acks, NMEA datagrams over UDP), stops it with SIGTERM and
/// reads the data directory back with `export` and `verify`.
@Suite(.serialized) struct ServeProcessTests {
    static var executable: String { DecodeProcessTests.executable }

    /// A started `serve` and the ports it printed.
    struct Server {
        let process: Process
        let ports: [String: Int]
        let stderr: Pipe

        static func start(data: String, autoRegister: Bool = true, extra: [String] = []) throws -> Server {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ServeProcessTests.executable)
            var arguments = [
                "serve", "--data", data, "--host", "127.0.0.1", "--metrics-port", "0", "--log-level", "warning",
            ]
            if autoRegister { arguments.append("--auto-register") }
            arguments += extra
            for key in ["nmea_tcp", "nmea_udp", "jt808_tcp", "gt06_tcp", "teltonika_tcp", "teltonika_udp"] {
                arguments += ["--set", "listeners.\(key)=0"]
            }
            arguments += ["--set", "api.port=0", "--set", "api.osmand_port=0"]
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // The one line printed once every socket is bound.
            var line: [UInt8] = []
            let handle = out.fileHandleForReading
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            var ports: [String: Int] = [:]
            for field in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let parts = field.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                if let port = Int(parts[1]) {
                    ports[String(parts[0])] = port
                } else if let colon = parts[1].lastIndex(of: ":"),
                    let port = Int(parts[1][parts[1].index(after: colon)...])
                {
                    ports[String(parts[0])] = port
                }
            }
            return Server(process: process, ports: ports, stderr: err)
        }
    }

    /// One HTTP/1.1 request on loopback with `Connection: close`; the whole response text.
    static func http(
        port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: String = ""
    ) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        let request = Array(text.utf8)
        guard write(fd, request, request.count) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }

    static func httpGet(port: Int, path: String) -> String? { http(port: port, "GET", path) }

    /// `key=value` from a `simulate` report line starting with `prefix`.
    static func field(_ report: String, line prefix: String, _ key: String) -> Int? {
        guard let line = report.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        for item in line.split(separator: " ") where item.hasPrefix(key + "=") {
            return Int(item.dropFirst(key.count + 1))
        }
        return nil
    }

    static func storedTimes(data: String, device: String) throws -> [Int64] {
        let r = try DecodeProcessTests.run(["export", "--data", data, "--device", device, "--format", "csv"])
        return r.stdout.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: ",", omittingEmptySubsequences: false)
            return columns.count > 1 ? ISO8601.parse(columns[1].utf8) : nil
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func servesStoresAcksAndStopsCleanlyOnSIGTERM() throws {
        let data = NSTemporaryDirectory() + "fieldtrace-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let ledger = data + ".ledger"
        defer { try? FileManager.default.removeItem(atPath: ledger) }
        let server = try Server.start(data: data)
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let teltonika = try #require(server.ports["teltonika-tcp"])
        let nmeaUDP = try #require(server.ports["nmea-udp"])
        let metricsPort = try #require(server.ports["metrics"])

        let tcp = try DecodeProcessTests.run([
            "simulate", "--target", "tcp://127.0.0.1:\(teltonika)", "--protocol", "teltonika", "--devices", "3",
            "--rate", "5", "--duration", "2", "--records-per-frame", "5", "--send-period-ms", "500", "--drain", "10",
            "--ledger", ledger, "--seed", "7",
        ])
        #expect(tcp.status == 0, "\(tcp.stderr)")
        let acked = try #require(Self.field(tcp.stdout, line: "total", "acked"), "\(tcp.stdout)")
        #expect(acked > 0 && Self.field(tcp.stdout, line: "total", "unacked") == 0, "\(tcp.stdout)")

        let udp = try DecodeProcessTests.run([
            "simulate", "--target", "udp://127.0.0.1:\(nmeaUDP)", "--protocol", "nmea", "--devices", "2", "--rate",
            "5", "--duration", "2", "--drain", "1", "--seed", "8",
        ])
        #expect(udp.status == 0, "\(udp.stderr)")
        let sentNMEA = try #require(Self.field(udp.stdout, line: "total", "sent"), "\(udp.stdout)")
        #expect(sentNMEA > 0)

        let metrics = try #require(Self.httpGet(port: metricsPort, path: "/metrics"))
        #expect(metrics.hasPrefix("HTTP/1.1 200"))
        #expect(metrics.contains("fieldtrace_engine_fixes_accepted_total "))
        #expect(metrics.contains("fieldtrace_ingest_acks_total{listener=\"teltonika-tcp\",protocol=\"teltonika\"}"))
        #expect(metrics.contains("fieldtrace_accept_duration_seconds_count "))
        let commits = metrics.split(separator: "\n").first {
            $0.hasPrefix("fieldtrace_wal_fsync_duration_seconds_count ")
        }
        #expect((commits?.split(separator: " ").last).flatMap { Int($0) } ?? 0 > 0, "WAL commits counted")
        #expect(metrics.contains("fieldtrace_wal_fsync_duration_seconds_bucket{le=\"+Inf\"}"))
        #expect(metrics.contains("\nfieldtrace_webhook_events_delivered_total 0\n"), "webhook counters")
        #expect(metrics.contains("\nfieldtrace_webhook_subscriptions_active 0\n"))
        #expect(Self.httpGet(port: metricsPort, path: "/health")?.contains("ok") == true)

        server.process.terminate()  // SIGTERM
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)

        // Every acked fix is stored exactly once.
        let ledgerText = try String(contentsOfFile: ledger, encoding: .utf8)
        var expected: [String: Set<Int64>] = [:]
        var ledgerLines = 0
        for line in ledgerText.split(separator: "\n") {
            let parts = line.split(separator: ",")
            guard parts.count == 2, let time = Int64(parts[1]) else { continue }
            expected[String(parts[0]), default: []].insert(time)
            ledgerLines += 1
        }
        #expect(ledgerLines == acked)
        #expect(expected.count == 3)
        for (device, times) in expected {
            let stored = try Self.storedTimes(data: data, device: device)
            #expect(stored.count == Set(stored).count, "duplicates stored for \(device)")
            #expect(Set(stored) == times, "\(device): stored \(stored.count), acked \(times.count)")
        }
        // Every NMEA datagram sent on loopback (no acks over NMEA) is stored.
        var storedNMEA = 0
        for index in 0..<2 { storedNMEA += try Self.storedTimes(data: data, device: "nmea-00000\(index)").count }
        #expect(storedNMEA == sentNMEA)

        let verify = try DecodeProcessTests.run(["verify", "--data", data])
        #expect(verify.status == 0 && verify.stdout.contains("problems=0"), "\(verify.stdout)\(verify.stderr)")
        let stats = try DecodeProcessTests.run(["stats", "--data", data])
        #expect(stats.stdout.contains("buffered=0"), "a clean shutdown seals every fix: \(stats.stdout)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func unknownDevicesGetTheProtocolsRejectUnlessListed() throws {
        let data = NSTemporaryDirectory() + "fieldtrace-serve-reject-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let allowFile = data + ".allow"
        defer { try? FileManager.default.removeItem(atPath: allowFile) }
        // Devices 0 and 1 of `simulate --protocol jt808` are known; device 2 is not.
        try "# known terminals\n010000000000\n010000000001\n".write(
            toFile: allowFile, atomically: true, encoding: .utf8)
        let server = try Server.start(
            data: data, autoRegister: false, extra: ["--set", "devices.allow_file=\(allowFile)"])
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let jt808 = try #require(server.ports["jt808-tcp"])
        let run = try DecodeProcessTests.run([
            "simulate", "--target", "tcp://127.0.0.1:\(jt808)", "--protocol", "jt808", "--devices", "3", "--rate", "1",
            "--duration", "2", "--drain", "3", "--ack-timeout-ms", "500",
        ])
        #expect(Self.field(run.stdout, line: "protocol=jt808", "rejected") ?? 0 > 0, "\(run.stdout)")
        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(try Self.storedTimes(data: data, device: "010000000000").count >= 2)
        #expect(try Self.storedTimes(data: data, device: "010000000002").isEmpty)
    }
}
