import FieldtraceCore
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import FieldtraceLoad

/// The generator against `AckServer` (the Wire decoders behind a loopback listener that acks at
/// once): counts, the ledger, resends after a dropped connection or a lost datagram, backlog
/// markers, refusals and an unreachable target. Each run lasts one to three seconds.
@Suite(.serialized) struct LoadRunTests {
    struct Run {
        var report: LoadReport
        var server: AckServer
        var ledger: [String]
    }

    static func ledgerPath() -> String {
        NSTemporaryDirectory() + "fieldtrace-ledger-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).csv"
    }

    /// Runs `configure`d devices against a fresh `AckServer` for `proto` over `transport`.
    static func run(
        _ proto: LoadProtocol, _ transport: LoadTarget.Transport, devices: Int, rate: Double, seconds: Double,
        server options: AckServer.Options = AckServer.Options(),
        _ configure: (inout LoadConfiguration) -> Void = { _ in }
    ) async throws -> Run {
        var options = options
        options.record = true
        let server = try await AckServer.start(proto, transport: transport, options: options)
        let path = ledgerPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var c = LoadConfiguration(
            devices: devices, rateHz: rate, durationSeconds: seconds, protocols: [proto],
            target: LoadTarget(transport: transport, host: "127.0.0.1", port: server.port))
        c.ledgerPath = path
        c.eventLoops = 2
        c.drainSeconds = 5
        c.ackTimeoutMs = 1000
        c.sendPeriodMs = 300
        configure(&c)
        let report = try await LoadGenerator.run(c)
        await server.stop()
        let ledger = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        return Run(report: report, server: server, ledger: ledger)
    }

    /// Fixes the schedule gives `devices` devices at `rate` over `seconds` (phases spread over one interval).
    static func expectedFixes(devices: Int, rate: Double, seconds: Double) -> Int {
        let c = LoadConfiguration(
            devices: devices, rateHz: rate, durationSeconds: seconds, protocols: [.nmea],
            target: LoadTarget(transport: .udp, host: "127.0.0.1", port: 1))
        let plan = RunPlan(c, addresses: [try! SocketAddress(ipAddress: "127.0.0.1", port: 1), nil, nil, nil])
        return (0..<devices).reduce(0) { $0 + plan.fixCount(phaseUs: Int64($1) * plan.intervalUs / Int64(devices)) }
    }

    /// The server's fixes as ledger lines.
    static func stored(_ server: AckServer) -> [String] {
        server.fixes.map { "\($0.device.rawValue),\($0.timeMs)" }
    }

    @Test(arguments: [
        (LoadProtocol.teltonika, LoadTarget.Transport.tcp, 10.0), (.jt808, .tcp, 1.0), (.gt06, .tcp, 1.0),
        (.teltonika, .udp, 10.0),
    ])
    func everyRecordedFixIsAckedOnceAndInTheLedger(proto: LoadProtocol, transport: LoadTarget.Transport, rate: Double)
        async throws
    {
        let r = try await Self.run(proto, transport, devices: 6, rate: rate, seconds: 2)
        let t = r.report.total
        let expected = Self.expectedFixes(devices: 6, rate: rate, seconds: 2)
        #expect(t.recorded == expected)
        #expect(t.sent == expected && t.acked == expected, "\(r.report.lines())")
        #expect(t.rejected == 0 && t.unacked == 0 && t.resent == 0)
        #expect(r.ledger.count == expected)
        #expect(Set(r.ledger).count == expected, "no fix acked twice")
        #expect(Set(r.ledger) == Set(Self.stored(r.server)), "the ledger lists exactly what the server acked")
        #expect(r.report.totalLatency.count > 0)
        if proto == .teltonika && transport == .tcp {
            #expect(t.framesSent < expected, "records are batched into packets")
        }
    }

