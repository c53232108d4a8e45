import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP server for webhook tests: records every request, answers as `script` says for the
/// n-th request (0-based): a status, or no answer at all (the client times out).
final class TestReceiver: Sendable {
    enum Answer: Sendable {
        case status(Int)
        case hang
    }

    struct Received: Sendable {
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    let script: @Sendable (Int) -> Answer
    let received = Mutex<[Received]>([])
    let channel: any Channel

    var url: String { "http://127.0.0.1:\(channel.localAddress!.port!)/hook" }
    var requests: [Received] { received.withLock { $0 } }

    init(script: @escaping @Sendable (Int) -> Answer) async throws {
        self.script = script
        let box = Mutex<TestReceiver?>(nil)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(receiver: { box.withLock { $0! } }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        box.withLock { $0 = self }
    }

    func close() async throws { try await channel.close() }

    /// Records a request and says how to answer it.
    func record(_ request: Received) -> Answer {
        let n = received.withLock { r -> Int in
            r.append(request)
            return r.count - 1
        }
        return script(n)
    }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let receiver: @Sendable () -> TestReceiver
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(receiver: @escaping @Sendable () -> TestReceiver) { self.receiver = receiver }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(var buffer):
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                let headers = head?.headers.map { ($0.name, $0.value) } ?? []
                switch receiver().record(Received(headers: headers, body: body)) {
                case .hang:
                    break
                case .status(let code):
                    var h = HTTPHeaders()
                    h.add(name: "Content-Length", value: "0")
                    let response = HTTPResponseHead(
                        version: .http1_1, status: HTTPResponseStatus(statusCode: code), headers: h)
                    context.write(wrapOutboundOut(.head(response)), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }
}
