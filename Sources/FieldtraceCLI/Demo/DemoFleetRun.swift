import FieldtraceCore
import FieldtraceIngest
import FieldtraceStore
import FieldtraceTestSupport
import NIOCore
import NIOPosix
import Synchronization

/// Drives the demo workers over the wire against a running server: each TCP worker keeps one
/// connection (Teltonika, JT/T 808, GT06: login, then one frame in flight, resent after a
/// reconnect until acked), NMEA workers send datagrams from one UDP socket.
struct DemoFleetRun {
    var host: String
    var ports: [DemoFleet.Wire: Int]
    var speed: Double
    var workers: Int
    var seed: UInt64
    /// Real seconds to run; 0 = until stopped.
    var durationSeconds: Double
    /// Real seconds between progress lines.
    var progressSeconds: Double
    /// Per worker index, the newest fix the server already stored (a previous run on the data).
    var resumeAfterMs: [Int: Int64] = [:]
    /// How often each tracker looks for due fixes, ms of real time: 250 ms is 10 s of
    /// simulated time at 40x, two fixes of a 5 s tracker per look.
    static let pollMs: Int64 = 250
    /// Most fixes queued per tracker at once (a backlog at high speed goes out in frames of
    /// at most 25 as fast as acks come back).
    static let queueLimit = 500

    let counters = DemoCounters()

    func run(clock: DemoClock, zone: GroupTimeZone, print: @escaping @Sendable (String) -> Void) async throws {
        let fleet = DemoFleet(seed: seed)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await drive(fleet: fleet, clock: clock, zone: zone, group: group, print: print)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try? await group.shutdownGracefully()
    }

    func drive(
        fleet: DemoFleet, clock: DemoClock, zone: GroupTimeZone, group: MultiThreadedEventLoopGroup,
        print: @escaping @Sendable (String) -> Void
    ) async throws {
        let chosen = Array(fleet.workers.prefix(workers))
        var udp: (Channel, SocketAddress)?
        if chosen.contains(where: { $0.wire == .nmea }), let port = ports[.nmea] {
            let channel = try await DatagramBootstrap(group: group).bind(host: "0.0.0.0", port: 0).get()
            udp = (channel, try SocketAddress.makeAddressResolvingHost(host, port: port))
        }
        let stopAtMs = durationSeconds > 0 ? clock.realStartMs + Int64(durationSeconds * 1000) : Int64.max
        let latest = LatestTime()
        await withTaskGroup(of: Void.self) { tasks in
            for worker in chosen {
                guard let port = ports[worker.wire] else { continue }
                let udpLink = udp
                tasks.addTask {
                    let tracker = DemoTracker(
                        worker: worker, fleet: fleet, clock: clock, resumeAfterMs: resumeAfterMs[worker.index])
                    if worker.wire == .nmea {
                        guard let (channel, remote) = udpLink else { return }
                        await runUDP(tracker, channel: channel, remote: remote, stopAtMs: stopAtMs, latest: latest)
                    } else {
                        await runTCP(tracker, group: group, port: port, stopAtMs: stopAtMs, latest: latest)
                    }
                }
            }
            tasks.addTask {
                while WallClock.nowMs() < stopAtMs {
                    let waitMs = min(Int64(progressSeconds * 1000), stopAtMs - WallClock.nowMs())
                    try? await Task.sleep(for: .milliseconds(max(1, waitMs)))
                    guard !Task.isCancelled else { return }
                    print(progressLine(latest.value, zone: zone, tcpWorkers: chosen.filter { $0.wire != .nmea }.count))
                }
            }
        }
        if let (channel, _) = udp { try? await channel.close() }
    }

    func progressLine(_ simulatedMs: Int64?, zone: GroupTimeZone, tcpWorkers: Int) -> String {
        let clockText = simulatedMs.map { DemoClock.localClock($0, zone: zone) } ?? "--:--"
        return "demo fleet: simulated \(clockText) local, " + totals()
            + ", \(counters.connected.load(ordering: .relaxed)) of \(tcpWorkers) TCP trackers connected" + problems()
    }

    /// Fixes acked and sent: `31,200 fixes acked, 7,800 sent over UDP`.
    func totals() -> String {
        "\(Self.grouped(counters.acked.load(ordering: .relaxed))) fixes acked, "
            + "\(Self.grouped(counters.sentUDP.load(ordering: .relaxed))) sent over UDP"
    }

