import FieldtraceCore
import FieldtraceQuery
import FieldtraceReports
import FieldtraceStore
import Hummingbird

/// `/v1/reports/attendance`, `/v1/reports/daily`, `/v1/reports/heatmap`: the same numbers as
/// `fieldtrace report` (`FleetReports`, `ReportFormats`), for the token's tenant (and its group
/// scope). Location-derived: audited (`reports.read`).
public func addReportRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    let reports = FleetReports(store: services.store, log: services.eventLog, directory: services.directory)

    group.get("reports/attendance", permission: .reportsRead) { request, _, identity in
        let q = ReportQuery(request)
        let date = try q.date()
        var rules = Attendance.Rules()
        rules.graceMinutes = try q.number("grace_min", in: 0...240) ?? rules.graceMinutes
        rules.leftPostMinutes = try q.number("left_post_min", in: 1...1440) ?? rules.leftPostMinutes
        let rows = try mapped {
            try reports.attendance(
                tenant: identity.tenant, date: date, group: try q.group(identity), nowMs: services.nowMs(), rules: rules
            )
        }
        let format = try q.format()
        return reportResponse(
            format == .json
                ? ReportFormats.attendanceJSON(date: date, rows: rows) : ReportFormats.attendanceCSV(rows: rows),
            format: format)
    }

    group.get("reports/daily", permission: .reportsRead) { request, _, identity in
        let q = ReportQuery(request)
        let date = try q.date()
        let device = q.text("device")
        let days = try mapped {
            try reports.daily(
                tenant: identity.tenant, date: date, group: try q.group(identity), device: device,
                nowMs: services.nowMs(),
                jobs: try reports.dailyJobs(
                    tenant: identity.tenant, date: date, group: q.group(identity), device: device))
        }
        let format = try q.format()
        return reportResponse(
            format == .json ? ReportFormats.dailyJSON(date: date, days: days) : ReportFormats.dailyCSV(days: days),
            format: format)
    }

    group.get("reports/heatmap", permission: .reportsRead) { request, _, identity in
        let q = ReportQuery(request)
        let range = try q.range()
        let metric = try q.choice("metric", default: Heatmap.Metric.fixes)
        let cellM = try q.number("cell_m", in: 10...100_000) ?? 250
        let limit = Int(try q.number("limit", in: 1...100_000) ?? 10_000)
        let map = try mapped {
            try reports.heatmap(
                tenant: identity.tenant, range: range, metric: metric, cellM: cellM, group: try q.group(identity))
        }
        let format = try q.format()
        return reportResponse(
            format == .json
                ? ReportFormats.heatmapJSON(map, metric: metric, limit: limit)
                : ReportFormats.heatmapCSV(map, limit: limit),
            format: format)
    }
}

func reportResponse(_ body: String, format: ReportFormats.Format) -> Response {
    Response(
        status: .ok, headers: [.contentType: format.contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
}

/// The query parameters of the report and dispatch routes: `QueryParameters` (the checks every
/// `/v1` route shares, errors as 400) plus the local date and the token's group scope.
struct ReportQuery {
    let parameters: QueryParameters

    init(_ request: Request) { parameters = TrackRoutes.parameters(request) }

    func text(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }

    func date() throws -> LocalDate {
        guard let text = text("date") else { throw APIError.badRequest("date: required, YYYY-MM-DD") }
        guard let date = LocalDate(parsing: text) else {
            throw APIError.badRequest("date '\(text.prefix(32))' is not YYYY-MM-DD")
        }
        return date
    }

    func format() throws -> ReportFormats.Format { try choice("format", default: .json) }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws -> T
    where T.RawValue == String {
        try TrackRoutes.checked { () throws(QueryError) in try parameters.choice(name, default: value) }
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        try TrackRoutes.checked { () throws(QueryError) in try parameters.number(name, in: range) }
    }

    /// The group asked for, within the token's group scope (a scoped token sees only its group;
    /// asking for another answers 404, as for any id it cannot see).
    func group(_ identity: Identity) throws -> String? {
        let asked = text("group")
        guard let scope = identity.groupScope else { return asked }
        if let asked, asked != scope { throw APIError.notFound("no group \(asked.prefix(64))") }
        return scope
    }

    /// `date` (a UTC day) or `from`/`to` (ISO 8601 or Unix ms), at most 31 days.
    func range() throws -> Range<Int64> {
        if text("date") != nil {
            let day = try date()
            return (day.daysSinceEpoch * 86_400_000)..<((day.daysSinceEpoch + 1) * 86_400_000)
        }
        return try TrackRoutes.checked { () throws(QueryError) in try parameters.range(maxMs: 31 * 86_400_000) }
    }
}
