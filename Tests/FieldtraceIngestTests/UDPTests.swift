import FieldtraceCore
import FieldtraceIngest
import FieldtraceTestSupport
import FieldtraceWire
import Testing

/// UDP listeners: one decoder call per datagram, acks to each sender after `accept`, shedding.
/// Senders pause between datagrams (loopback drops bursts on a loaded machine).
@Suite struct UDPTests {
    static func nmeaDatagram(_ device: String, _ index: Int) -> [UInt8] {
        NMEAEncoder.stream([TCPScenario.fix(device, index, source: .nmea)], kinds: [.rmc, .gga])
    }

    static func teltonikaDatagram(packetID: UInt16, avlPacketID: UInt8, records: Int) -> [UInt8] {
        TeltonikaEncoder.udpDatagram(
            packetID: packetID, avlPacketID: avlPacketID, imei: TCPScenario.imei,
            (0..<records).map(TCPScenario.teltonikaRecord))
    }

    /// NMEA datagrams are decoded one by one; a duplicated datagram is passed on twice (the
    /// engine drops duplicates); a datagram without `$PGID` is rejected.
    @Test func nmeaDatagramsAreDecodedAndDuplicatesPassedOn() async throws {
        let sink = GatedSink()
        try await withServer([.nmeaUDP], sink: sink) { server in
            let client = try await UDPClient.bind(target: server.boundPort(.nmeaUDP))
            defer { Task { await client.close() } }
            let first = Self.nmeaDatagram("w1", 0)
            try await client.send(first)
            try await client.send(Self.nmeaDatagram("w2", 1))
            try await client.send(first)
            try await client.send(Array(NMEAEncoder.epoch(TCPScenario.fix("w3", 2, source: .nmea), kinds: [.rmc]).utf8))
            #expect(await eventually { sink.fixes.count == 3 && server.counters()[.nmeaUDP].datagramsReceived == 4 })
            let fixes = sink.fixes
            #expect(fixes.map(\.device.rawValue) == ["w1", "w2", "w1"])
            var resent = fixes[2]
            resent.receivedMs = fixes[0].receivedMs
            #expect(resent == fixes[0], "the same fix, received twice")
            let counters = server.counters()[.nmeaUDP]
            #expect(counters.wire.rejected[.noIdentity, default: 0] >= 1)
            #expect(counters.datagramsShed == 0)
            #expect(client.received.datagrams.isEmpty, "NMEA has no replies")
        }
    }

