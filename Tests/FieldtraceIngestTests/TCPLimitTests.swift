import FieldtraceCore
import FieldtraceIngest
import FieldtraceTestSupport
import FieldtraceWire
import Testing

/// Refused devices, caps and timeouts on TCP connections.
@Suite struct TCPLimitTests {
    static func refuseAll(_ configuration: inout IngestConfiguration) {
        configuration.wire.isDeviceAllowed = { _ in false }
    }

    /// Teltonika: an unknown IMEI is answered `00` and the connection closed.
    @Test func teltonikaRefusesUnknownIMEI() async throws {
        let sink = GatedSink()
        try await withServer([.teltonikaTCP], sink: sink, configure: Self.refuseAll) { server in
            let client = try await TCPClient.connect(port: server.boundPort(.teltonikaTCP))
            try await client.send(TeltonikaEncoder.handshake(imei: TCPScenario.imei))
            #expect(await client.waitForClose())
            #expect(client.received.bytes == [0x00])
            #expect(await eventually { server.counters()[.teltonikaTCP].closedBy[.decoder] == 1 })
            #expect(server.counters()[.teltonikaTCP].wire.rejected[RejectReason.teltonikaRefused] == 1)
        }
    }

    /// JT/T 808: a location from an unknown terminal is answered `0x8001` result 1 (failure)
    /// and nothing reaches the sink; a registration is answered `0x8100` result 4.
    @Test func jt808RefusesUnknownTerminal() async throws {
        let sink = GatedSink()
        try await withServer([.jt808], sink: sink, configure: Self.refuseAll) { server in
            var encoder = JT808Encoder(phone: TCPScenario.phone)
            let location = encoder.frame(
                messageID: 0x0200,
                body: JT808Encoder.locationBody(TCPScenario.fix(TCPScenario.phone, 0, source: .jt808)))
            let registration = encoder.frame(messageID: 0x0100, body: TCPScenario.registrationBody)
            let client = try await TCPClient.connect(port: server.boundPort(.jt808))
            defer { Task { await client.close() } }
            try await client.send(location + registration)
            let expected =
                encoder.generalReply(platformSerial: 0, replySerial: 0, replyID: 0x0200, result: 1)
                + encoder.registrationReply(platformSerial: 1, replySerial: 1, result: 4, authCode: "")
            #expect(await client.waitForBytes(expected.count) == expected)
            #expect(sink.batches.isEmpty)
        }
    }

    /// GT06 and NMEA: a refused login or `$PGID` closes the connection (neither protocol has
    /// a reject message).
    @Test func gt06AndNMEACloseOnUnknownDevice() async throws {
        let sink = GatedSink()
        try await withServer([.gt06, .nmeaTCP], sink: sink, configure: Self.refuseAll) { server in
            let gt06 = try await TCPClient.connect(port: server.boundPort(.gt06))
            try await gt06.send(GT06Encoder.login(imei: TCPScenario.imei))
            #expect(await gt06.waitForClose())
            #expect(gt06.received.bytes.isEmpty)
            let nmea = try await TCPClient.connect(port: server.boundPort(.nmeaTCP))
            try await nmea.send(NMEAEncoder.stream([TCPScenario.fix("w1", 0, source: .nmea)]))
            #expect(await nmea.waitForClose())
            #expect(sink.batches.isEmpty)
        }
    }

