import FieldtraceCore
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
        let rows = try runReport {
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
        let days = try runReport {
            try reports.daily(
                tenant: identity.tenant, date: date, group: try q.group(identity), device: device,
                nowMs: services.nowMs())
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
        let map = try runReport {
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

/// Directory errors of a report (an unknown device or group) as API errors.
func runReport<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DirectoryError {
        switch error {
        case .notFound(let what): throw APIError.notFound(what)
        case .invalid(let why): throw APIError.badRequest(why)
        case .conflict(let why): throw APIError(.conflict, why)
        }
    }
}

func reportResponse(_ body: String, format: ReportFormats.Format) -> Response {
    Response(
        status: .ok, headers: [.contentType: format.contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
}

/// The query parameters of the report and dispatch routes, each checked with a clear message.
struct ReportQuery {
    let parameters: [String: String]

    init(_ request: Request) {
        var p: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { p[String(key)] = String(value) }
        parameters = p
    }

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
        guard let text = text(name) else { return value }
        guard let v = T(rawValue: text) else {
            throw APIError.badRequest(
                "\(name) '\(text.prefix(32))': one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = text(name) else { return nil }
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw APIError.badRequest(
                "\(name) '\(text.prefix(32))': a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
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
        guard let from = text("from"), let to = text("to") else {
            throw APIError.badRequest("give date=YYYY-MM-DD, or from and to")
        }
        let a = try APITime.parse(from, field: "from")
        let b = try APITime.parse(to, field: "to")
        guard a < b else { throw APIError.badRequest("from must be before to") }
        guard b - a <= 31 * 86_400_000 else { throw APIError.badRequest("the range is longer than 31 days") }
        return a..<b
    }
}