    @Test(arguments: [LoadTarget.Transport.udp, .tcp])
    func nmeaSendsOneEpochPerFixWithoutAcks(transport: LoadTarget.Transport) async throws {
        let r = try await Self.run(.nmea, transport, devices: 4, rate: 5, seconds: 1.5)
        let expected = Self.expectedFixes(devices: 4, rate: 5, seconds: 1.5)
        #expect(r.report.total.sent == expected)
        #expect(r.report.total.acked == 0 && r.ledger.isEmpty)
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(r.server.fixes.count == expected)
        #expect(Set(Self.stored(r.server)).count == expected)
    }

    @Test func aDroppedConnectionIsResentAfterAReconnect() async throws {
        var options = AckServer.Options()
        options.dropConnectionAfterFixes = 6
        let r = try await Self.run(.teltonika, .tcp, devices: 3, rate: 10, seconds: 2, server: options) {
            $0.recordsPerFrame = 3
        }
        let t = r.report.total
        #expect(r.server.counts.drops == 3)
        #expect(t.disconnects >= 3 && t.connects >= 6)
        #expect(t.resent >= 9 && t.framesResent >= 3, "\(r.report.lines())")
        #expect(t.acked == t.recorded && t.unacked == 0)
        #expect(Set(r.ledger) == Set(Self.stored(r.server)))
        #expect(r.ledger.count == t.recorded)
    }

    @Test func aLostDatagramIsResentAfterTheTimeout() async throws {
        var options = AckServer.Options()
        options.ignoredDatagramsPerDevice = 1
        let r = try await Self.run(.teltonika, .udp, devices: 3, rate: 5, seconds: 1.5, server: options) {
            $0.ackTimeoutMs = 200
        }
        let t = r.report.total
        #expect(t.framesResent >= 3 && t.timeouts >= 3, "\(r.report.lines())")
        #expect(t.acked == t.recorded && t.unacked == 0)
        #expect(Set(r.ledger) == Set(Self.stored(r.server)))
    }

    @Test(arguments: [LoadProtocol.jt808, .gt06, .teltonika, .nmea])
    func offlineDevicesDeliverTheirBacklogLate(proto: LoadProtocol) async throws {
        let rate = proto.timeResolutionMs == 1000 ? 1.0 : 5.0
        let r = try await Self.run(proto, .tcp, devices: 4, rate: rate, seconds: 4) { $0.offlineShare = 0.5 }
        let t = r.report.total
        #expect(t.backlogSent > 0, "\(r.report.lines())")
        #expect(t.sent == t.recorded)
        try await Task.sleep(nanoseconds: 100_000_000)
        let fixes = r.server.fixes
        #expect(fixes.count == t.recorded)
        // A fix that arrived long after its time is backlog: with the protocol's marker where it has one.
        let late = fixes.filter { ($0.receivedMs ?? 0) - $0.timeMs > 700 }
        #expect(late.count >= t.backlogSent / 2, "backlog arrives late")
        switch proto {
        case .jt808, .gt06:
            let flagged = fixes.filter { $0.flags.contains(.backfill) }
            #expect(flagged.count == t.backlogSent)
            #expect(flagged.allSatisfy { $0.flags.contains(.late) })
        case .teltonika, .nmea:
            #expect(fixes.allSatisfy { !$0.flags.contains(.backfill) }, "no marker in the protocol")
        }
        if proto.hasAcks {
            #expect(t.acked == t.recorded && Set(r.ledger) == Set(Self.stored(r.server)))
        }
    }

    @Test func protocolsGoToTheirOwnPorts() async throws {
        var options = AckServer.Options()
        options.record = true
        let jt808 = try await AckServer.start(.jt808, transport: .tcp, options: options)
        let gt06 = try await AckServer.start(.gt06, transport: .tcp, options: options)
        let target = try #require(LoadTarget("tcp://127.0.0.1:\(jt808.port),\(gt06.port)"))
        var c = LoadConfiguration(
            devices: 4, rateHz: 1, durationSeconds: 2, protocols: [.jt808, .gt06], target: target)
        c.eventLoops = 2
        let report = try await LoadGenerator.run(c)
        await jt808.stop()
        await gt06.stop()
        #expect(report.parts.map(\.proto) == [.jt808, .gt06])
        #expect(report.parts.allSatisfy { $0.devices == 2 && $0.counters.acked == $0.counters.recorded })
        #expect(jt808.fixes.allSatisfy { $0.device.rawValue.count == 12 })
        #expect(gt06.fixes.allSatisfy { $0.device.rawValue.count == 15 })
        #expect(jt808.fixes.count + gt06.fixes.count == report.total.recorded)
    }

