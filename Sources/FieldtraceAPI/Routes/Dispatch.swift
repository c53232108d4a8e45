import FieldtraceCore
import FieldtraceReports
import Hummingbird
import NIOCore

/// `GET /v1/dispatch/nearest` (the N nearest active workers to a point, from the live index)
/// and `GET /v1/positions/stream` (live positions as server-sent events, for the dashboard).
public func addDispatchRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    group.get("dispatch/nearest", permission: .locationRead) { request, _, identity in
        let q = ReportQuery(request)
        guard let lat = try q.number("lat", in: -90...90), let lon = try q.number("lon", in: -180...180) else {
            throw APIError.badRequest("lat and lon: required, degrees")
        }
        let n = Int(try q.number("n", in: 1...Double(DispatchLimits.maxResults)) ?? 10)
        let maxAgeS = try q.number("max_age_s", in: 1...2_592_000) ?? DispatchLimits.defaultMaxAgeS
        let nowMs = services.nowMs()
        let found = services.fleet.nearest(
            latitudeE7: Int32((lat * 1e7).rounded()), longitudeE7: Int32((lon * 1e7).rounded()), n: n,
            tenant: identity.tenant, group: try q.group(identity), nowMs: nowMs, maxAgeS: maxAgeS)
        var out: [UInt8] = Array(#"{"items":["#.utf8)
        for (i, c) in found.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendPosition(c.position, to: &out) { out in
                out.append(contentsOf: #","distance_m":"#.utf8)
                JSONText.appendNumber((c.distanceM * 10).rounded() / 10, to: &out)
                out.append(contentsOf: #","age_s":"#.utf8)
                JSONText.appendNumber((c.ageS * 10).rounded() / 10, to: &out)
            }
        }
        out.append(contentsOf: "]}\n".utf8)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    group.get("positions/stream", permission: .locationRead) { request, _, identity in
        let q = ReportQuery(request)
        let scope = try q.group(identity)
        let interval = try q.number("interval_s", in: 0.2...60) ?? 1
        // Ends the stream after this long (scripts and tests); a dashboard leaves it open.
        let durationS = try q.number("duration_s", in: 0.1...86_400)
        let fleet = services.fleet
        let tenant = identity.tenant
        // Every `interval` seconds the positions that changed (the first message: all of them);
        // a comment line every 15 s keeps idle proxies from closing the stream.
        let body = ResponseBody { writer in
            var version: UInt64 = 0
            var idleS = 0.0
            var first = true
            let start = ContinuousClock.now
            while !Task.isCancelled {
                if let durationS, ContinuousClock.now - start >= .milliseconds(Int(durationS * 1000)) { break }
                let (changed, now) = fleet.changes(since: version, tenant: tenant, group: scope)
                version = now
                if !changed.isEmpty || first {
                    first = false
                    idleS = 0
                    var out: [UInt8] = Array("event: positions\ndata: {\"items\":[".utf8)
                    for (i, p) in changed.enumerated() {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        appendPosition(p, to: &out)
                    }
                    out.append(contentsOf: "]}\n\n".utf8)
                    try await writer.write(ByteBuffer(bytes: out))
                } else {
                    idleS += interval
                    if idleS >= 15 {
                        idleS = 0
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"],
            body: body)
    }
}

/// Dispatch bounds; each default says why.
enum DispatchLimits {
    /// Most workers one nearest query returns: 100, more than a dispatcher can weigh.
    static let maxResults = 100
    /// Workers seen within this long count as active, seconds: 600, the engine's offline
    /// threshold (`EngineConfiguration.offlineAfterMs`).
    static let defaultMaxAgeS = 600.0
}

/// A live position as `{"device","time","lat","lon","speed_mps","course_deg","accuracy_m","motion","group"}`.
/// `more` appends further members before the closing brace.
func appendPosition(_ p: LiveFleet.Position, to out: inout [UInt8], more: (inout [UInt8]) -> Void = { _ in }) {
    out.append(contentsOf: #"{"device":""#.utf8)
    JSONText.appendEscaped(p.device.rawValue, to: &out)
    out.append(contentsOf: #"","time":""#.utf8)
    ISO8601.append(ms: p.timeMs, to: &out)
    out.append(contentsOf: #"","lat":"#.utf8)
    CoordinateE7.appendDecimal(p.latitudeE7, to: &out)
    out.append(contentsOf: #","lon":"#.utf8)
    CoordinateE7.appendDecimal(p.longitudeE7, to: &out)
    for (key, value) in [("speed_mps", p.speedMps), ("course_deg", p.courseDeg), ("accuracy_m", p.accuracyM)] {
        out.append(contentsOf: ",\"\(key)\":".utf8)
        if let value {
            JSONText.appendNumber((value * 100).rounded() / 100, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
    }
    out.append(contentsOf: #","motion":""#.utf8)
    out.append(contentsOf: p.motion.rawValue.utf8)
    out.append(contentsOf: #"","group":"#.utf8)
    if let group = p.group {
        out.append(UInt8(ascii: "\""))
        JSONText.appendEscaped(group, to: &out)
        out.append(UInt8(ascii: "\""))
    } else {
        out.append(contentsOf: "null".utf8)
    }
    more(&out)
    out.append(UInt8(ascii: "}"))
}
