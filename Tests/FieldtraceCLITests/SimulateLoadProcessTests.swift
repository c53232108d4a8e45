import Foundation
import Testing

/// `fieldtrace simulate --target` and `--listen`, run as the crash and load scripts run them.
@Suite struct SimulateLoadProcessTests {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: DecodeProcessTests.executable) }

    /// A loopback port nothing listens on (bound, then released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test(.enabled(if: available))
    func anUnreachableTargetExitsOne() throws {
        let r = try DecodeProcessTests.run([
            "simulate", "--target", "tcp://127.0.0.1:\(Self.freePort())", "--protocol", "teltonika", "--devices", "2",
            "--rate", "1", "--duration", "1",
        ])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("unreachable"))
    }

    @Test(.enabled(if: available))
    func loadOptionsAreValidated() throws {
        for arguments in [
            [
                "simulate", "--target", "tcp://127.0.0.1:5015", "--protocol", "jt808", "--devices", "1", "--rate", "5",
                "--duration", "1",
            ],
            [
                "simulate", "--target", "udp://127.0.0.1:5015", "--protocol", "gt06", "--devices", "1", "--rate", "1",
                "--duration", "1",
            ],
            [
                "simulate", "--target", "ftp://x:1", "--protocol", "nmea", "--devices", "1", "--rate", "1",
                "--duration", "1",
            ],
            ["simulate", "--rate", "1"],
            [
                "simulate", "--target", "tcp://127.0.0.1:1", "--hours", "2", "--protocol", "nmea", "--devices", "1",
                "--rate", "1", "--duration", "1",
            ],
        ] {
            let r = try DecodeProcessTests.run(arguments)
            #expect(r.status == 2, "\(arguments): \(r.stderr)")
        }
    }

    @Test(.enabled(if: available))
    func aRunAgainstTheListenerAcksEverythingIntoTheLedger() throws {
        let port = Self.freePort()
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: DecodeProcessTests.executable)
        listener.arguments = [
            "simulate", "--listen", "tcp://127.0.0.1:\(port)", "--protocol", "gt06", "--duration", "6",
        ]
        listener.standardOutput = Pipe()
        listener.standardError = Pipe()
        try listener.run()
        defer { listener.terminate() }
        Thread.sleep(forTimeInterval: 0.5)
        let ledger = NSTemporaryDirectory() + "fieldtrace-cli-ledger-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: ledger) }
        let r = try DecodeProcessTests.run([
            "simulate", "--target", "tcp://127.0.0.1:\(port)", "--protocol", "gt06", "--devices", "3", "--rate", "1",
            "--duration", "2", "--ledger", ledger,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let total = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("total ") })
        #expect(total.contains(" recorded=6 ") && total.contains(" acked=6 ") && total.contains(" unacked=0 "))
        let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { $0.hasPrefix("86") && $0.split(separator: ",").count == 2 })
    }
}
