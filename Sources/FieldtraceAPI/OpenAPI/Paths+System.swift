extension OpenAPIDocument {
    // MARK: system (helper api): no token
    static let systemPaths = """
          /health:
            get:
              summary: Liveness (503 once the engine failed).
              security: []
              responses:
                "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
                "503": {$ref: "#/components/responses/Error"}
          /ready:
            get:
              summary: Readiness (503 while requests cannot be served).
              security: []
              responses:
                "200": {description: ready, content: {text/plain: {schema: {type: string}}}}
                "503": {$ref: "#/components/responses/Error"}
          /metrics:
            get:
              summary: Prometheus text exposition.
              security: []
              responses:
                "200": {description: metrics, content: {text/plain: {schema: {type: string}}}}
          /openapi.yaml:
            get:
              summary: This document.
              security: []
              responses:
                "200": {description: the document, content: {application/yaml: {schema: {type: string}}}}

        """
}
