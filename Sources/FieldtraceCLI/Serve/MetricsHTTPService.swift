import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// `/metrics` (Prometheus text) and `/health` (`ok`, or 503 once the engine failed) over
/// HTTP/1.1, on NIO's HTTP codec: a few requests a minute from a scraper, so one small handler
/// with no framework. Closed when graceful shutdown begins.
final class MetricsHTTPService: Service, Sendable {
    let channel: any Channel
    let logger: Logger

    private init(channel: any Channel, logger: Logger) {
        self.channel = channel
        self.logger = logger
    }

    /// Binds `host:port` (0 = ephemeral) and starts serving at once.
    static func bind(
        host: String, port: Int, metrics: @escaping @Sendable () -> String, healthy: @escaping @Sendable () -> Bool,
        logger: Logger
    ) async throws -> MetricsHTTPService {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHTTPHandler(metrics: metrics, healthy: healthy))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsHTTPService(channel: channel, logger: logger)
    }

    var port: Int? { channel.localAddress?.port }

    func run() async throws {
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

/// Answers one request per message; anything but GET /metrics or /health is a 404.
final class MetricsHTTPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let metrics: @Sendable () -> String
    let healthy: @Sendable () -> Bool

    init(metrics: @escaping @Sendable () -> String, healthy: @escaping @Sendable () -> Bool) {
        self.metrics = metrics
        self.healthy = healthy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        var status = HTTPResponseStatus.ok
        var body: String
        var contentType = "text/plain; charset=utf-8"
        switch (request.method, path) {
        case (.GET, "/metrics"):
            body = metrics()
            contentType = "text/plain; version=0.0.4; charset=utf-8"
        case (.GET, "/health"):
            if healthy() {
                body = "ok\n"
            } else {
                status = .serviceUnavailable
                body = "failed\n"
            }
        default:
            status = .notFound
            body = "not found\n"
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
