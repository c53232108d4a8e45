import FieldtraceCore
import HTTPTypes
import Hummingbird

/// Every error the API answers with: a code from a closed list, a message for people, and the
/// HTTP status. Rendered as `{"error": {"code": "...", "message": "..."}}` by `ErrorMiddleware`,
/// which also turns any other thrown error into one of these, so no framework default body leaks.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case badRequest = "bad_request"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case conflict
        case payloadTooLarge = "payload_too_large"
        case rateLimited = "rate_limited"
        case unavailable
        case internalError = "internal"

        public var status: HTTPResponse.Status {
            switch self {
            case .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .conflict: .conflict
            case .payloadTooLarge: .contentTooLarge
            case .rateLimited: .tooManyRequests
            case .unavailable: .serviceUnavailable
            case .internalError: .internalServerError
            }
        }
    }

    public var code: Code
    public var message: String
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    public init(_ code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var status: HTTPResponse.Status { code.status }
    public var description: String { "\(code.rawValue): \(message)" }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    public static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    public static func unavailable(_ message: String) -> APIError { APIError(.unavailable, message) }
    public static func internalError(_ message: String) -> APIError { APIError(.internalError, message) }
    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// The error body, `{"error":{"code":"...","message":"..."}}`.
    public var body: [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"error":{"code":""#.utf8)
        out.append(contentsOf: code.rawValue.utf8)
        out.append(contentsOf: #"","message":""#.utf8)
        JSONText.appendEscaped(message, to: &out)
        out.append(contentsOf: #""}}"#.utf8)
        return out
    }

    public var response: Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