    /// The crash test's situation: the server dies mid-run and comes back on the same port.
    @Test func aRestartedServerGetsEverythingUnackedAgain() async throws {
        var options = AckServer.Options()
        options.record = true
        let first = try await AckServer.start(.teltonika, transport: .tcp, options: options)
        let port = first.port
        let path = Self.ledgerPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var c = LoadConfiguration(
            devices: 4, rateHz: 10, durationSeconds: 3, protocols: [.teltonika],
            target: LoadTarget(transport: .tcp, host: "127.0.0.1", port: port))
        c.ledgerPath = path
        c.eventLoops = 2
        c.sendPeriodMs = 200
        c.ackTimeoutMs = 500
        c.drainSeconds = 8
        async let run = LoadGenerator.run(c)
        try await Task.sleep(nanoseconds: 1_000_000_000)
        await first.stop()
        // The listener is gone; its connections are closed by hand, as a killed process's would be.
        await first.closeConnections()
        try await Task.sleep(nanoseconds: 700_000_000)
        let second = try await AckServer.start(.teltonika, transport: .tcp, port: port, options: options)
        let report = try await run
        await second.stop()
        let t = report.total
        #expect(t.acked == t.recorded && t.unacked == 0, "\(report.lines())")
        #expect(t.disconnects >= 4 && t.connectFailures > 0)
        let ledger = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let stored = Set(Self.stored(first) + Self.stored(second))
        #expect(ledger.count == t.acked && Set(ledger).count == t.acked)
        #expect(Set(ledger).isSubset(of: stored), "every acked fix reached a server")
    }

    @Test func fullBuffersDropNewFixes() async throws {
        var options = AckServer.Options()
        options.ignoredDatagramsPerDevice = 1_000_000
        let r = try await Self.run(.teltonika, .udp, devices: 2, rate: 20, seconds: 1, server: options) {
            $0.maxBufferedFixes = 10
            $0.drainSeconds = 0.3
        }
        let t = r.report.total
        #expect(t.acked == 0 && r.ledger.isEmpty)
        #expect(t.dropped > 0 && t.dropped + t.unacked == t.recorded, "\(r.report.lines())")
        #expect(t.unacked <= 10)
    }

    @Test func aRefusedDeviceIsCountedRejected() async throws {
        var options = AckServer.Options()
        options.refusedDevices = [LoadProtocol.teltonika.deviceID(index: 1)]
        let r = try await Self.run(.teltonika, .tcp, devices: 3, rate: 5, seconds: 1.5, server: options)
        let t = r.report.total
        #expect(t.rejected > 0 && t.acked + t.rejected == t.recorded, "\(r.report.lines())")
        #expect(!r.ledger.contains { $0.hasPrefix(LoadProtocol.teltonika.deviceID(index: 1)) })
    }

    @Test(arguments: [LoadTarget.Transport.tcp, .udp])
    func anUnreachableTargetFailsAtStart(transport: LoadTarget.Transport) async throws {
        // A port that was just free: bind, note it, close.
        let server = try await AckServer.start(.nmea, transport: transport)
        let port = server.port
        await server.stop()
        let c = LoadConfiguration(
            devices: 1, rateHz: 1, durationSeconds: 1, protocols: [.nmea],
            target: LoadTarget(transport: transport, host: "127.0.0.1", port: port))
        await #expect(throws: LoadError.self) { try await LoadGenerator.run(c) }
    }
}
