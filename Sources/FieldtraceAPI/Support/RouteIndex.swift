import Hummingbird
import Synchronization

/// The router's path templates and their methods, to tell "no such path" (404) from "path
/// exists, method not supported" (405 with `Allow`). Filled once the routes are added; a
/// lookup is O(routes x segments), paid only on a request that matched no route.
public final class RouteIndex: Sendable {
    struct Template {
        /// nil = a capture (`{id}`) matching any one segment.
        var segments: [String?]
        /// `**` at the end: matches any remaining segments.
        var matchesRest: Bool
        var methods: Set<String>
    }

    private let templates = Mutex<[Template]>([])

    public init() {}

    /// Records every route of `router`.
    public func load(_ router: Router<APIRequestContext>) {
        var byPath: [String: Template] = [:]
        for route in router.routes {
            let path = route.path.description
            var template = byPath[path] ?? Self.template(path)
            template.methods.insert(route.method.rawValue)
            byPath[path] = template
        }
        templates.withLock { $0 = Array(byPath.values) }
    }

    static func template(_ path: String) -> Template {
        var parts = path.split(separator: "/").map(String.init)
        let rest = parts.last == "**"
        if rest { parts.removeLast() }
        let segments: [String?] = parts.map { $0.hasPrefix("{") && $0.hasSuffix("}") || $0 == "*" ? nil : $0 }
        return Template(segments: segments, matchesRest: rest, methods: [])
    }

    /// The methods routed for a concrete path, sorted; empty when no template matches it.
    public func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/")
        return templates.withLock { templates in
            var out: Set<String> = []
            for t in templates {
                guard t.matchesRest ? parts.count >= t.segments.count : parts.count == t.segments.count else {
                    continue
                }
                if zip(t.segments, parts).allSatisfy({ segment, part in segment == nil || segment! == part }) {
                    out.formUnion(t.methods)
                }
            }
            return out.sorted()
        }
    }
}
