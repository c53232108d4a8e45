import Hummingbird

/// `/health`, `/ready`, `/metrics`, `/openapi.yaml`: no token needed (probes and scrapers
/// carry none; the document is public). Added at the root, outside `/v1`.
func addSystemRoutes(to router: Router<APIRequestContext>, services: APIServices) {
    router.get("/health") { _, _ -> Response in
        guard services.isHealthy() else { throw APIError.unavailable("the engine has failed") }
        return text("ok\n")
    }
    router.get("/ready") { _, _ -> Response in
        guard services.isReady() else { throw APIError.unavailable("not ready") }
        return text("ready\n")
    }
    router.get("/metrics") { _, _ -> Response in
        text(
            services.metricsText() + services.metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
    router.get("/openapi.yaml") { _, _ -> Response in
        text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
    }
}

func text(_ body: String, contentType: String = "text/plain; charset=utf-8") -> Response {
    Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
}
