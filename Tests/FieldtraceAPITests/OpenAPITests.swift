import FieldtraceAPI
import Hummingbird
import Testing
import Yams

@Suite struct OpenAPITests {
    /// `METHOD /path` pairs of the document: path items are keys indented by 2 spaces under
    /// `paths:`, operations keys indented by 4.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var out: Set<String> = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") {
                inPaths = line == "paths:"
                path = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = String(line.dropFirst(4).dropLast())
                if methods.contains(key) { out.insert("\(key.uppercased()) \(path)") }
            }
        }
        return out
    }

    @Test func documentMatchesTheRouterBothWays() throws {
        let fixture = try APIFixture()
        defer { fixture.close() }
        let routed = Set(fixture.router.routes.map { "\($0.method) \($0.path)" })
        let documented = Self.documentedOperations(OpenAPIDocument.yaml)
        #expect(routed.count >= 10)
        #expect(routed.subtracting(documented).isEmpty, "undocumented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "not routed: \(documented.subtracting(routed).sorted())")
    }

    @Test func parserFindsOperations() {
        let yaml =
            "openapi: 3.1.0\npaths:\n  /a/{id}:\n    parameters: []\n    get:\n      summary: x\n    delete:\n"
            + "      responses: {}\ncomponents:\n  /not:\n    get:\n"
        #expect(Self.documentedOperations(yaml) == ["GET /a/{id}", "DELETE /a/{id}"])
    }

    /// The document as a client reads it: valid YAML whose paths are the documented operations.
    @Test func documentIsValidYAML() throws {
        let loaded = try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any]
        #expect(loaded?["openapi"] as? String == "3.1.0")
        let paths = loaded?["paths"] as? [String: Any] ?? [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        let parsed = Set(
            paths.flatMap { path, item in
                ((item as? [String: Any]) ?? [:]).keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
        #expect(parsed == Self.documentedOperations(OpenAPIDocument.yaml))
    }

    @Test func documentIsServed() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let response = try await client.call(.get, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.text.hasPrefix("openapi: 3.1.0\n"))
            #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
        }
    }
}