    /// Refusals and reconnects, if any (`, 2 refused, 3 reconnects (last: ...)`).
    func problems() -> String {
        var line = ""
        let refused = counters.refused.load(ordering: .relaxed)
        if refused > 0 { line += ", \(refused) refused" }
        let reconnects = counters.reconnects.load(ordering: .relaxed)
        if reconnects > 0 {
            line += ", \(reconnects) reconnects (last: \(counters.lastError.withLock { $0 } ?? "?"))"
        }
        return line
    }

    /// 31200 → "31,200".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    func runTCP(
        _ tracker: DemoTracker, group: MultiThreadedEventLoopGroup, port: Int, stopAtMs: Int64, latest: LatestTime
    ) async {
        var backoffMs: Int64 = 1000
        let wire = tracker.worker.wire
        let id = tracker.worker.deviceID
        let terminal = tracker.worker.index
        while WallClock.nowMs() < stopAtMs, !Task.isCancelled {
            do {
                let channel = try await ClientBootstrap(group: group)
                    .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                    .connectTimeout(.seconds(5))
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
                try await channel.executeThenClose { inbound, outbound in
                    var session = DemoSession(
                        wire: wire, id: id, terminal: terminal, channel: channel.channel, inbound: inbound,
                        outbound: outbound)
                    try await session.login()
                    counters.connected.add(1, ordering: .relaxed)
                    defer { counters.connected.subtract(1, ordering: .relaxed) }
                    backoffMs = 1000
                    while WallClock.nowMs() < stopAtMs, !Task.isCancelled {
                        tracker.collect(realMs: WallClock.nowMs(), limit: Self.queueLimit)
                        latest.update(tracker.lastHandedOutMs)
                        guard !tracker.queue.isEmpty else {
                            try await Task.sleep(for: .milliseconds(Self.pollMs))
                            continue
                        }
                        let n = min(tracker.queue.count, DemoFrames.maxFixesPerFrame(wire))
                        let acked = try await session.deliver(tracker.queue[0..<n])
                        tracker.queue.removeFirst(acked)
                        counters.acked.add(acked, ordering: .relaxed)
                    }
                }
            } catch let refused as DemoRefused {
                counters.refused.add(1, ordering: .relaxed)
                counters.lastError.withLock { $0 = refused.description }
                return
            } catch is CancellationError {
                return
            } catch {
                counters.fail("\(id): \(error)")
                try? await Task.sleep(for: .milliseconds(backoffMs))
                backoffMs = min(backoffMs * 2, 10_000)
            }
        }
    }

    /// NMEA epochs per datagram: 8 epochs of RMC + GGA (about 1.2 KB) stay under one Ethernet
    /// MTU; a tracker that buffered several fixes sends them together, in order.
    static let nmeaEpochsPerDatagram = 8
    /// Real ms between two datagrams of one NMEA tracker: a tracker sends at most 4 a second.
    /// UDP has no acks, so nothing else keeps a tracker's datagrams apart, and the server accepts
    /// up to 4 datagrams concurrently (`IngestLimits.udpMaxInFlightAccepts`): two of one device
    /// in flight together may be stored in either order, and a fix more than the engine's reorder
    /// window (3 s) behind its predecessor goes the late-data way (late events, corrections).
    /// 250 ms carries 8 epochs, 40 s of fixes at 5 s: 160x, more than the demo's 40x.
    static let nmeaSpacingMs = 250

    func runUDP(
        _ tracker: DemoTracker, channel: Channel, remote: SocketAddress, stopAtMs: Int64, latest: LatestTime
    ) async {
        let id = tracker.worker.deviceID
        while WallClock.nowMs() < stopAtMs, !Task.isCancelled {
            tracker.collect(realMs: WallClock.nowMs(), limit: Self.queueLimit)
            latest.update(tracker.lastHandedOutMs)
            if tracker.queue.isEmpty {
                try? await Task.sleep(for: .milliseconds(Self.pollMs))
                continue
            }
            let n = min(tracker.queue.count, Self.nmeaEpochsPerDatagram)
            let datagram = ByteBuffer(bytes: DemoFrames.nmeaDatagram(tracker.queue[0..<n], id: id))
            tracker.queue.removeFirst(n)
            do {
                try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: datagram))
                counters.sentUDP.add(n, ordering: .relaxed)
            } catch {
                counters.fail("\(id): \(error)")
            }
            try? await Task.sleep(for: .milliseconds(Self.nmeaSpacingMs))
        }
    }
}

/// The newest simulated time handed out by any tracker (for progress lines).
final class LatestTime: Sendable {
    private let ms = Atomic<Int64>(Int64.min)
    func update(_ value: Int64?) {
        guard let value else { return }
        _ = ms.max(value, ordering: .relaxed)
    }
    var value: Int64? {
        let v = ms.load(ordering: .relaxed)
        return v == Int64.min ? nil : v
    }
}
