import FieldtraceStore
import Hummingbird
import Logging

/// Writes an audit row (token, tenant, method, path, status, time) for every change (any
/// method but GET, HEAD and OPTIONS) and every read of location data (routes whose permission
/// `readsLocationData`, marked on `context.auditNote`), whatever the outcome. Position posts
/// (`ingest` routes) are telemetry, not changes, and are not audited. The row is
/// written before the response leaves: when it cannot be written the request answers 503
/// instead (for a change, the change may have been made; the client sees a failure and can
/// check).
public struct AuditMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = ErrorMiddleware.apiError(for: error, request: request).status.code
            try await audit(request, context, status: status)
            throw error
        }
        try await audit(request, context, status: response.status.code)
        return response
    }

    func audit(_ request: Request, _ context: Context, status: Int) async throws {
        let isChange = request.method != .get && request.method != .head && request.method != .options
        let note = context.auditNote
        guard (isChange && !note.isTelemetry) || note.readsLocationData, let identity = context.identity else { return }
        let record = AuditRecord(
            timeMs: services.nowMs(), token: identity.tokenID, tenant: identity.tenant,
            method: request.method.rawValue, path: String(request.uri.path.prefix(2048)), status: status)
        do {
            try await services.auditWriter.append(record)
            services.metrics.auditRows.add(1, ordering: .relaxed)
        } catch {
            services.metrics.auditFailures.add(1, ordering: .relaxed)
            services.logger.error("audit row not written", metadata: ["error": "\(error)"])
            throw APIError.unavailable("the audit log cannot be written; the request is refused")
        }
    }
}
