import FieldtraceCore
import FieldtraceQuery
import FieldtraceStore
import Hummingbird
import NIOCore

/// Location reads (helper query; logic in FieldtraceQuery, tested there without HTTP):
///
/// - `GET /v1/devices/{id}/track?from&to&format&smooth&simplify_m&level`: the track of `[from,
///   to)` (at most 7 days), streamed in 64 KiB chunks as json, geojson, gpx or csv
///   (`TrackRequest`, `TrackRenderer`). `location.read`.
/// - `GET /v1/devices/{id}/position?at=`: where the device was at an instant, interpolated, with
///   an uncertainty radius (`PositionLocator`, `PositionModel`). `location.read`.
/// - `GET /v1/positions/latest?group&limit&cursor`: the newest fix of each device the token
///   sees, a page of devices at a time (`LatestPositions`). `location.read`.
/// - `GET /v1/devices/{id}/stops|trips|visits|deviations?from&to`: intervals overlapping the
///   range (at most 92 days), from the event log (`ActivityReader`). `reports.read`.
///
/// A device answers 404 unless it belongs to the token's tenant and, for a group-scoped
/// token, to its group. Every one of these requests is audited (location permissions).
public func addTracksRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    let directory = services.directory
    let reader = TrackReader(store: services.store)
    let locator = PositionLocator(store: services.store)
    let latest = LatestPositions(store: services.store)
    let activity = ActivityReader(log: services.eventLog)

    group.get("devices/{id}/track", permission: .locationRead) { request, context, identity in
        let device = try TrackRoutes.visibleDevice(context, identity, directory)
        let query = try TrackRoutes.checked { () throws(QueryError) in
            try TrackRequest(device: device, parameters: TrackRoutes.parameters(request))
        }
        if let writer = try reader.geoJSONWriter(for: query) {
            return Response(
                status: .ok, headers: [.contentType: query.format.contentType],
                body: TrackRoutes.body(writer))
        }
        let fixes = try reader.fixes(for: query)
        let renderer = TrackRenderer(format: query.format, device: device, fixes: fixes, range: query.range)
        return Response(
            status: .ok, headers: [.contentType: query.format.contentType],
            body: ResponseBody { writer in
                var renderer = renderer
                try await renderer.write { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
    }

    group.get("devices/{id}/position", permission: .locationRead) { request, context, identity in
        let device = try TrackRoutes.visibleDevice(context, identity, directory)
        let at = try TrackRoutes.checked { () throws(QueryError) in
            try PositionLocator.instant(TrackRoutes.parameters(request))
        }
        return TrackRoutes.json(QueryJSON.position(try locator.position(device: device, atMs: at)))
    }

    group.get("positions/latest", permission: .locationRead) { request, _, identity in
        let page = try PageRequest(request)
        let asked = request.uri.queryParameters["group"].map(String.init)
        if let scope = identity.groupScope, let asked, asked != scope {
            throw APIError.notFound("no group \(asked.prefix(64))")
        }
        let devices = try mapped {
            try directory.devices(
                tenant: identity.tenant, group: identity.groupScope ?? asked,
                page: FieldtraceStore.PageRequest(limit: page.limit, after: page.after))
        }
        let fixes = try latest.fixes(devices: devices.items.map(\.id))
        return TrackRoutes.json(QueryJSON.latest(fixes, nextCursor: devices.nextAfter.map(Cursor.encode)))
    }

    for kind in ActivityKind.allCases {
        group.get(RouterPath("devices/{id}/" + kind.rawValue), permission: .reportsRead) {
            request, context, identity in
            let device = try TrackRoutes.visibleDevice(context, identity, directory)
            let range = try TrackRoutes.checked { () throws(QueryError) in
                try TrackRoutes.parameters(request).range(maxMs: ActivityReader.maxRangeMs)
            }
            return TrackRoutes.json(QueryJSON.activity(try activity.intervals(kind, device: device, range: range)))
        }
    }
}

/// Helpers of the location routes.
enum TrackRoutes {
    /// The `{id}` device if the token may see it, else 404 (never 403: another tenant's id is
    /// not confirmed to exist).
    static func visibleDevice(_ context: APIRequestContext, _ identity: Identity, _ directory: Directory) throws
        -> DeviceID
    {
        let id = try context.parameters.require("id")
        let notFound = APIError.notFound("no device \(id.prefix(64))")
        guard let device = DeviceID(id) else { throw notFound }
        let record: DeviceRecord
        do {
            record = try directory.device(tenant: identity.tenant, id: id)
        } catch is DirectoryError {
            throw notFound
        }
        if let scope = identity.groupScope, record.group != scope { throw notFound }
        return device
    }

    /// The query parameters, last value of a repeated name winning.
    static func parameters(_ request: Request) -> QueryParameters {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        return QueryParameters(values)
    }

    /// A query's parameter errors as `bad_request`.
    static func checked<T>(_ body: () throws(QueryError) -> T) throws(APIError) -> T {
        do {
            return try body()
        } catch {
            throw APIError.badRequest(error.message)
        }
    }

    /// Chunk of a streamed GeoJSON track: 256 KiB, so a device-day (about 5 MB) takes about 20
    /// writes (each an await on the channel) rather than 80, while a slow client still holds
    /// back the writer after a chunk.
    static let trackChunkBytes = 262_144

    /// A GeoJSON track written chunk by chunk straight into the response's buffers.
    static func body(_ writer: GeoJSONColumnsWriter) -> ResponseBody {
        ResponseBody { body in
            var writer = writer
            let allocator = ByteBufferAllocator()
            while !writer.isFinished {
                var buffer = allocator.buffer(capacity: trackChunkBytes)
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: trackChunkBytes) { writer.write(into: $0) }
                try await body.write(buffer)
            }
            try await body.finish(nil)
        }
    }

    static func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
