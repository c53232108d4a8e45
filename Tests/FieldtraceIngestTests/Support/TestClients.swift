import NIOCore
import NIOPosix
import Synchronization

/// Polls `condition` every 5 ms until it holds or `timeout` passed (a generous bound, not a
/// timing assertion). Returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// What a test client received, shared between its NIO handler and the test.
final class Received: Sendable {
    private let state = Mutex<(bytes: [UInt8], datagrams: [[UInt8]], closed: Bool)>(([], [], false))

    func append(_ bytes: [UInt8]) { state.withLock { $0.bytes += bytes } }
    func appendDatagram(_ bytes: [UInt8]) { state.withLock { $0.datagrams.append(bytes) } }
    func markClosed() { state.withLock { $0.closed = true } }

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var datagrams: [[UInt8]] { state.withLock { $0.datagrams } }
    var isClosed: Bool { state.withLock { $0.closed } }
}

/// Collects a TCP client's inbound bytes and notices the close.
final class StreamCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let received: Received
    init(_ received: Received) { self.received = received }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    func channelInactive(context: ChannelHandlerContext) {
        received.markClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A TCP tracker stand-in on loopback.
struct TCPClient {
    let channel: any Channel
    let received: Received

    static func connect(port: Int) async throws -> TCPClient {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StreamCollector(received))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return TCPClient(channel: channel, received: received)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Waits until at least `count` bytes arrived; returns all received bytes.
    func waitForBytes(_ count: Int) async -> [UInt8] {
        _ = await eventually { received.bytes.count >= count }
        return received.bytes
    }

    func waitForClose() async -> Bool { await eventually { received.isClosed } }

    func close() async {
        try? await channel.close()
    }
}

/// Collects a UDP client's datagrams.
final class DatagramCollector: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let received: Received
    init(_ received: Received) { self.received = received }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data).data
        received.appendDatagram(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }
}

/// A UDP tracker stand-in on loopback, bound to its own ephemeral port.
struct UDPClient {
    let channel: any Channel
    let received: Received
    let target: SocketAddress

    static func bind(target port: Int) async throws -> UDPClient {
        let received = Received()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramCollector(received))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return UDPClient(
            channel: channel, received: received, target: try SocketAddress(ipAddress: "127.0.0.1", port: port))
    }

    /// Sends one datagram, then pauses a little: loopback drops bursts beyond the receive
    /// buffer on a loaded machine (toolchain notes).
    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: bytes))).get()
        try await Task.sleep(for: .milliseconds(10))
    }

    func close() async {
        try? await channel.close()
    }
}
