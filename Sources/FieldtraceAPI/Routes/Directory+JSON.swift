import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import HTTPTypes
import Hummingbird

/// A JSON object request body read with the GeoJSON module's parser, so that "absent" and
/// `null` differ (PATCH) and unknown keys are refused (a typo is an error, not a no-op).
struct JSONObjectBody {
    let members: [JSONMember]

    init(_ request: Request, context: APIRequestContext, allowed: Set<String>) async throws {
        let buffer = try await APIJSON.body(of: request, context: context)
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw APIError.badRequest("a JSON body is required") }
        let value: JSONValue
        do { value = try JSONParser(maxBytes: context.maxUploadSize, maxDepth: 16).parse(bytes) } catch {
            throw APIError.badRequest("body is not valid JSON: \(error)")
        }
        guard let members = value.objectValue else { throw APIError.badRequest("body: expected an object") }
        var seen: Set<String> = []
        for member in members {
            guard allowed.contains(member.key) else {
                throw APIError.badRequest(
                    "\(member.key.prefix(64)): unknown field (expected \(allowed.sorted().joined(separator: ", ")))")
            }
            guard seen.insert(member.key).inserted else { throw APIError.badRequest("\(member.key): given twice") }
        }
        self.members = members
    }

    func value(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }

    /// A string field; absent is nil. Null is refused: the schema of such a field says string (a
    /// field that may be cleared is read with `nullableString`).
    func string(_ key: String) throws(APIError) -> String? {
        switch value(key) {
        case nil: return nil
        case .string(let s)?: return s
        case let other?: throw APIError.badRequest("\(key): expected a string, not \(other.typeName)")
        }
    }

    func requiredString(_ key: String) throws(APIError) -> String {
        guard let s = try string(key) else { throw APIError.badRequest("\(key): required") }
        return s
    }

    /// For PATCH: absent is nil (keep), null is `.some(nil)` (clear).
    func nullableString(_ key: String) throws(APIError) -> String?? {
        switch value(key) {
        case nil: return nil
        case .null?: return .some(nil)
        case .string(let s)?: return .some(s)
        case let other?: throw APIError.badRequest("\(key): expected a string or null, not \(other.typeName)")
        }
    }

    /// A nullable string field where null and absent mean the same: none.
    func optionalString(_ key: String) throws(APIError) -> String? { try nullableString(key) ?? nil }

    /// An object field as compact text (the shifts object); absent is nil, anything but an object
    /// is refused (its content is checked by the directory).
    func object(_ key: String) throws(APIError) -> String? {
        switch value(key) {
        case nil: return nil
        case let v? where v.objectValue != nil: return v.jsonText
        case let other?: throw APIError.badRequest("\(key): expected an object, not \(other.typeName)")
        }
    }

    /// An `id` in the body of an update must be the one in the URL.
    func checkID(_ pathID: String) throws(APIError) {
        if let id = try string("id"), id != pathID {
            throw APIError.badRequest("id \"\(id.prefix(64))\" differs from \"\(pathID.prefix(64))\" in the URL")
        }
    }
}

/// Directory rows as API JSON (snake_case, ISO 8601 times), and GeoJSON responses.
enum DirectoryJSON {
    static let json = "application/json; charset=utf-8"
    static let geojson = "application/geo+json"

    static func time(_ ms: Int64?) -> JSONValue { ms.map { .string(ISO8601.format(ms: $0)) } ?? .null }
    static func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    static func group(_ g: DeviceGroup) -> JSONValue {
        let shifts = (try? JSONParser().parse(g.schedule.json)) ?? .object([])
        return .object([
            JSONMember("id", .string(g.id)), JSONMember("name", .string(g.name)),
            JSONMember("time_zone", .string(g.timeZone.description)), JSONMember("shifts", shifts),
            JSONMember("created_at", time(g.createdMs)), JSONMember("updated_at", time(g.updatedMs)),
        ])
    }

    static func device(_ d: DeviceRecord) -> JSONValue {
        .object([
            JSONMember("id", .string(d.id.rawValue)), JSONMember("name", text(d.name)),
            JSONMember("group", text(d.group)), JSONMember("kind", text(d.kind)),
            JSONMember("registered", .bool(d.registeredMs != nil)), JSONMember("created_at", time(d.createdMs)),
            JSONMember("registered_at", time(d.registeredMs)), JSONMember("updated_at", time(d.updatedMs)),
        ])
    }