    /// A frame over its protocol's cap closes the connection.
    @Test func oversizedFramesClose() async throws {
        let sink = GatedSink()
        try await withServer([.nmeaTCP, .gt06, .jt808], sink: sink) { server in
            let nmea = try await TCPClient.connect(port: server.boundPort(.nmeaTCP))
            try await nmea.send(Array(("$GPTXT," + String(repeating: "A", count: 300) + "*00\r\n").utf8))
            #expect(await nmea.waitForClose())

            // `79 79` with a declared length of 65,535 bytes, over the 2,048-byte cap.
            let gt06 = try await TCPClient.connect(port: server.boundPort(.gt06))
            try await gt06.send([0x79, 0x79, 0xFF, 0xFF, 0x12] + [UInt8](repeating: 0, count: 64))
            #expect(await gt06.waitForClose())

            // A JT/T 808 frame of 5,000 bytes, over the 4,096-byte cap (the framer discards
            // such a frame without buffering it and reports it at its closing 0x7E).
            let jt808 = try await TCPClient.connect(port: server.boundPort(.jt808))
            try await jt808.send([0x7E] + [UInt8](repeating: 0x01, count: 5000) + [0x7E])
            #expect(await jt808.waitForClose())

            for listener in [IngestListener.nmeaTCP, .gt06, .jt808] {
                #expect(await eventually { server.counters()[listener].closedBy[.oversizedFrame] == 1 }, "\(listener)")
                let counters = server.counters()
                #expect(counters[listener].wire.rejected[.tooLong, default: 0] >= 1, "\(listener)")
            }
        }
    }

    /// `maxConsecutiveBadFrames` rejected frames in a row close the connection; fewer do not.
    @Test func consecutiveBadFramesClose() async throws {
        let sink = GatedSink()
        try await withServer([.gt06], sink: sink, configure: { $0.limits.maxConsecutiveBadFrames = 3 }) { server in
            var bad = GT06Encoder.heartbeat(serial: 7)
            bad[bad.count - 3] ^= 0xFF  // the CRC's low byte
            let client = try await TCPClient.connect(port: server.boundPort(.gt06))
            try await client.send(GT06Encoder.login(imei: TCPScenario.imei) + bad + bad)
            let loginAck = GT06Encoder.ack(protocolNumber: 0x01, serial: 1)
            #expect(await client.waitForBytes(loginAck.count) == loginAck)
            #expect(!client.received.isClosed)
            try await client.send(bad + bad + bad)
            #expect(await client.waitForClose())
            #expect(await eventually { server.counters()[.gt06].closedBy[.badFrames] == 1 })
            #expect(server.counters()[.gt06].wire.rejected[.badChecksum] == 5)
        }
    }

    /// A connection that sends nothing is closed after the idle timeout.
    @Test func idleConnectionsClose() async throws {
        let sink = GatedSink()
        try await withServer([.gt06], sink: sink, configure: { $0.limits.idleTimeout = .milliseconds(300) }) {
            server in
            let client = try await TCPClient.connect(port: server.boundPort(.gt06))
            #expect(await client.waitForClose())
            #expect(await eventually { server.counters()[.gt06].closedBy[.idle] == 1 })
        }
    }

    /// Connections past `maxConnectionsPerIP` are closed at once and counted as refused; the
    /// admitted ones keep working.
    @Test func connectionsPerIPCap() async throws {
        let sink = GatedSink()
        try await withServer([.gt06], sink: sink, configure: { $0.limits.maxConnectionsPerIP = 2 }) { server in
            let port = server.boundPort(.gt06)
            let first = try await TCPClient.connect(port: port)
            let second = try await TCPClient.connect(port: port)
            #expect(await eventually { server.counters()[.gt06].connectionsOpened == 2 })
            let third = try await TCPClient.connect(port: port)
            #expect(await third.waitForClose())
            #expect(server.counters()[.gt06].connectionsRefused == 1)
            let ack = GT06Encoder.ack(protocolNumber: 0x01, serial: 1)
            for client in [first, second] {
                try await client.send(GT06Encoder.login(imei: TCPScenario.imei))
                #expect(await client.waitForBytes(ack.count) == ack)
                #expect(!client.received.isClosed)
            }
            // A slot freed by a close is available again.
            await first.close()
            #expect(await eventually { server.counters()[.gt06].connectionsClosed == 1 })
            let fourth = try await TCPClient.connect(port: port)
            try await fourth.send(GT06Encoder.login(imei: TCPScenario.imei))
            #expect(await fourth.waitForBytes(ack.count) == ack)
            for client in [second, third, fourth] { await client.close() }
        }
    }
}
