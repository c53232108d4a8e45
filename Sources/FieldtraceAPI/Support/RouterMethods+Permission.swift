import HTTPTypes
import Hummingbird

/// Routes with a permission: the handler runs only for a token whose role grants it (401
/// without a token, 403 otherwise), and gets the caller's `Identity`. Location-reading
/// permissions mark the request for the audit log before the check, so denied attempts are
/// audited too; `ingest` routes are marked as telemetry (not audited). Every `/v1` route is
/// added through these.
extension RouterMethods where Context == APIRequestContext {
    @discardableResult
    public func on(
        _ path: RouterPath, method: HTTPRequest.Method, permission: Permission,
        use handler: @Sendable @escaping (Request, APIRequestContext, Identity) async throws -> some ResponseGenerator
    ) -> Self {
        on(path, method: method) { request, context in
            if permission.readsLocationData { context.auditNote.markLocationRead() }
            if permission == .ingest { context.auditNote.markTelemetry() }
            let identity = try context.require(permission)
            return try await handler(request, context, identity)
        }
    }

    @discardableResult
    public func get(
        _ path: RouterPath = "", permission: Permission,
        use handler: @Sendable @escaping (Request, APIRequestContext, Identity) async throws -> some ResponseGenerator
    ) -> Self { on(path, method: .get, permission: permission, use: handler) }

    @discardableResult
    public func post(
        _ path: RouterPath = "", permission: Permission,
        use handler: @Sendable @escaping (Request, APIRequestContext, Identity) async throws -> some ResponseGenerator
    ) -> Self { on(path, method: .post, permission: permission, use: handler) }

    @discardableResult
    public func put(
        _ path: RouterPath = "", permission: Permission,
        use handler: @Sendable @escaping (Request, APIRequestContext, Identity) async throws -> some ResponseGenerator
    ) -> Self { on(path, method: .put, permission: permission, use: handler) }

    @discardableResult
    public func patch(
        _ path: RouterPath = "", permission: Permission,
        use handler: @Sendable @escaping (Request, APIRequestContext, Identity) async throws -> some ResponseGenerator
    ) -> Self { on(path, method: .patch, permission: permission, use: handler) }

    @discardableResult
    public func delete(
        _ path: RouterPath = "", permission: Permission,
        use handler: @Sendable @escaping (Request, APIRequestContext, Identity) async throws -> some ResponseGenerator
    ) -> Self { on(path, method: .delete, permission: permission, use: handler) }
}
