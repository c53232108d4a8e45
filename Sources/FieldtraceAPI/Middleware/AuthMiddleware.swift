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
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("a bearer token is required (Authorization: Bearer ft_...)")
        }
        guard let secret = Self.bearerSecret(header) else {
            throw APIError.unauthorized("the Authorization header is not 'Bearer <token>'")
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
