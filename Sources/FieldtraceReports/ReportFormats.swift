import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore

/// The reports as JSON and CSV, the same bytes for the API and `fieldtrace report`. Times are
/// ISO 8601 UTC with ms, durations in minutes rounded to 0.1, distances in metres rounded to 1.
public enum ReportFormats {
    public enum Format: String, Sendable, CaseIterable {
        case json, csv

        public var contentType: String {
            switch self {
            case .json: "application/json"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    static func time(_ ms: Int64?) -> JSONValue { ms.map { .string(ISO8601.format(ms: $0)) } ?? .null }

    static func timeText(_ ms: Int64?) -> String { ms.map { ISO8601.format(ms: $0) } ?? "" }

    static func tenths(_ value: Double) -> JSONValue { .number((value * 10).rounded() / 10) }

    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func csv(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        var quoted = "\""
        for c in field {
            if c == "\"" { quoted += "\"" }
            quoted.append(c)
        }
        return quoted + "\""
    }

    // MARK: Attendance

    public static func attendanceJSON(date: LocalDate, rows: [FleetReports.AttendanceRow]) -> String {
        let workers = rows.map { row -> JSONValue in
            let r = row.report
            return .object([
                JSONMember("device", .string(row.worker.device.id.rawValue)),
                JSONMember("name", string(row.worker.device.name)),
                JSONMember("group", string(row.worker.device.group)),
                JSONMember("day_start", time(row.day.startMs)),
                JSONMember("shifts", .array(row.shifts.map { .array([time($0.startMs), time($0.endMs)]) })),
                JSONMember("shift_minutes", tenths(r.shiftMinutes)),
                JSONMember("on_site_in_shift_minutes", tenths(r.onSiteInShiftMinutes)),
                JSONMember(
                    "sites",
                    .array(
                        r.sites.map { s in
                            .object([
                                JSONMember("site", .string(s.site)),
                                JSONMember("first_arrival", time(s.firstArrivalMs)),
                                JSONMember("last_departure", time(s.lastDepartureMs)),
                                JSONMember("on_site_minutes", tenths(s.onSiteMinutes)),
                                JSONMember("visits", .number(Double(s.visits))),
                            ])
                        })),
                JSONMember(
                    "flags",
                    .array(
                        r.flags.map { f in
                            .object([
                                JSONMember("kind", .string(f.kind.rawValue)), JSONMember("time", time(f.timeMs)),
                                JSONMember(f.kind == .claimAwayFromSite ? "distance_m" : "minutes", tenths(f.amount)),
                                JSONMember("detail", .string(f.detail)),
                            ])
                        })),
            ])
        }
        return JSONValue.object([JSONMember("date", .string(date.description)), JSONMember("workers", .array(workers))])
            .jsonText + "\n"
    }

    /// One row per worker and site (a worker with no visit gets one row), flags joined.
    public static func attendanceCSV(rows: [FleetReports.AttendanceRow]) -> String {
        var out =
            "device,name,group,site,first_arrival,last_departure,on_site_minutes,visits,shift_minutes,"
            + "on_site_in_shift_minutes,flags\n"
        for row in rows {
            let r = row.report
            let flags = r.flags.map { "\($0.kind.rawValue)@\(timeText($0.timeMs))" }.joined(separator: " ")
            let sites: [Attendance.SiteDay?] = r.sites.isEmpty ? [nil] : r.sites
            for s in sites {
                let fields = [
                    row.worker.device.id.rawValue, row.worker.device.name ?? "", row.worker.device.group ?? "",
                    s?.site ?? "", timeText(s?.firstArrivalMs), timeText(s?.lastDepartureMs),
                    s.map { tenthsText($0.onSiteMinutes) } ?? "", s.map { String($0.visits) } ?? "",
                    tenthsText(r.shiftMinutes), tenthsText(r.onSiteInShiftMinutes), flags,
                ]
                out += fields.map(csv).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    static func tenthsText(_ value: Double) -> String {
        let t = (value * 10).rounded() / 10
        return t == t.rounded() ? String(Int64(t)) : String(t)
    }

    // MARK: Daily

    static func summaryMembers(_ d: DailySummary) -> [JSONMember] {
        [
            JSONMember("device", .string(d.device.rawValue)), JSONMember("fixes", .number(Double(d.fixes))),
            JSONMember("distance_m", .number(d.distanceM.rounded())),
            JSONMember("moving_minutes", tenths(d.movingMinutes)), JSONMember("stops", .number(Double(d.stops))),
            JSONMember("stop_minutes", tenths(d.stopMinutes)), JSONMember("trips", .number(Double(d.trips))),
            JSONMember("max_speed_kmh", tenths(d.maxSpeedKmh)), JSONMember("visits", .number(Double(d.visits))),
            JSONMember("on_site_minutes", tenths(d.onSiteMinutes)),
            JSONMember("travelling_minutes", tenths(d.travellingMinutes)),
            JSONMember("deviations", .number(Double(d.deviations))),
            JSONMember("deviation_minutes", tenths(d.deviationMinutes)),
            JSONMember("gap_minutes", tenths(d.gapMinutes)),
            JSONMember(
                "responses",
                .array(
                    d.responses.map { r in
                        .object([
                            JSONMember("job", .string(r.job)), JSONMember("site", .string(r.site)),
                            JSONMember("assigned", time(r.assignedMs)), JSONMember("arrived", time(r.arrivedMs)),
                            JSONMember("minutes", r.minutes.map(tenths) ?? .null),
                        ])
                    })),
        ]
    }

    public static func dailyJSON(date: LocalDate, days: [DailySummary]) -> String {
        let t = FleetTotals(days)
        let totals = JSONValue.object([
            JSONMember("workers", .number(Double(t.workers))), JSONMember("distance_m", .number(t.distanceM.rounded())),
            JSONMember("moving_minutes", tenths(t.movingMinutes)), JSONMember("stop_minutes", tenths(t.stopMinutes)),
            JSONMember("on_site_minutes", tenths(t.onSiteMinutes)),
            JSONMember("travelling_minutes", tenths(t.travellingMinutes)),
            JSONMember("visits", .number(Double(t.visits))), JSONMember("deviations", .number(Double(t.deviations))),
            JSONMember("median_response_minutes", t.medianResponseMinutes.map(tenths) ?? .null),
        ])
        return JSONValue.object([
            JSONMember("date", .string(date.description)),
            JSONMember("workers", .array(days.map { .object(summaryMembers($0)) })),
            JSONMember("totals", totals),
        ]).jsonText + "\n"
    }

    public static func dailyCSV(days: [DailySummary]) -> String {
        var out =
            "device,fixes,distance_m,moving_minutes,stops,stop_minutes,trips,max_speed_kmh,visits,on_site_minutes,"
            + "travelling_minutes,deviations,deviation_minutes,gap_minutes,jobs,jobs_reached,median_response_minutes\n"
        for d in days {
            let fields = [
                d.device.rawValue, String(d.fixes), String(Int64(d.distanceM.rounded())), tenthsText(d.movingMinutes),
                String(d.stops), tenthsText(d.stopMinutes), String(d.trips), tenthsText(d.maxSpeedKmh),
                String(d.visits),
                tenthsText(d.onSiteMinutes), tenthsText(d.travellingMinutes), String(d.deviations),
                tenthsText(d.deviationMinutes), tenthsText(d.gapMinutes), String(d.responses.count),
                String(d.responses.count { $0.arrivedMs != nil }),
                FleetTotals([d]).medianResponseMinutes.map(tenthsText) ?? "",
            ]
            out += fields.map(csv).joined(separator: ",") + "\n"
        }
        return out
    }

    // MARK: Heatmap

    public static func heatmapJSON(_ map: Heatmap, metric: Heatmap.Metric, limit: Int) -> String {
        let cells = map.cells(limit: limit).map { c -> JSONValue in
            .object([
                JSONMember("lat", .number((c.latitude * 1e7).rounded() / 1e7)),
                JSONMember("lon", .number((c.longitude * 1e7).rounded() / 1e7)),
                JSONMember("value", tenths(c.value)), JSONMember("devices", .number(Double(c.devices))),
            ])
        }
        return JSONValue.object([
            JSONMember("metric", .string(metric.rawValue)), JSONMember("cell_m", .number(map.cellM)),
            JSONMember("cells", .array(cells)),
        ]).jsonText + "\n"
    }

    public static func heatmapCSV(_ map: Heatmap, limit: Int) -> String {
        var out = "lat,lon,value,devices\n"
        for c in map.cells(limit: limit) {
            out +=
                "\((c.latitude * 1e7).rounded() / 1e7),\((c.longitude * 1e7).rounded() / 1e7),"
                + "\(tenthsText(c.value)),\(c.devices)\n"
        }
        return out
    }
}
