import FieldtraceTestSupport
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a run could not start.
public enum LoadError: Error, CustomStringConvertible {
    case invalid([String])
    case unreachable(LoadTarget, String)

    public var description: String {
        switch self {
        case .invalid(let problems): "invalid load configuration: " + problems.joined(separator: "; ")
        case .unreachable(let target, let reason): "target \(target) unreachable: \(reason)"
        }
    }
}

/// Drives simulated trackers against a server in real time (see `LoadProtocol` for what each
/// protocol sends and `LoadConfiguration` for the knobs).
///
/// ```swift
/// let report = try await LoadGenerator.run(configuration)
/// for line in report.lines() { print(line) }
/// ```
/// Devices are spread over event loops (one per core by default), each owning its devices'
/// state; the schedule runs on the monotonic clock, fix times on the wall clock.
public enum LoadGenerator {
    public static func run(
        _ configuration: LoadConfiguration, progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> LoadReport {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw LoadError.invalid(problems) }
        let c = configuration
        let host = c.target.host == "localhost" ? "127.0.0.1" : c.target.host
        var addresses = [SocketAddress?](repeating: nil, count: LoadProtocol.allCases.count)
        for (position, p) in c.protocols.enumerated() {
            do {
                addresses[p.ordinal] = try SocketAddress.makeAddressResolvingHost(
                    host, port: c.target.port(for: p, position: position))
            } catch {
                throw LoadError.unreachable(c.target, "cannot resolve \(host): \(error)")
            }
        }
        let loops = max(1, min(c.eventLoops ?? System.coreCount, c.devices))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: loops)
        do {
            let report = try await run(c, addresses: addresses, group: group, loops: loops, progress: progress)
            try? await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    static func run(
        _ c: LoadConfiguration, addresses: [SocketAddress?], group: MultiThreadedEventLoopGroup, loops: Int,
        progress: (@Sendable (String) -> Void)?
    ) async throws -> LoadReport {
        var plan = RunPlan(c, addresses: addresses)
        for address in plan.distinctAddresses { try await probe(c.target, address, group: group) }
        let ledger = try c.ledgerPath.map { try LedgerFile(path: $0) }
        let socketsPerAddress = max(1, c.udpSockets / (loops * plan.distinctAddresses.count))
        let devices = makeDevices(plan, loops: loops, udpSocketsPerAddress: socketsPerAddress)
        // One shard per loop: shard s lives on loop s.
        var loopList: [any EventLoop] = []
        for loop in group.makeIterator() { loopList.append(loop) }
        let pinned = (0..<loops).map { s in
            LoadShard(loop: loopList[s % loopList.count], index: s, plan: plan, devices: devices[s], ledger: ledger)
        }
        try await EventLoopFuture.andAllSucceed(
            pinned.map { shard in shard.loop.submit { shard.prepare() } }, on: group.any()
        ).get()
        if c.target.transport == .udp {
            try await EventLoopFuture.andAllSucceed(
                pinned.map { shard in shard.loop.flatSubmit { shard.openUDP(socketsPerAddress: socketsPerAddress) } },
                on: group.any()
            ).get()
        }
        plan.startNs = NIODeadline.now().uptimeNanoseconds + 50_000_000
        plan.startMs = RunPlan.wallClockMs() + 50
        let started = plan
        let tickUs = max(1000, min(10_000, plan.intervalUs / 2))
        for shard in pinned {
            shard.loop.execute { shard.start(started, tick: .microseconds(tickUs)) }
        }
        let reporter = progress.map { report in
            Task {
                let interval = c.progressIntervalSeconds ?? 5
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                    guard !Task.isCancelled else { break }
                    if let snapshot = try? await collect(pinned, c, plan: started, cpu: false) {
                        report("progress " + snapshot.lines().last!)
                    }
                }
            }
        }
        try await EventLoopFuture.andAllSucceed(pinned.map { $0.finished.futureResult }, on: group.any()).get()
        reporter?.cancel()
        return try await collect(pinned, c, plan: started, cpu: true)
    }

