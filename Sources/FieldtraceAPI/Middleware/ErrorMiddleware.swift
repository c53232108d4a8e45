import Hummingbird
import Logging

/// The outermost middleware: every thrown error becomes `{"error":{"code","message"}}` with
/// its status, so no framework default body (or empty 500) reaches a client. `APIError`s pass
/// as they are; Hummingbird's `HTTPError`s (404 for an unknown route, 413 while reading a body)
/// keep their status under the matching code, except that a 404 for a path routed under other
/// methods becomes 405 with `Allow`; decoding errors are 400; anything else is
/// a 500 with a generic message, logged with its detail. Counts responses by status class.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    let metrics: APIMetrics
    let logger: Logger
    let routes: RouteIndex?

    public init(metrics: APIMetrics, logger: Logger, routes: RouteIndex? = nil) {
        self.metrics = metrics
        self.logger = logger
        self.routes = routes
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.count(status: response.status.code)
            return response
        } catch {
            var apiError = Self.apiError(for: error, request: request)
            if let routes, !(error is APIError), apiError.code == .notFound {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    let list = allowed.joined(separator: ", ")
                    apiError = APIError(
                        .methodNotAllowed, "\(request.method) is not supported here; use \(list)",
                        headers: [.allow: list])
                }
            }
            if apiError.code == .internalError {
                logger.error(
                    "request failed",
                    metadata: [
                        "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "error": "\(error)",
                    ])
            }
            metrics.count(status: apiError.status.code)
            return apiError.response
        }
    }

    /// The API error a thrown error answers as.
    public static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            return fromStatus(error.status, message: error.body, request: request)
        case let error as any HTTPResponseError:
            return fromStatus(error.status, message: nil, request: request)
        case let error as DecodingError:
            return APIError.badRequest(APIJSON.describe(error))
        default:
            return APIError.internalError("internal error")
        }
    }

    static func fromStatus(_ status: HTTPResponse.Status, message: String?, request: Request) -> APIError {
        let code: APIError.Code =
            switch status.code {
            case 400: .badRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 405: .methodNotAllowed
            case 409: .conflict
            case 413: .payloadTooLarge
            case 429: .rateLimited
            case 503: .unavailable
            case 400..<500: .badRequest
            default: .internalError
            }
        let text =
            message
            ?? (code == .notFound ? "no route \(request.method) \(request.uri.path)" : status.reasonPhrase.lowercased())
        return APIError(code, text)
    }
}

/// Rejects bodies declared larger than the cap (413) before reading them, and sets the cap on
/// the context so bodies without a declared length are cut at the same size when collected.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext
    let maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw APIError(.payloadTooLarge, "a body of \(declared) bytes exceeds the cap of \(maxBytes)")
        }
        var context = context
        context.maxUploadSize = maxBytes
        return try await next(request, context)
    }
}