    static func assignment(_ a: RouteAssignment) -> JSONValue {
        var device: String?
        var group: String?
        switch a.target {
        case .device(let id): device = id.rawValue
        case .group(let id): group = id
        }
        return .object([
            JSONMember("id", .number(Double(a.id))), JSONMember("route", .string(a.route)),
            JSONMember("device", text(device)), JSONMember("group", text(group)),
            JSONMember("from_date", .string(a.fromDate.description)),
            JSONMember("to_date", .string(a.toDate.description)), JSONMember("created_at", time(a.createdMs)),
            JSONMember("updated_at", time(a.updatedMs)),
        ])
    }

    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var out: [UInt8] = []
        value.appendJSON(to: &out)
        return Response(
            status: status, headers: [.contentType: json], body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    /// `{"items": [...], "next_cursor": ...}`.
    static func page(_ items: [JSONValue], nextAfter: String?) throws -> Response {
        response(
            .object([
                JSONMember("items", .array(items)),
                JSONMember("next_cursor", nextAfter.map { .string(Cursor.encode($0)) } ?? .null),
            ]))
    }

    /// A stored GeoJSON Feature as it is (already canonical JSON text).
    static func feature(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: geojson], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A list of stored features: `{"items": [...], "next_cursor"}`, or with `geojson` a
    /// FeatureCollection with `next_cursor` as a foreign member.
    static func features(_ texts: [String], nextAfter: String?, geojson: Bool) -> Response {
        var out: [UInt8] = []
        out.append(contentsOf: (geojson ? #"{"type":"FeatureCollection","features":["# : #"{"items":["#).utf8)
        for (i, text) in texts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: text.utf8)
        }
        out.append(contentsOf: #"],"next_cursor":"#.utf8)
        if let nextAfter {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: Cursor.encode(nextAfter).utf8)  // base64url: nothing to escape
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(UInt8(ascii: "}"))
        return Response(
            status: .ok, headers: [.contentType: geojson ? Self.geojson : json],
            body: .init(byteBuffer: ByteBuffer(bytes: out)))
    }

    /// `?format=json` (default) or `?format=geojson`.
    static func wantsGeoJSON(_ request: Request) throws(APIError) -> Bool {
        switch request.uri.queryParameters["format"].map(String.init) {
        case nil, "json"?: return false
        case "geojson"?: return true
        case let other?: throw APIError.badRequest("format '\(other.prefix(32))': expected json or geojson")
        }
    }

    /// The request body's bytes (a GeoJSON Feature; the directory checks it).
    static func bodyBytes(_ request: Request, context: APIRequestContext) async throws -> [UInt8] {
        let buffer = try await APIJSON.body(of: request, context: context)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("a GeoJSON Feature body is required") }
        return Array(buffer.readableBytesView)
    }

    static func assignmentID(_ context: APIRequestContext) throws -> Int64 {
        let text = try context.parameters.require("assignment")
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("assignment \(text.prefix(64))") }
        return id
    }
}

/// What a group-scoped token may see and do in the directory.
enum DirectoryScope {
    static func refuseWrites(_ identity: Identity) throws(APIError) {
        if let scope = identity.groupScope {
            throw APIError.forbidden("a token scoped to group \(scope) cannot change the directory")
        }
    }

    static func checkGroup(_ id: String, _ identity: Identity) throws(APIError) {
        if let scope = identity.groupScope, scope != id { throw APIError.notFound("group \"\(id.prefix(64))\"") }
    }

    static func checkDevice(_ device: DeviceRecord, _ identity: Identity) throws(APIError) {
        if let scope = identity.groupScope, device.group != scope {
            throw APIError.notFound("device \"\(device.id)\"")
        }
    }

    static func sees(fenceGroup: String?, _ identity: Identity) -> Bool {
        guard let scope = identity.groupScope else { return true }
        return fenceGroup == nil || fenceGroup == scope
    }

    static func sees(assignment: RouteAssignment, _ identity: Identity, _ directory: Directory) throws -> Bool {
        guard let scope = identity.groupScope else { return true }
        switch assignment.target {
        case .group(let group): return group == scope
        case .device(let id):
            return (try? directory.device(tenant: identity.tenant, id: id.rawValue))?.group == scope
        }
    }

    /// A scoped token assigns only to its group or to devices in it.
    static func checkTarget(device: String?, group: String?, _ identity: Identity, _ directory: Directory) throws {
        guard let scope = identity.groupScope else { return }
        if let group, group != scope { throw APIError.badRequest("group \"\(group.prefix(64))\" does not exist") }
        if let device, (try? directory.device(tenant: identity.tenant, id: device))?.group != scope {
            throw APIError.badRequest("device \"\(device.prefix(64))\" does not exist")
        }
    }
}
