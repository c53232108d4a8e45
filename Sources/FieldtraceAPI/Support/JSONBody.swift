import Foundation
import Hummingbird

/// JSON in and out: snake_case keys, errors as `bad_request` with the offending field named.
public enum APIJSON {
    /// Encoder for responses: camelCase properties become snake_case keys, slashes unescaped.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    /// Decoder for request bodies: snake_case keys become camelCase properties.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// A JSON response.
    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Reads the body (at most `context.maxUploadSize` bytes, else 413) and decodes it;
    /// `bad_request` naming the field when it does not fit `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: APIRequestContext)
        async throws -> T
    {
        let bytes = try await body(of: request, context: context)
        guard bytes.readableBytes > 0 else { throw APIError.badRequest("a JSON body is required") }
        do {
            return try decoder().decode(T.self, from: Data(buffer: bytes))
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error))
        }
    }

    /// The whole body, at most `context.maxUploadSize` bytes (413 beyond).
    public static func body(of request: Request, context: APIRequestContext) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.payloadTooLarge, "the body exceeds \(context.maxUploadSize) bytes")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { key in key.intValue.map { "[\($0)]" } ?? snake(key.stringValue) }
                .joined(separator: ".")
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(describe(type)), got null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "body is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "body does not match the expected shape"
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "an array" : "an object"
        }
    }

    /// camelCase back to the snake_case the client sent.
    static func snake(_ key: String) -> String {
        var out = ""
        for c in key {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
