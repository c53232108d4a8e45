import ArgumentParser
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceIngest
import FieldtraceQuery
import FieldtraceReports
import FieldtraceStore
import Foundation

/// `fieldtrace report daily|attendance|heatmap`: the API's reports, offline, on a data
/// directory (a stopped server's, or a copy: the store is opened for writing).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Attendance, daily summaries or a heatmap of a tenant's workers.",
        subcommands: [Daily.self, AttendanceReport.self, HeatmapReport.self])

    struct Common: ParsableArguments {
        @Option(help: "The data directory.") var data: String
        @Option(help: "The tenant.") var tenant = "default"
        @Option(help: "Only this group's workers.") var group: String?
        @Option(help: "json or csv.") var format: ReportFormats.Format = .json

        func open() throws -> (TrackStore, FleetReports) {
            let store = try openExisting(data)
            let log = try EventLog(catalog: store.catalog)
            return (store, FleetReports(store: store, log: log, directory: Directory(catalog: store.catalog)))
        }
    }

    static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(parsing: text) else {
            throw ValidationError("--date '\(text)' is not a date (YYYY-MM-DD)")
        }
        return date
    }

    static func nowMs() -> Int64 { WallClock.nowMs() }

    struct Daily: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per worker: distance, moving time, stops, trips, top speed, visits, on site, response times.")
        @OptionGroup var common: Common
        @Option(help: "The local day, YYYY-MM-DD (each worker's group time zone).") var date: String
        @Option(help: "Only this device.") var device: String?

        func run() throws {
            let day = try ReportCommand.date(date)
            let (store, reports) = try common.open()
            defer { try? store.close() }
            let jobs = try reports.dailyJobs(tenant: common.tenant, date: day, group: common.group, device: device)
            let days = try reports.daily(
                tenant: common.tenant, date: day, group: common.group, device: device, nowMs: ReportCommand.nowMs(),
                jobs: jobs)
            let text =
                common.format == .json
                ? ReportFormats.dailyJSON(date: day, days: days) : ReportFormats.dailyCSV(days: days)
            CLIOutput.writeAll(fd: 1, Array(text.utf8))
        }
    }

    struct AttendanceReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attendance",
            abstract: "Per worker and site: first arrival, last departure, minutes on site, flags against shifts.")
        @OptionGroup var common: Common
        @Option(help: "The local day, YYYY-MM-DD.") var date: String
        @Option(help: "Minutes of grace for late arrival and early departure.") var graceMin = 5.0
        @Option(help: "Minutes away from every site during a shift that raise left_post.") var leftPostMin = 15.0

        func run() throws {
            let day = try ReportCommand.date(date)
            var rules = Attendance.Rules()
            rules.graceMinutes = graceMin
            rules.leftPostMinutes = leftPostMin
            let (store, reports) = try common.open()
            defer { try? store.close() }
            let rows = try reports.attendance(
                tenant: common.tenant, date: day, group: common.group, nowMs: ReportCommand.nowMs(), rules: rules)
            let text =
                common.format == .json
                ? ReportFormats.attendanceJSON(date: day, rows: rows) : ReportFormats.attendanceCSV(rows: rows)
            CLIOutput.writeAll(fd: 1, Array(text.utf8))
        }
    }

    struct HeatmapReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "heatmap", abstract: "Fixes or stop-minutes per grid cell over a time range.")
        @OptionGroup var common: Common
        @Option(help: "A UTC day, YYYY-MM-DD (or use --from/--to).") var date: String?
        @Option(help: "Start, ISO 8601.") var from: String?
        @Option(help: "End, ISO 8601 (exclusive).") var to: String?
        @Option(help: "fixes or stop_minutes.") var metric: Heatmap.Metric = .fixes
        @Option(help: "Cell side, metres.") var cellM = 250.0
        @Option(help: "Most cells listed (largest first).") var limit = 1000

        func run() throws {
            var range: Range<Int64>
            if let date {
                let day = try ReportCommand.date(date)
                range = (day.daysSinceEpoch * 86_400_000)..<((day.daysSinceEpoch + 1) * 86_400_000)
            } else if let from, let to, let a = ISO8601.parse(from.utf8), let b = ISO8601.parse(to.utf8), a < b {
                range = a..<b
            } else {
                throw ValidationError("give --date, or --from and --to as ISO 8601 with from < to")
            }
            guard cellM >= 10 && cellM <= 100_000 else { throw ValidationError("--cell-m must be 10...100000") }
            let (store, reports) = try common.open()
            defer { try? store.close() }
            let map = try reports.heatmap(
                tenant: common.tenant, range: range, metric: metric, cellM: cellM, group: common.group)
            let text =
                common.format == .json
                ? ReportFormats.heatmapJSON(map, metric: metric, limit: limit)
                : ReportFormats.heatmapCSV(map, limit: limit)
            CLIOutput.writeAll(fd: 1, Array(text.utf8))
        }
    }
}