    /// Merges the shards' counters (read on their loops).
    static func collect(_ shards: [LoadShard], _ c: LoadConfiguration, plan: RunPlan, cpu: Bool) async throws
        -> LoadReport
    {
        var counters = [LoadCounters](repeating: LoadCounters(), count: LoadProtocol.allCases.count)
        var latency = [LatencyHistogram](repeating: LatencyHistogram(), count: LoadProtocol.allCases.count)
        for shard in shards {
            let (sc, sl) = try await shard.loop.submit { (shard.counters, shard.latency) }.get()
            for p in 0..<counters.count {
                counters[p].merge(sc[p])
                latency[p].merge(sl[p])
            }
        }
        var parts: [LoadReport.Part] = []
        for p in c.protocols where !parts.contains(where: { $0.proto == p }) {
            let devices = (0..<c.devices).filter { c.protocols[$0 % c.protocols.count] == p }.count
            parts.append(.init(proto: p, devices: devices, counters: counters[p.ordinal], latency: latency[p.ordinal]))
        }
        return LoadReport(
            configuration: c, parts: parts, elapsedSeconds: Double(max(0, plan.nowUs())) / 1e6,
            cpuSeconds: cpu ? processCPUSeconds() : 0)
    }

    /// The devices of each shard.
    /// Device `k` goes to shard `k % loops`; over UDP it uses one of its shard's
    /// `udpSocketsPerAddress` sockets connected to its protocol's address.
    static func makeDevices(_ plan: RunPlan, loops: Int, udpSocketsPerAddress: Int) -> [[SimulatedDevice]] {
        let c = plan.configuration
        let offline = offlineWindows(c, durationUs: plan.durationUs)
        let groups = plan.distinctAddresses
        var shards = [[SimulatedDevice]](repeating: [], count: loops)
        for k in 0..<c.devices {
            let s = k % loops
            let p = c.protocols[k % c.protocols.count]
            let phase = Int64(k) * plan.intervalUs / Int64(c.devices)
            let group = groups.firstIndex(of: plan.address(p))!
            shards[s].append(
                SimulatedDevice(
                    proto: p, globalIndex: c.firstDevice + k, phaseUs: phase,
                    fixCount: plan.fixCount(phaseUs: phase), offline: offline[k],
                    udpSocket: group * udpSocketsPerAddress + (k / loops) % udpSocketsPerAddress))
        }
        return shards
    }

    /// `round(share x devices)` devices chosen by a seeded shuffle get one offline window each:
    /// starting 10-40 % into the run, lasting 20-40 % of it.
    static func offlineWindows(_ c: LoadConfiguration, durationUs: Int64) -> [Range<Int64>?] {
        var windows = [Range<Int64>?](repeating: nil, count: c.devices)
        let count = Int((c.offlineShare * Double(c.devices)).rounded())
        guard count > 0 else { return windows }
        var rng = SeededRandom(seed: c.seed ^ 0x0FF1_11E5)
        var order = Array(0..<c.devices)
        order.shuffle(using: &rng)
        for k in order.prefix(count) {
            let u1 = Double(rng.next() >> 11) / Double(1 << 53)
            let u2 = Double(rng.next() >> 11) / Double(1 << 53)
            let start = Int64(Double(durationUs) * (0.1 + 0.3 * u1))
            let length = max(1, Int64(Double(durationUs) * (0.2 + 0.2 * u2)))
            windows[k] = start..<(start + length)
        }
        return windows
    }

    /// Fails when nothing listens at the target: a TCP connect, or for UDP an empty datagram on
    /// a connected socket followed by a look for the ICMP "port unreachable" (ECONNREFUSED).
    /// A live UDP server sees one empty datagram.
    static func probe(_ target: LoadTarget, _ address: SocketAddress, group: any EventLoopGroup) async throws {
        switch target.transport {
        case .tcp:
            do {
                let channel = try await ClientBootstrap(group: group).connectTimeout(.seconds(3))
                    .connect(to: address).get()
                try? await channel.close()
            } catch {
                throw LoadError.unreachable(target, "\(error)")
            }
        case .udp:
            let refused = ProbeHandler.Box()
            let channel = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ProbeHandler(refused))
                    }
                }
                .connect(to: address).get()
            var sawRefusal = false
            for _ in 0..<3 {
                do {
                    try await channel.writeAndFlush(ByteBuffer()).get()
                } catch let error as IOError {
                    if error.errnoCode == ECONNREFUSED { sawRefusal = true }
                }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            if try await channel.eventLoop.submit({ refused.value }).get() { sawRefusal = true }
            try? await channel.close()
            if sawRefusal { throw LoadError.unreachable(target, "port unreachable (ECONNREFUSED)") }
        }
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// Notes an ECONNREFUSED on the probe socket.
final class ProbeHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    final class Box: @unchecked Sendable {
        var value = false
    }

    let box: Box
    init(_ box: Box) { self.box = box }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { box.value = true }
    }
}
