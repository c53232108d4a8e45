import FieldtraceCore
import FieldtraceIngest
import FieldtraceTestSupport
import FieldtraceWire
import Testing

/// Acknowledge after durable, over real TCP sockets on loopback, for every acked protocol.
@Suite struct TCPAckTests {
    /// Handshake replies go at once; data acks only after `accept` returned, byte for byte.
    @Test(arguments: TCPScenario.acked)
    func acksOnlyAfterAcceptReturned(_ scenario: TCPScenario) async throws {
        let sink = GatedSink(open: false)
        try await withServer([scenario.listener], sink: sink) { server in
            let client = try await TCPClient.connect(port: server.boundPort(scenario.listener))
            defer { Task { await client.close() } }
            try await client.send(scenario.hello)
            #expect(await client.waitForBytes(scenario.helloReply.count) == scenario.helloReply)

            try await client.send(scenario.data)
            #expect(await eventually { !sink.batches.isEmpty })
            // Give a wrong implementation time to send the ack early.
            try await Task.sleep(for: .milliseconds(200))
            #expect(client.received.bytes == scenario.helloReply, "no ack before the batch is durable")
            #expect(sink.returned == 0)

            sink.open()
            let expected = scenario.helloReply + scenario.dataReply
            #expect(await client.waitForBytes(expected.count) == expected)
            #expect(sink.fixes.count == scenario.fixes)
            #expect(sink.fixes.allSatisfy { $0.device.rawValue == scenario.device })
            #expect(sink.fixes.allSatisfy { $0.receivedMs != nil })

            #expect(await eventually { server.counters()[scenario.listener].fixesAccepted == scenario.fixes })
            let counters = server.counters()[scenario.listener]
            #expect(counters.wire.fixes == scenario.fixes)
            #expect(
                counters.acksSent >= 1 && counters.acksSent == counters.repliesSent - 1,
                "only the greeting went before durability")
            #expect(counters.connectionsOpened == 1)
        }
    }

    /// A sink that throws: no ack, the connection closes, the server learns of it and stops.
    @Test(arguments: TCPScenario.acked)
    func failingSinkSendsNoAckAndCloses(_ scenario: TCPScenario) async throws {
        let sink = GatedSink(fails: true)
        var configuration = IngestConfiguration.loopback([scenario.listener])
        configuration.limits.drainTimeout = .seconds(5)
        let server = IngestServer(configuration: configuration, sink: sink, logger: quietLogger)
        try await server.start()
        let client = try await TCPClient.connect(port: server.boundPort(scenario.listener))
        try await client.send(scenario.hello)
        _ = await client.waitForBytes(scenario.helloReply.count)
        try await client.send(scenario.data)
        #expect(await client.waitForClose())
        #expect(client.received.bytes == scenario.helloReply, "no ack for a batch that is not durable")
        await client.close()
        await server.stop()
        #expect(server.sinkFailure is GatedSink.Failure)
        await #expect(throws: IngestError.self) { try await server.run() }
        let counters = server.counters()[scenario.listener]
        #expect(counters.sinkFailures == 1)
        #expect(counters.closedBy[.sinkFailure] == 1)
        #expect(counters.acksSent == 0)
    }

    /// While a batch waits on the sink the connection is not read: the next frame reaches the
    /// sink only after the first batch was answered, and acks keep their order.
    @Test func holdsReadsWhileABatchIsInFlight() async throws {
        let sink = GatedSink(open: false)
        try await withServer([.teltonikaTCP], sink: sink) { server in
            let client = try await TCPClient.connect(port: server.boundPort(.teltonikaTCP))
            defer { Task { await client.close() } }
            try await client.send(TeltonikaEncoder.handshake(imei: TCPScenario.imei))
            _ = await client.waitForBytes(1)
            try await client.send(TeltonikaEncoder.tcpPacket([TCPScenario.teltonikaRecord(0)]))
            #expect(await eventually { sink.batches.count == 1 })
            try await client.send(
                TeltonikaEncoder.tcpPacket([TCPScenario.teltonikaRecord(1), TCPScenario.teltonikaRecord(2)]))
            try await Task.sleep(for: .milliseconds(200))
            #expect(sink.batches.count == 1, "the second packet waits in the socket")
            sink.open()
            let expected: [UInt8] = [0x01, 0, 0, 0, 1, 0, 0, 0, 2]
            #expect(await client.waitForBytes(expected.count) == expected)
            #expect(sink.batches.map(\.count) == [1, 2])
        }
    }

    /// NMEA has no acks: fixes are delivered, nothing is written back, and the epoch still
    /// pending when the stream ends is delivered too.
    @Test func nmeaStreamDeliversFixesWithoutReplies() async throws {
        let sink = GatedSink()
        try await withServer([.nmeaTCP], sink: sink) { server in
            let fixes = (0..<4).map { TCPScenario.fix("w1", $0, source: .nmea) }
            let client = try await TCPClient.connect(port: server.boundPort(.nmeaTCP))
            try await client.send(NMEAEncoder.stream(fixes, kinds: [.rmc, .gga]))
            #expect(await eventually { sink.fixes.count == 3 })
            await client.close()
            #expect(await eventually { sink.fixes.count == 4 })
            #expect(sink.fixes.map(\.timeMs) == fixes.map(\.timeMs))
            #expect(sink.fixes.allSatisfy { $0.device.rawValue == "w1" && $0.source == .nmea })
            #expect(client.received.bytes.isEmpty)
        }
    }

    /// Shutdown while a batch waits on the sink: the batch is still acked, then the
    /// connection closes and `stop` returns.
    @Test func shutdownDrainsTheBatchInFlight() async throws {
        let sink = GatedSink(open: false)
        let server = IngestServer(configuration: .loopback([.teltonikaTCP]), sink: sink, logger: quietLogger)
        try await server.start()
        let client = try await TCPClient.connect(port: server.boundPort(.teltonikaTCP))
        try await client.send(TeltonikaEncoder.handshake(imei: TCPScenario.imei))
        _ = await client.waitForBytes(1)
        try await client.send(TeltonikaEncoder.tcpPacket([TCPScenario.teltonikaRecord(0)]))
        #expect(await eventually { sink.batches.count == 1 })
        server.shutdown()
        try await Task.sleep(for: .milliseconds(100))
        #expect(!client.received.isClosed, "the batch in flight is waited for")
        sink.open()
        await server.stop()
        #expect(await client.waitForBytes(5) == [0x01, 0, 0, 0, 1])
        #expect(await client.waitForClose())
        #expect(server.counters()[.teltonikaTCP].closedBy[.shutdown] == 1)
        await client.close()
    }
}