extension ReportFormats.Format: ExpressibleByArgument {}
extension Heatmap.Metric: ExpressibleByArgument {}

/// `fieldtrace plot`: a worker's day as an SVG (track, stops, fences, deviations, scale bar).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "Draw a worker's day as an SVG: track, stops, fences, deviations, scale bar.")
    @Option(help: "The data directory.") var data: String
    @Option(help: "The tenant.") var tenant = "default"
    @Option(help: "The device.") var device: String
    @Option(help: "The local day, YYYY-MM-DD (the worker's group time zone).") var date: String
    @Option(help: "The SVG file to write.") var out: String

    func run() throws {
        let day = try ReportCommand.date(date)
        let store = try openExisting(data)
        defer { try? store.close() }
        let log = try EventLog(catalog: store.catalog)
        let directory = Directory(catalog: store.catalog)
        let reports = FleetReports(store: store, log: log, directory: directory)
        let worker: FleetReports.Worker
        do {
            guard let found = try reports.workers(tenant: tenant, only: device).first else { throw ExitCode(2) }
            worker = found
        } catch let error as DirectoryError {
            CLIOutput.standardError("fieldtrace plot: \(error)\n")
            throw ExitCode(2)
        }
        let (window, _) = FleetReports.day(day, of: worker)
        let fixes = try store.replay(device: worker.device.id, from: window.startMs, to: window.endMs - 1)
        let reader = ActivityReader(log: log)
        let range = window.startMs..<window.endMs
        let stops = try reader.intervals(.stops, device: worker.device.id, range: range).compactMap { stop in
            Self.stopMark(stop)
        }
        let deviations = try reader.intervals(.deviations, device: worker.device.id, range: range).map {
            DayPlot.Interval(startMs: $0.startMs, endMs: $0.endMs ?? window.endMs, label: $0.subject ?? "route")
        }
        let fences = try directory.allGeofences(tenant: tenant).compactMap { try? $0.geofence() }
        let plot = DayPlot(
            title: "\(worker.device.name ?? worker.device.id.rawValue)  \(day)  \(fixes.count) fixes", fixes: fixes,
            fences: fences, stops: stops, deviations: deviations)
        guard FileManager.default.createFile(atPath: out, contents: Data(plot.render().utf8)) else {
            CLIOutput.standardError("fieldtrace plot: cannot write \(out)\n")
            throw ExitCode(1)
        }
        CLIOutput.writeAll(
            fd: 1, Array("plot \(out) fixes=\(fixes.count) stops=\(stops.count) deviations=\(deviations.count)\n".utf8))
    }

    /// A stop's disc: its position and length from the stop events.
    static func stopMark(_ stop: ActivityInterval) -> DayPlot.Interval? {
        guard let (lat, lon) = FleetReports.position(of: stop) else { return nil }
        let end = stop.endMs ?? (stop.endEvent ?? stop.startEvent)?.timeMs ?? stop.startMs
        let minutes = Int((Double(end - stop.startMs) / 60_000).rounded())
        return DayPlot.Interval(
            startMs: stop.startMs, endMs: end, latitude: lat, longitude: lon, label: "\(minutes) min")
    }
}
