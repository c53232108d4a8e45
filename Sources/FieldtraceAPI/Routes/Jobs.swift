import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceQuery
import FieldtraceReports
import FieldtraceStore
import Hummingbird

/// `/v1/jobs`: jobs given to workers (`FieldtraceStore.JobRecord`), a device sent to a site (a
/// geofence) at an instant; the daily report measures each job's response time. Reads need
/// `jobs.read` (audited: a job's `arrived_at` says where a worker was), changes `jobs.write`.
///
/// `status` is `cancelled` (stored), else `arrived` once the worker's first visit of the site at
/// or after `assigned_at` (within `FleetReports.jobArrivalHorizonMs`) is in the event log, else
/// `open`; `arrived_at` and `response_minutes` come with it. A token scoped to a group sees and
/// writes only jobs of its group's devices.
public func addJobRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    let directory = services.directory
    let reports = FleetReports(store: services.store, log: services.eventLog, directory: directory)
    let createFields: Set<String> = ["id", "device", "site", "assigned_at", "due_at", "note"]
    let patchFields: Set<String> = ["id", "device", "site", "assigned_at", "due_at", "note", "status"]

    group.get("jobs", permission: .jobsRead) { request, _, identity in
        let page = try PageRequest(request)
        let q = TrackRoutes.parameters(request)
        func time(_ name: String) throws(APIError) -> Int64? {
            guard q[name] != nil else { return nil }
            return try TrackRoutes.checked { () throws(QueryError) in try q.time(name) }
        }
        let filter = JobFilter(
            device: q["device"].flatMap { $0.isEmpty ? nil : $0 }, assignedFromMs: try time("from"),
            assignedToMs: try time("to"))
        if let device = filter.device, identity.groupScope != nil {
            try DirectoryScope.checkDevice(
                try mapped { try directory.device(tenant: identity.tenant, id: device) }, identity)
        }
        let result = try mapped { try directory.jobs(tenant: identity.tenant, filter: filter, page: page.store) }
        let visible = try result.items.filter { try JobScope.sees($0, identity, directory) }
        let arrivals = try reports.arrivals(of: visible)
        return try DirectoryJSON.page(
            visible.map { JobJSON.job($0, arrivedMs: arrivals[$0.id]) }, nextAfter: result.nextAfter)
    }
    group.get("jobs/{id}", permission: .jobsRead) { _, context, identity in
        let job = try JobScope.visibleJob(try context.parameters.require("id"), identity, directory)
        return DirectoryJSON.response(JobJSON.job(job, arrivedMs: try reports.arrivals(of: [job])[job.id]))
    }
    group.post("jobs", permission: .jobsWrite) { request, context, identity in
        let body = try await JSONObjectBody(request, context: context, allowed: createFields)
        let new = NewJob(
            id: try body.string("id"), device: try body.requiredString("device"), site: try body.requiredString("site"),
            assignedMs: try JobJSON.time(body, "assigned_at") ?? services.nowMs(),
            dueMs: try JobJSON.time(body, "due_at", nullable: true), note: try body.optionalString("note"))
        try JobScope.checkDevice(new.device, identity, directory)
        let job = try mapped { try directory.createJob(tenant: identity.tenant, new) }
        return DirectoryJSON.response(
            JobJSON.job(job, arrivedMs: try reports.arrivals(of: [job])[job.id]), status: .created)
    }
    group.patch("jobs/{id}", permission: .jobsWrite) { request, context, identity in
        let id = try context.parameters.require("id")
        let body = try await JSONObjectBody(request, context: context, allowed: patchFields)
        try body.checkID(id)
        var patch = JobPatch(
            device: try body.string("device"), site: try body.string("site"),
            assignedMs: try JobJSON.time(body, "assigned_at"), note: try body.nullableString("note"))
        if body.value("due_at") != nil { patch.dueMs = .some(try JobJSON.time(body, "due_at", nullable: true)) }
        switch try body.string("status") {
        case nil: break
        case "open"?: patch.cancelled = false
        case "cancelled"?: patch.cancelled = true
        case "arrived"?:
            throw APIError.badRequest("status: arrived is derived from the worker's visits, not set")
        case let other?: throw APIError.badRequest("status '\(other.prefix(32))': expected open or cancelled")
        }
        _ = try JobScope.visibleJob(id, identity, directory)
        if let device = patch.device { try JobScope.checkDevice(device, identity, directory) }
        let job = try mapped { try directory.updateJob(tenant: identity.tenant, id: id, patch) }
        return DirectoryJSON.response(JobJSON.job(job, arrivedMs: try reports.arrivals(of: [job])[job.id]))
    }
    group.delete("jobs/{id}", permission: .jobsWrite) { _, context, identity in
        let id = try context.parameters.require("id")
        _ = try JobScope.visibleJob(id, identity, directory)
        try mapped { try directory.deleteJob(tenant: identity.tenant, id: id) }
        return Response(status: .noContent)
    }
}

