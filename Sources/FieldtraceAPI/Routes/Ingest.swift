import FieldtraceCore
import FieldtraceWire
import Hummingbird

/// `/v1/ingest/osmand` (GET or POST, `ingest` permission): positions from phone apps in the
/// OsmAnd protocol, query form or JSON form.
public func addIngestRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    group.get("ingest/osmand", permission: .ingest) { request, context, _ in
        try await OsmAndIngest.handle(request, context: context, services: services, admission: false)
    }
    group.post("ingest/osmand", permission: .ingest) { request, context, _ in
        try await OsmAndIngest.handle(request, context: context, services: services, admission: false)
    }
}

/// One OsmAnd request: decode with FieldtraceWire's `OsmAndDecoder`, hand the fixes to the
/// sink, answer 200 only after `accept` returned (the fixes are durable). Used by the API route
/// and by the open OsmAnd port.
///
/// Where the parameters are: a body starting with `{` is the JSON form; another non-empty body
/// is a form-encoded query (`id=...&lat=...`); otherwise the URL's query string.
///
/// Answers: 200 `{"accepted","duplicates","rejected"}` when at least one fix was stored or
/// nothing was rejected (an app then drops its queue; a bad position in a batch would otherwise
/// be resent forever); 400 with the decoder's reason when every position was rejected; 403
/// for a device the admission rule refuses; 413 over the request cap; 503 when the sink failed
/// (nothing acknowledged: the app resends).
public enum OsmAndIngest {
    public static func handle(
        _ request: Request, context: APIRequestContext, services: APIServices, admission: Bool
    ) async throws -> Response {
        let cap = services.configuration.wire.limits.osmandRequestMaxBytes
        var limited = context
        limited.maxUploadSize = min(context.maxUploadSize, cap)
        let body = try await APIJSON.body(of: request, context: limited)
        let bytes: [UInt8]
        if body.readableBytes > 0 {
            bytes = Array(body.readableBytesView)
        } else if let query = request.uri.query, !query.isEmpty {
            bytes = Array(query.utf8)
        } else {
            throw APIError.badRequest("no position: send id, lat, lon, timestamp as a query or a JSON body")
        }
        var decoder = OsmAndDecoder(configuration: services.configuration.wire)
        var output = WireOutput()
        decoder.consume(bytes, receivedMs: services.nowMs(), into: &output)
        if admission, let device = output.identity, !services.configuration.wire.isDeviceAllowed(device) {
            throw APIError.forbidden("device \(device) is not registered")
        }
        if output.fixes.isEmpty, let first = output.rejections.first {
            throw APIError.badRequest("osmand: \(first.detail.isEmpty ? first.reason.code : first.detail)")
        }
        var receipt = FixReceipt(accepted: 0)
        if !output.fixes.isEmpty {
            do {
                receipt = try await services.sink.accept(output.fixes)
            } catch {
                services.logger.warning("osmand batch not stored", metadata: ["error": "\(error)"])
                throw APIError.unavailable("positions could not be stored; send them again")
            }
            services.metrics.osmandFixes.add(receipt.accepted, ordering: .relaxed)
        }
        return try APIJSON.response(
            IngestResult(
                accepted: receipt.accepted, duplicates: receipt.duplicates, rejected: output.counters.rejectedTotal))
    }

    struct IngestResult: Encodable {
        var accepted: Int
        var duplicates: Int
        var rejected: Int
    }
}
