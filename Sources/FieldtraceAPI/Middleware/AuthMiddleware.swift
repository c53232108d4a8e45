import FieldtraceStore
import Hummingbird

/// Bearer-token authentication for `/v1`: `Authorization: Bearer ft_...`. The secret's
/// SHA-256 is looked up (one indexed read); a missing, malformed, unknown, expired or revoked
/// token answers 401 (the same message for unknown, expired and revoked, so probing learns
/// nothing). Sets `context.identity`.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let secret: String
        if let header = request.headers[.authorization] {
            guard let bearer = Self.bearerSecret(header) else {
                throw APIError.unauthorized("the Authorization header is not 'Bearer <token>'")
            }
            secret = bearer
        } else if let query = Self.streamQuerySecret(request) {
            secret = query
        } else {
            throw APIError.unauthorized("a bearer token is required (Authorization: Bearer ft_...)")
        }
        guard let token = try await services.access.token(secretHash: Secrets.sha256Hex(secret)),
            token.isActive(atMs: services.nowMs()), let role = Role(rawValue: token.role)
        else {
            throw APIError.unauthorized("the token is unknown, expired or revoked")
        }
        var context = context
        context.identity = Identity(tokenID: token.id, tenant: token.tenant, role: role, groupScope: token.group)
        return try await next(request, context)
    }

    /// `?access_token=` on a `GET .../stream` request: browsers' EventSource cannot send
    /// headers, so the server-sent event streams also take the token in the query (only
    /// there: a token in a URL can end up in logs, so no other route accepts it).
    static func streamQuerySecret(_ request: Request) -> String? {
        guard request.method == .get, request.uri.path.hasSuffix("/stream"),
            let value = request.uri.queryParameters["access_token"], !value.isEmpty, value.utf8.count <= 256
        else { return nil }
        return String(value)
    }

    /// The secret of `Bearer <secret>` (scheme case-insensitive); nil when malformed or longer
    /// than 256 bytes (real secrets are 67).
    static func bearerSecret(_ header: String) -> String? {
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].utf8.count <= 256 else { return nil }
        return String(parts[1])
    }
}

/// Per-token rate limit (token bucket, `APIConfiguration.rateLimitPerSecond` / `rateLimitBurst`):
/// 429 with `Retry-After` (whole seconds) when the bucket is empty. Runs after authentication.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let identity = context.identity,
            let wait = services.rateLimiter.take(identity.tokenID, nowMs: services.nowMs())
        {
            services.metrics.rateLimited.add(1, ordering: .relaxed)
            throw APIError(
                .rateLimited, "rate limit of \(services.rateLimiter.perSecond) requests/s exceeded; retry in \(wait) s",
                headers: [.retryAfter: "\(wait)"])
        }
        return try await next(request, context)
    }
}
