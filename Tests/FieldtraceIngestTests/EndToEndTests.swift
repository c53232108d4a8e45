import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceEngine
import FieldtraceIngest
import FieldtraceStore
import FieldtraceTestSupport
import FieldtraceWire
import Foundation
import Testing

/// The whole server path on loopback, for every listener: real frames in, the exact acks out,
/// the fixes in the store (once each) and the events in the event log. The ingest server runs
/// with the real engine (`AnalyticsEngine`: WAL, shards, `DeviceAnalytics`) as its sink.
@Suite struct EndToEndTests {
    /// A conversation on one listener and what must come of it.
    struct Case: Sendable, CustomStringConvertible {
        var listener: IngestListener
        /// TCP: the byte stream, in the pieces it is sent in; UDP: one datagram each.
        var sends: [[UInt8]]
        /// TCP: every reply byte, in order; UDP: each reply datagram.
        var replies: [[UInt8]]
        var device: String
        /// Distinct fix times the store must hold afterwards.
        var fixTimes: [Int64]
        var description: String { listener.rawValue }
    }

    static func times(_ fixes: [Fix]) -> [Int64] { fixes.map(\.timeMs) }

    static let cases: [Case] = {
        let nmeaFixes = (0..<4).map { TCPScenario.fix("w-nmea", $0, source: .nmea) }
        let udpFixes = (0..<4).map { TCPScenario.fix("w-udp", $0, source: .nmea) }
        let udp = udpFixes.map { NMEAEncoder.stream([$0], kinds: [.rmc, .gga]) }
        let teltonikaUDPFirst = TeltonikaEncoder.udpDatagram(
            packetID: 0x0107, avlPacketID: 0x3A, imei: TCPScenario.imei, (0..<2).map(TCPScenario.teltonikaRecord))
        let teltonikaUDPSecond = TeltonikaEncoder.udpDatagram(
            packetID: 0x0108, avlPacketID: 0x3B, imei: TCPScenario.imei, (2..<4).map(TCPScenario.teltonikaRecord))
        func tcp(_ s: TCPScenario, times: [Int64]) -> Case {
            Case(
                listener: s.listener, sends: [s.hello, s.data], replies: [s.helloReply + s.dataReply],
                device: s.device, fixTimes: times)
        }
        let teltonikaTimes = (0..<3).map { TCPScenario.teltonikaRecord($0).timestampMs }
        return [
            Case(
                listener: .nmeaTCP, sends: [Array(NMEAEncoder.stream(nmeaFixes, kinds: [.rmc, .gga]))], replies: [],
                device: "w-nmea", fixTimes: times(nmeaFixes)),
            // Reordered, and the third datagram twice: stored once each.
            Case(
                listener: .nmeaUDP, sends: [udp[0], udp[2], udp[1], udp[2], udp[3]], replies: [], device: "w-udp",
                fixTimes: times(udpFixes)),
            tcp(TCPScenario.teltonika, times: teltonikaTimes),
            // A repeated datagram is acked again and stored once.
            Case(
                listener: .teltonikaUDP, sends: [teltonikaUDPFirst, teltonikaUDPSecond, teltonikaUDPFirst],
                replies: [
                    [0x00, 0x05, 0x01, 0x07, 0x01, 0x3A, 0x02], [0x00, 0x05, 0x01, 0x08, 0x01, 0x3B, 0x02],
                    [0x00, 0x05, 0x01, 0x07, 0x01, 0x3A, 0x02],
                ], device: TCPScenario.imei, fixTimes: (0..<4).map { TCPScenario.teltonikaRecord($0).timestampMs }),
            tcp(TCPScenario.gt06, times: (0..<2).map { TCPScenario.fix(TCPScenario.imei, $0, source: .gt06).timeMs }),
            tcp(
                TCPScenario.jt808, times: (0..<4).map { TCPScenario.fix(TCPScenario.phone, $0, source: .jt808).timeMs }),
        ]
    }()

    /// Circles of 2 km around where the scenarios' fixes are (Shanghai, Berlin), entered at the
    /// first fix: no dwell and one vote, so a few fixes make a visit.
    static func setup() -> AnalyticsSetup {
        var configuration = AnalyticsConfiguration()
        configuration.geofences.enterDwellS = 0
        configuration.geofences.minimumVotes = 1
        configuration.sanity.maxAgeMs = nil  // the frames carry fixed times from 2025
        let fences = [
            Geofence(
                id: "shanghai",
                shape: .circle(center: GeoPosition(longitude: 121.473701, latitude: 31.230416), radiusM: 2000)),
            Geofence(
                id: "berlin",
                shape: .circle(center: GeoPosition(longitude: 13.404954, latitude: 52.5200066), radiusM: 2000)),
        ]
        return AnalyticsSetup(configuration: configuration, fences: fences)
    }

    @Test(arguments: cases)
    func framesBecomeAcksStoredFixesAndEvents(_ c: Case) async throws {
        let directory = NSTemporaryDirectory() + "fieldtrace-e2e-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try TrackStore(directory: directory)
        let log = try EventLog(catalog: store.catalog)
        let setup = Self.setup()
        let engine = AnalyticsEngine(
            store: store, eventLog: log, configuration: EngineConfiguration(shardCount: 2), nowMs: WallClock.nowMs,
            profile: { _ in DeviceProfile(tenant: "t1", setup: setup) })
        engine.start()
        let server = IngestServer(
            configuration: .loopback([c.listener]), sink: engine, logger: quietLogger)
        try await server.start()

        let port = server.boundPort(c.listener)
        switch c.listener.transport {
        case .tcp:
            let client = try await TCPClient.connect(port: port)
            for piece in c.sends { try await client.send(piece) }
            let expected = c.replies.flatMap { $0 }
            if !expected.isEmpty {
                #expect(await client.waitForBytes(expected.count) == expected, "exact acks after durability")
            }
            // NMEA's last epoch is complete only when the stream ends.
            if c.listener == .nmeaTCP { await client.close() }
            #expect(
                await eventually { server.counters()[c.listener].fixesAccepted >= c.fixTimes.count },
                "every fix reached the engine")
            await client.close()
        case .udp:
            let client = try await UDPClient.bind(target: port)
            for datagram in c.sends { try await client.send(datagram) }
            if !c.replies.isEmpty {
                #expect(await eventually { client.received.datagrams.count >= c.replies.count })
                #expect(client.received.datagrams == c.replies, "one exact ack per datagram, after durability")
            }
            #expect(await eventually { server.counters()[c.listener].datagramsReceived == c.sends.count })
            #expect(await eventually { server.counters()[c.listener].fixesAccepted >= c.fixTimes.count })
            await client.close()
        }
        await server.stop()
        try await engine.shutdown()  // drains the shards, writes events, seals segments

        let device = try #require(DeviceID(c.device))
        let stored = try store.replay(device: device)
        #expect(stored.map(\.timeMs) == c.fixTimes.sorted(), "each fix stored once, in time order")
        #expect(try store.catalog.segments(device: device, level: 0).count >= 1, "sealed into a segment")
        #expect(try store.verify().isClean)

        let events = try log.read(after: 0, limit: 1000).filter { $0.device == device }
        let kinds = events.map(\.kind.rawValue)
        #expect(kinds.first == "device.online", "\(kinds)")
        let fence = c.device == TCPScenario.imei && c.listener != .gt06 ? "berlin" : "shanghai"
        #expect(
            events.contains { $0.kind.rawValue == "geofence.enter" && $0.subject == fence },
            "entered \(fence): \(kinds)")
        #expect(events.allSatisfy { $0.tenant == "t1" })
        try store.close()
    }
}
