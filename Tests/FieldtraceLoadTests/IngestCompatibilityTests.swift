import FieldtraceCore
import FieldtraceIngest
import Foundation
import Logging
import Synchronization
import Testing

@testable import FieldtraceLoad

/// The generator against the real ingest listeners (`IngestServer`) with a sink that only
/// records: every protocol and transport is acked, the ledger equals what the sink accepted,
/// and connections spread over source addresses stay under the server's per-IP cap.
@Suite(.serialized) struct IngestCompatibilityTests {
    /// Counts every (device, fix time) it is handed; repeats are answered as duplicates.
    final class RecordingSink: FixSink {
        let seen = Mutex<[String: Int]>([:])

        func accept(_ batch: [Fix]) async throws -> FixReceipt {
            let duplicates = seen.withLock { seen -> Int in
                var duplicates = 0
                for fix in batch {
                    let key = "\(fix.device.rawValue),\(fix.timeMs)"
                    if seen[key] != nil { duplicates += 1 }
                    seen[key, default: 0] += 1
                }
                return duplicates
            }
            return FixReceipt(accepted: batch.count - duplicates, duplicates: duplicates)
        }

        var keys: Set<String> { seen.withLock { Set($0.keys) } }
    }

    static let logger = Logger(label: "fieldtrace.load.test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run(
        _ listener: IngestListener, _ proto: LoadProtocol, devices: Int, rate: Double,
        server configure: (inout IngestConfiguration) -> Void = { _ in },
        load configureLoad: (inout LoadConfiguration) -> Void = { _ in }
    ) async throws -> (LoadReport, [String], RecordingSink) {
        let sink = RecordingSink()
        var configuration = IngestConfiguration.loopback([listener])
        configure(&configuration)
        let server = IngestServer(configuration: configuration, sink: sink, logger: logger)
        try await server.start()
        let path = LoadRunTests.ledgerPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let transport: LoadTarget.Transport = listener.transport == .tcp ? .tcp : .udp
        var c = LoadConfiguration(
            devices: devices, rateHz: rate, durationSeconds: rate >= 5 ? 2 : 5, protocols: [proto],
            target: LoadTarget(transport: transport, host: "127.0.0.1", port: server.port(of: listener)!))
        c.ledgerPath = path
        c.eventLoops = 2
        c.sendPeriodMs = 300
        c.drainSeconds = 5
        configureLoad(&c)
        let report = try await LoadGenerator.run(c)
        await server.stop()
        let ledger = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        return (report, ledger, sink)
    }

    @Test(arguments: [
        (IngestListener.teltonikaTCP, LoadProtocol.teltonika, 10.0), (.teltonikaUDP, .teltonika, 10.0),
        (.jt808, .jt808, 1.0), (.gt06, .gt06, 1.0),
    ])
    func everyProtocolIsAckedByIngest(listener: IngestListener, proto: LoadProtocol, rate: Double) async throws {
        let (report, ledger, sink) = try await Self.run(
            listener, proto, devices: 6, rate: rate, load: { $0.offlineShare = 0.34 })
        let t = report.total
        #expect(t.recorded > 0 && t.acked == t.recorded && t.unacked == 0, "\(report.lines())")
        #expect(t.backlogSent > 0)
        #expect(Set(ledger) == sink.keys && ledger.count == t.acked)
    }

    @Test(arguments: [IngestListener.nmeaTCP, .nmeaUDP])
    func nmeaReachesIngest(listener: IngestListener) async throws {
        let (report, ledger, sink) = try await Self.run(listener, .nmea, devices: 4, rate: 5)
        #expect(report.total.sent == report.total.recorded && ledger.isEmpty)
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(sink.keys.count == report.total.sent)
    }

    @Test func connectionsSpreadOverSourceAddressesStayUnderThePerIPCap() async throws {
        let (report, ledger, sink) = try await Self.run(
            .teltonikaTCP, .teltonika, devices: 30, rate: 5, server: { $0.limits.maxConnectionsPerIP = 12 },
            load: { $0.connectionsPerSourceAddress = 10 })
        let t = report.total
        #expect(t.acked == t.recorded && t.connects == 30 && t.disconnects == 0, "\(report.lines())")
        #expect(Set(ledger) == sink.keys)
    }
}