    /// Teltonika UDP: the ack (length 5, packet id, 0x01, AVL packet id, record count) goes to
    /// the sender only after `accept` returned; a repeated datagram is acked and passed on again.
    @Test func teltonikaDatagramsAreAckedAfterAccept() async throws {
        let sink = GatedSink(open: false)
        try await withServer([.teltonikaUDP], sink: sink) { server in
            let client = try await UDPClient.bind(target: server.boundPort(.teltonikaUDP))
            defer { Task { await client.close() } }
            let datagram = Self.teltonikaDatagram(packetID: 0x0107, avlPacketID: 0x3A, records: 2)
            try await client.send(datagram)
            #expect(await eventually { sink.batches.count == 1 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(client.received.datagrams.isEmpty, "no ack before the batch is durable")
            sink.open()
            let ack: [UInt8] = [0x00, 0x05, 0x01, 0x07, 0x01, 0x3A, 0x02]
            #expect(await eventually { client.received.datagrams.count == 1 })
            #expect(client.received.datagrams == [ack])

            try await client.send(datagram)
            #expect(await eventually { client.received.datagrams.count == 2 })
            #expect(client.received.datagrams == [ack, ack])
            #expect(sink.fixes.count == 4)
            #expect(sink.fixes.allSatisfy { $0.device.rawValue == TCPScenario.imei && $0.source == .teltonika })
            #expect(
                await eventually {
                    let counters = server.counters()[.teltonikaUDP]
                    return counters.acksSent == 2 && counters.fixesAccepted == 4 && counters.datagramsReceived == 2
                })
        }
    }

    /// Acks go to each datagram's own sender.
    @Test func acksGoToEachSender() async throws {
        let sink = GatedSink()
        try await withServer([.teltonikaUDP], sink: sink) { server in
            let port = server.boundPort(.teltonikaUDP)
            let a = try await UDPClient.bind(target: port)
            let b = try await UDPClient.bind(target: port)
            try await a.send(Self.teltonikaDatagram(packetID: 1, avlPacketID: 1, records: 1))
            try await b.send(Self.teltonikaDatagram(packetID: 2, avlPacketID: 2, records: 3))
            #expect(await eventually { a.received.datagrams.count == 1 && b.received.datagrams.count == 1 })
            #expect(a.received.datagrams == [[0x00, 0x05, 0x00, 0x01, 0x01, 0x01, 0x01]])
            #expect(b.received.datagrams == [[0x00, 0x05, 0x00, 0x02, 0x01, 0x02, 0x03]])
            await a.close()
            await b.close()
        }
    }

    /// A refused IMEI gets no ack and its fixes never reach the sink.
    @Test func teltonikaRefusedDeviceGetsNoAck() async throws {
        let sink = GatedSink()
        try await withServer([.teltonikaUDP], sink: sink, configure: { $0.wire.isDeviceAllowed = { _ in false } }) {
            server in
            let client = try await UDPClient.bind(target: server.boundPort(.teltonikaUDP))
            defer { Task { await client.close() } }
            try await client.send(Self.teltonikaDatagram(packetID: 1, avlPacketID: 1, records: 1))
            #expect(await eventually { server.counters()[.teltonikaUDP].datagramsReceived == 1 })
            #expect(server.counters()[.teltonikaUDP].wire.rejected[.teltonikaRefused] == 1)
            try await Task.sleep(for: .milliseconds(100))
            #expect(client.received.datagrams.isEmpty)
            #expect(sink.batches.isEmpty)
        }
    }

    /// With the in-flight and queue bounds reached, datagrams are shed and counted; the queued
    /// ones go to the sink as one batch once the slot frees, and all of them are acked.
    @Test func shedsDatagramsWhenTheSinkFallsBehind() async throws {
        let sink = GatedSink(open: false)
        let configure: (inout IngestConfiguration) -> Void = {
            $0.limits.udpMaxInFlightAccepts = 1
            $0.limits.udpMaxQueuedDatagrams = 2
        }
        try await withServer([.teltonikaUDP], sink: sink, configure: configure) { server in
            let client = try await UDPClient.bind(target: server.boundPort(.teltonikaUDP))
            defer { Task { await client.close() } }
            try await client.send(Self.teltonikaDatagram(packetID: 0, avlPacketID: 0, records: 1))
            #expect(await eventually { sink.batches.count == 1 })
            for id in 1...5 {
                try await client.send(Self.teltonikaDatagram(packetID: UInt16(id), avlPacketID: 0, records: 1))
            }
            #expect(await eventually { server.counters()[.teltonikaUDP].datagramsReceived == 6 })
            #expect(server.counters()[.teltonikaUDP].datagramsShed == 3)
            sink.open()
            #expect(await eventually { client.received.datagrams.count == 3 })
            #expect(sink.batches.map(\.count) == [1, 2])
            #expect(client.received.datagrams.map { $0[3] } == [0, 1, 2], "acks of datagrams 0, 1, 2; 3-5 shed")
        }
    }

    /// Several sockets on one port (`SO_REUSEPORT`) all decode and ack.
    @Test func severalSocketsShareAPort() async throws {
        let sink = GatedSink()
        try await withServer([.teltonikaUDP], sink: sink, configure: { $0.limits.udpSocketsPerListener = 2 }) {
            server in
            let port = server.boundPort(.teltonikaUDP)
            var clients: [UDPClient] = []
            for id in 0..<8 {
                let client = try await UDPClient.bind(target: port)
                try await client.send(Self.teltonikaDatagram(packetID: UInt16(id), avlPacketID: 0, records: 1))
                clients.append(client)
            }
            #expect(await eventually { clients.allSatisfy { $0.received.datagrams.count == 1 } })
            #expect(sink.fixes.count == 8)
            for client in clients { await client.close() }
        }
    }

    /// A failing sink: no ack, the failure reaches the server.
    @Test func failingSinkSendsNoAck() async throws {
        let sink = GatedSink(fails: true)
        let server = IngestServer(configuration: .loopback([.teltonikaUDP]), sink: sink, logger: quietLogger)
        try await server.start()
        let client = try await UDPClient.bind(target: server.boundPort(.teltonikaUDP))
        try await client.send(Self.teltonikaDatagram(packetID: 1, avlPacketID: 1, records: 1))
        #expect(await eventually { server.sinkFailure != nil })
        await server.stop()
        #expect(client.received.datagrams.isEmpty)
        #expect(server.counters()[.teltonikaUDP].sinkFailures == 1)
        await client.close()
    }
}
