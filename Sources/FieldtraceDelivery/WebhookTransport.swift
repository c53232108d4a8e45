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
        let deadline = ContinuousClock.now + timeout
        let response = try await client.execute(r, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
        // The status is the answer. The body is read (so the connection can be reused) up to
        // `maxResponseBytes` and until the same deadline, so a receiver that stalls after the
        // head cannot hold the worker; whatever is not read is dropped with the connection.
        let limit = maxResponseBytes
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var read = 0
                do {
                    for try await part in response.body {
                        read += part.readableBytes
                        if read >= limit { break }
                    }
                } catch {}
            }
            group.addTask { try? await Task.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
        return Int(response.status.code)
    }

    /// Closes the client's connections; call once, when delivery has stopped.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}
