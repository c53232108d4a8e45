import Synchronization

/// Parts other areas hang on `APIServices` without changing its initializer: a webhook
/// dispatcher, a directory cache, ... registered once by whoever builds the services (e.g.
/// `fieldtrace serve`), looked up by type in route handlers. One instance per type.
public final class APIComponents: Sendable {
    private let parts = Mutex<[ObjectIdentifier: any Sendable]>([:])

    public init() {}

    /// Registers (or replaces) the component of type `T`.
    public func set<T: Sendable>(_ component: T) {
        parts.withLock { $0[ObjectIdentifier(T.self)] = component }
    }

    /// The component of type `T`, if registered.
    public func get<T: Sendable>(_ type: T.Type = T.self) -> T? {
        parts.withLock { $0[ObjectIdentifier(T.self)] } as? T
    }

    /// The component of type `T`; `unavailable` (503) when the server was built without it.
    public func require<T: Sendable>(_ type: T.Type = T.self) throws(APIError) -> T {
        guard let part = get(T.self) else { throw APIError.unavailable("\(T.self) is not configured on this server") }
        return part
    }
}
