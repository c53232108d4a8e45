import AsyncHTTPClient
import NIOCore

/// One signed webhook POST.
public struct WebhookRequest: Sendable, Hashable {
    public var url: String
    /// Header names and values, in order.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(url: String, headers: [(String, String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.url == b.url && a.body == b.body && a.headers.elementsEqual(b.headers, by: { $0 == $1 })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(url)
        hasher.combine(body)
        for (name, value) in headers {
            hasher.combine(name)
            hasher.combine(value)
        }
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Sends webhook requests: returns the HTTP status, or throws when there was no answer within
/// the timeout (connection refused, reset, timed out, bad URL, …).
public protocol WebhookTransport: Sendable {
    func post(_ request: WebhookRequest, timeout: Duration) async throws -> Int
}

/// The production transport: AsyncHTTPClient, redirects not followed (a webhook URL that
/// redirects is a configuration error, and following it could send signed events elsewhere),
/// the response body read up to `maxResponseBytes` and discarded.
public final class HTTPClientTransport: WebhookTransport {
    let client: HTTPClient
    /// Response bytes read before the rest is dropped (default 64 KiB; receivers should answer
    /// with an empty body, the status is all that counts).
    public let maxResponseBytes: Int

    /// - connectTimeout: time to establish a connection (default 10 s).
    public init(connectTimeout: Duration = .seconds(10), maxResponseBytes: Int = 64 << 10) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .nanoseconds(Int64(connectTimeout.seconds * 1e9)))
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.maxResponseBytes = maxResponseBytes
    }

    public func post(_ request: WebhookRequest, timeout: Duration) async throws -> Int {
        var r = HTTPClientRequest(url: request.url)
        r.method = .POST
        for (name, value) in request.headers { r.headers.add(name: name, value: value) }
        r.body = .bytes(ByteBuffer(bytes: request.body))
        let response = try await client.execute(r, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
        var read = 0
        for try await part in response.body {
            read += part.readableBytes
            if read >= maxResponseBytes { break }
        }
        return Int(response.status.code)
    }

    /// Closes the client's connections; call once, when delivery has stopped.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}
