import FieldtraceWire
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension IngestServer {
    /// Binds a TCP listener: each accepted connection gets an idle timer and a stream handler
    /// with its protocol's decoder, unless it is over the connection caps.
    func bindTCP(_ listener: IngestListener, port: Int) async throws -> any Channel {
        let coordinator = self.coordinator
        let limits = configuration.limits
        let highWater = max(2, limits.maxPendingWriteBytesPerConnection)
        let box = coordinator.counterBox(listener)
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: highWater / 2, high: highWater))
            .childChannelInitializer { channel in
                let ip = channel.remoteAddress?.ipAddress
                if let refusal = coordinator.admit(channel, ip: ip) {
                    var delta = IngestListenerCounters()
                    delta.connectionsRefused = 1
                    box.add(delta)
                    coordinator.logger.debug(
                        "connection refused",
                        metadata: [
                            "wire.protocol": "\(listener)", "peer.address": "\(ip ?? "?")",
                            "ingest.refusal": "\(refusal.rawValue)",
                        ])
                    channel.close(promise: nil)
                    return channel.eventLoop.makeSucceededVoidFuture()
                }
                channel.closeFuture.whenComplete { _ in coordinator.release(channel, ip: ip) }
                return channel.eventLoop.makeCompletedFuture {
                    let peer = channel.remoteAddress.map { "\($0)" } ?? "?"
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(IdleStateHandler(readTimeout: TimeAmount(limits.idleTimeout)))
                    try handlers.addHandler(
                        Self.streamHandler(listener, coordinator: coordinator, ip: ip, peer: peer))
                }
            }
            .bind(host: configuration.host, port: port)
            .get()
    }

    /// Binds a UDP listener: `udpSocketsPerListener` sockets on one port (`SO_REUSEPORT` when
    /// more than one), vectored reads, a datagram handler each.
    func bindUDP(_ listener: IngestListener, port: Int) async throws -> [any Channel] {
        let limits = configuration.limits
        let sockets = max(1, limits.udpSocketsPerListener)
        var channels: [any Channel] = []
        var port = port
        for _ in 0..<sockets {
            let channel = try await udpBootstrap(listener, reusePort: sockets > 1)
                .bind(host: configuration.host, port: port)
                .get()
            coordinator.register(channel)
            let coordinator = self.coordinator
            channel.closeFuture.whenComplete { _ in coordinator.unregister(channel) }
            channels.append(channel)
            if port == 0, let bound = channel.localAddress?.port { port = bound }
        }
        return channels
    }

    private func udpBootstrap(_ listener: IngestListener, reusePort: Bool) -> DatagramBootstrap {
        let limits = configuration.limits
        let coordinator = self.coordinator
        let count = max(1, limits.udpVectorReadCount)
        var bootstrap = DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(clamping: limits.udpReceiveBufferBytes))
            .channelOption(.datagramVectorReadMessageCount, value: count)
            .channelOption(
                .recvAllocator,
                value: FixedSizeRecvByteBufferAllocator(capacity: max(64, limits.udpDatagramMaxBytes) * count))
        if reusePort {
            bootstrap = bootstrap.channelOption(
                .socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
        }
        return bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(Self.datagramHandler(listener, coordinator: coordinator))
            }
        }
    }

    static func streamHandler(
        _ listener: IngestListener, coordinator: IngestCoordinator, ip: String?, peer: String
    ) -> any ChannelHandler {
        switch listener {
        case .nmeaTCP:
            StreamDecoderHandler<NMEADecoder>(listener: listener, coordinator: coordinator, ip: ip, peer: peer)
        case .jt808:
            StreamDecoderHandler<JT808Decoder>(listener: listener, coordinator: coordinator, ip: ip, peer: peer)
        case .teltonikaTCP:
            StreamDecoderHandler<TeltonikaTCPDecoder>(listener: listener, coordinator: coordinator, ip: ip, peer: peer)
        case .gt06:
            StreamDecoderHandler<GT06Decoder>(listener: listener, coordinator: coordinator, ip: ip, peer: peer)
        case .nmeaUDP, .teltonikaUDP:
            preconditionFailure("\(listener) is a UDP listener")
        }
    }

    static func datagramHandler(_ listener: IngestListener, coordinator: IngestCoordinator) -> any ChannelHandler {
        switch listener {
        case .nmeaUDP:
            DatagramDecoderHandler<NMEADatagramDecoder>(listener: listener, coordinator: coordinator)
        case .teltonikaUDP:
            DatagramDecoderHandler<TeltonikaUDPDecoder>(listener: listener, coordinator: coordinator)
        case .nmeaTCP, .jt808, .teltonikaTCP, .gt06:
            preconditionFailure("\(listener) is a TCP listener")
        }
    }
}
