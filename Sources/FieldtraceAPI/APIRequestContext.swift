import Hummingbird
import Synchronization

/// The request context of every API route: Hummingbird's core storage, the authenticated
/// identity (set by `AuthMiddleware`; nil on the open routes `/health`, `/ready`, `/metrics`,
/// `/openapi.yaml` and on the OsmAnd port), the body cap, and the audit note.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` before any `/v1` handler runs.
    public var identity: Identity?
    /// Largest request body read, bytes (`APIConfiguration.maxBodyBytes`, set by
    /// `BodyLimitMiddleware`); Hummingbird's own decoding honours it too.
    public var maxUploadSize: Int
    /// Shared with the audit middleware: routes mark location reads here.
    public let auditNote: AuditNote

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        maxUploadSize = APIConfiguration.defaultMaxBodyBytes
        auditNote = AuditNote()
    }

    /// The caller's identity, or 401.
    public func requireIdentity() throws(APIError) -> Identity {
        guard let identity else { throw APIError.unauthorized("a bearer token is required") }
        return identity
    }

    /// The caller's identity if its role grants `permission`; 401 without a token, 403 with
    /// one whose role lacks it.
    public func require(_ permission: Permission) throws(APIError) -> Identity {
        let identity = try requireIdentity()
        guard identity.role.allows(permission) else {
            throw APIError.forbidden("role \(identity.role.rawValue) lacks \(permission.rawValue)")
        }
        return identity
    }
}

/// What a request did that the audit middleware must know after the handler returned: a
/// reference shared by every copy of the request's context.
public final class AuditNote: Sendable {
    private let locationRead = Atomic<Bool>(false)
    private let telemetry = Atomic<Bool>(false)

    public init() {}

    /// The request reads location data (set before the permission check, so denied attempts
    /// are audited too).
    public func markLocationRead() { locationRead.store(true, ordering: .relaxed) }
    public var readsLocationData: Bool { locationRead.load(ordering: .relaxed) }

    /// The request posts telemetry (positions): data coming in, not a change of the tenant's
    /// setup, so not audited whatever its method; otherwise every phone's post every few
    /// seconds would be an audit row.
    public func markTelemetry() { telemetry.store(true, ordering: .relaxed) }
    public var isTelemetry: Bool { telemetry.load(ordering: .relaxed) }
}
