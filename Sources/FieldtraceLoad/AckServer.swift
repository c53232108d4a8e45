import FieldtraceCore
import FieldtraceWire
import NIOCore
import NIOPosix
import Synchronization

/// A minimal receiver for one protocol on loopback: decodes with the Wire decoders and answers
/// at once, with no storage and no durability. Tests check what the generator sends with it;
/// `fieldtrace simulate --listen` measures the generator alone against it.
public final class AckServer: Sendable {
    public struct Options: Sendable {
        /// Keep every decoded fix (tests); otherwise only count.
        public var record = false
        /// TCP: once per device, close the connection without acking when it has delivered this
        /// many fixes (the frame that reaches the count is neither acked nor recorded).
        public var dropConnectionAfterFixes: Int?
        /// UDP: the first this-many datagrams of each device are dropped unanswered (lost).
        public var ignoredDatagramsPerDevice = 0
        /// Devices refused with the protocol's reject.
        public var refusedDevices: Set<String> = []
        public init() {}
    }

    struct State {
        var fixes: [Fix] = []
        var frames = 0
        var fixCount = 0
        var connections = 0
        var drops = 0
        var dropped: Set<DeviceID> = []
        var ignored: [DeviceID: Int] = [:]
        var open: [ObjectIdentifier: any Channel] = [:]
    }

    let options: Options
    let proto: LoadProtocol
    let state = Mutex(State())
    private let channel = Mutex<(any Channel)?>(nil)

    /// The bound port.
    public var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }

    private init(proto: LoadProtocol, options: Options) {
        self.proto = proto
        self.options = options
    }

    /// Listens on `host:port` (0: an ephemeral port) for `proto` over `transport`.
    public static func start(
        _ proto: LoadProtocol, transport: LoadTarget.Transport, host: String = "127.0.0.1", port: Int = 0,
        options: Options = Options(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> AckServer {
        let server = AckServer(proto: proto, options: options)
        let channel: any Channel
        switch transport {
        case .tcp:
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4096)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AckTCPHandler(server))
                    }
                }
                .bind(host: host, port: port).get()
        case .udp:
            channel = try await DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 * 1024 * 1024)
                .channelOption(.datagramVectorReadMessageCount, value: 64)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 64 * 2048))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AckUDPHandler(server))
                    }
                }
                .bind(host: host, port: port).get()
        }
        server.channel.withLock { $0 = channel }
        return server
    }

    /// Stops listening; open TCP connections stay until `closeConnections` or their peers close.
    public func stop() async {
        try? await channel.withLock { $0 }?.close()
    }

    /// Closes every open TCP connection, as the end of a killed server process would.
    public func closeConnections() async {
        let open = state.withLock { $0.open.values }
        for channel in open { try? await channel.close() }
    }

    /// The fixes decoded so far, in arrival order (with `Options.record`).
    public var fixes: [Fix] { state.withLock { $0.fixes } }
    /// Frames, fixes, TCP connections accepted, connections dropped on purpose.
    public var counts: (frames: Int, fixes: Int, connections: Int, drops: Int) {
        state.withLock { ($0.frames, $0.fixCount, $0.connections, $0.drops) }
    }

    func configuration() -> WireConfiguration {
        var c = WireConfiguration()
        let refused = options.refusedDevices
        c.isDeviceAllowed = { !refused.contains($0.rawValue) }
        return c
    }

    func makeDecoder(udp: Bool) -> any WireDecoder {
        let c = configuration()
        switch proto {
        case .nmea: return udp ? NMEADatagramDecoder(configuration: c) : NMEADecoder(configuration: c)
        case .jt808: return JT808Decoder(configuration: c)
        case .teltonika: return udp ? TeltonikaUDPDecoder(configuration: c) : TeltonikaTCPDecoder(configuration: c)
        case .gt06: return GT06Decoder(configuration: c)
        }
    }
}

/// One TCP connection of an `AckServer`.
final class AckTCPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let server: AckServer
    var decoder: any WireDecoder
    var output = WireOutput()
    var delivered = 0
    var frames = 0

    init(_ server: AckServer) {
        self.server = server
        decoder = server.makeDecoder(udp: false)
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        server.state.withLock {
            $0.connections += 1
            $0.open[ObjectIdentifier(channel)] = channel
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let before = output.counters.frames
        buffer.withUnsafeReadableBytes { decoder.consume($0, receivedMs: AckServer.nowMs(), into: &output) }
        defer { output.clearBatch() }
        delivered += output.fixes.count
        if let limit = server.options.dropConnectionAfterFixes, delivered >= limit, let id = decoder.identity,
            server.state.withLock({ $0.dropped.insert(id).inserted })
        {
            server.state.withLock { $0.drops += 1 }
            context.close(promise: nil)
            return
        }
        let frames = Int(output.counters.frames - before)
        server.state.withLock { s in
            s.frames += frames
            s.fixCount += output.fixes.count
            if server.options.record { s.fixes += output.fixes }
        }
        if !output.replyBytes.isEmpty {
            context.writeAndFlush(
                wrapOutboundOut(context.channel.allocator.buffer(bytes: output.replyBytes)), promise: nil)
        }
        if output.shouldClose { context.close(promise: nil) }
    }

    /// The stream ended: a pending NMEA epoch is complete.
    func channelInactive(context: ChannelHandlerContext) {
        let id = ObjectIdentifier(context.channel)
        server.state.withLock { _ = $0.open.removeValue(forKey: id) }
        decoder.finish(into: &output)
        server.state.withLock { s in
            s.fixCount += output.fixes.count
            if server.options.record { s.fixes += output.fixes }
        }
        output.clearBatch()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The UDP socket of an `AckServer`: each datagram decoded alone, replies to its sender.
final class AckUDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let server: AckServer
    var decoder: any WireDecoder
    var output = WireOutput()
    var pendingFrames = 0
    var pendingFixes: [Fix] = []
    var pendingCount = 0
    var needsFlush = false

    init(_ server: AckServer) {
        self.server = server
        decoder = server.makeDecoder(udp: true)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        envelope.data.withUnsafeReadableBytes { decoder.consume($0, receivedMs: AckServer.nowMs(), into: &output) }
        defer { output.clearBatch() }
        if server.options.ignoredDatagramsPerDevice > 0, let id = output.identity {
            let ignore = server.state.withLock { s -> Bool in
                let seen = s.ignored[id, default: 0]
                guard seen < server.options.ignoredDatagramsPerDevice else { return false }
                s.ignored[id] = seen + 1
                return true
            }
            if ignore { return }
        }
        pendingFrames += 1
        pendingCount += output.fixes.count
        if server.options.record { pendingFixes += output.fixes }
        for reply in output.replies {
            let bytes = context.channel.allocator.buffer(bytes: reply)
            context.write(
                wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: bytes)), promise: nil)
            needsFlush = true
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            context.flush()
            needsFlush = false
        }
        let (frames, count, fixes) = (pendingFrames, pendingCount, pendingFixes)
        pendingFrames = 0
        pendingCount = 0
        pendingFixes.removeAll(keepingCapacity: true)
        server.state.withLock { s in
            s.frames += frames
            s.fixCount += count
            if server.options.record { s.fixes += fixes }
        }
    }
}

extension AckServer {
    static func nowMs() -> Int64 { RunPlan.wallClockMs() }
}