/// Jobs as API JSON.
enum JobJSON {
    static func job(_ job: JobRecord, arrivedMs: Int64?) -> JSONValue {
        let status = job.isCancelled ? "cancelled" : arrivedMs == nil ? "open" : "arrived"
        let minutes = arrivedMs.map { JSONValue.number((Double($0 - job.assignedMs) / 6_000).rounded() / 10) }
        return .object([
            JSONMember("id", .string(job.id)), JSONMember("device", .string(job.device.rawValue)),
            JSONMember("site", .string(job.site)), JSONMember("assigned_at", DirectoryJSON.time(job.assignedMs)),
            JSONMember("due_at", DirectoryJSON.time(job.dueMs)), JSONMember("note", DirectoryJSON.text(job.note)),
            JSONMember("status", .string(status)), JSONMember("arrived_at", DirectoryJSON.time(arrivedMs)),
            JSONMember("response_minutes", minutes ?? .null),
            JSONMember("cancelled_at", DirectoryJSON.time(job.cancelledMs)),
            JSONMember("created_at", DirectoryJSON.time(job.createdMs)),
            JSONMember("updated_at", DirectoryJSON.time(job.updatedMs)),
        ])
    }

    /// A time field: an ISO 8601 string or Unix ms (an integer, or its digits as a string);
    /// absent is nil; null is nil where the field may be cleared (`nullable`), refused elsewhere.
    static func time(_ body: JSONObjectBody, _ key: String, nullable: Bool = false) throws(APIError) -> Int64? {
        switch body.value(key) {
        case nil: return nil
        case .null?:
            guard nullable else { throw APIError.badRequest("\(key): expected a time, not null") }
            return nil
        case .string(let text)?:
            guard let ms = QueryParameters.parseTime(text) else {
                throw APIError.badRequest(
                    "\(key) '\(text.prefix(64))': expected ISO 8601 (2026-01-31T08:00:00Z) or Unix ms")
            }
            return ms
        case .number(let number)?:
            // The number's own text, so that ms beyond 2^53 are not rounded through a Double.
            guard let ms = Int64(number.text) else {
                throw APIError.badRequest("\(key): expected whole Unix milliseconds, not \(number.text.prefix(32))")
            }
            return ms
        case let other?:
            throw APIError.badRequest("\(key): expected an ISO 8601 string or Unix ms, not \(other.typeName)")
        }
    }
}

/// What a group-scoped token may see and change among jobs: those of its group's devices.
enum JobScope {
    static func sees(_ job: JobRecord, _ identity: Identity, _ directory: Directory) throws -> Bool {
        guard let scope = identity.groupScope else { return true }
        return (try? directory.device(tenant: identity.tenant, id: job.device.rawValue))?.group == scope
    }

    /// The job, or 404 when it is not the tenant's or not visible to the token.
    static func visibleJob(_ id: String, _ identity: Identity, _ directory: Directory) throws -> JobRecord {
        let job = try mapped { try directory.job(tenant: identity.tenant, id: id) }
        guard try sees(job, identity, directory) else { throw APIError.notFound("job \"\(id.prefix(64))\"") }
        return job
    }

    /// A scoped token names only devices of its group (another is "does not exist", as the
    /// directory says of another tenant's).
    static func checkDevice(_ device: String, _ identity: Identity, _ directory: Directory) throws {
        guard let scope = identity.groupScope else { return }
        if (try? directory.device(tenant: identity.tenant, id: device))?.group != scope {
            throw APIError.badRequest("device \"\(device.prefix(64))\" does not exist")
        }
    }
}
