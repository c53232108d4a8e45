import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceQuery
import FieldtraceStore

/// The reports of a tenant's fleet, read from the stores: attendance and daily summaries per
/// worker and local day, heatmaps. Used by the API (`/v1/reports/...`) and by `fieldtrace
/// report`, so both give the same numbers.
///
/// Days are local to each worker's group (its time zone); a worker without a group is on UTC
/// with no shifts. A worker's sites (its "post") are the fences scoped to its group plus the
/// fences scoped to no group. Visits, stops, trips and deviations are the engine's events
/// (`ActivityReader`); distances come from the stored track.
public struct FleetReports: Sendable {
    public let store: TrackStore
    public let log: EventLog
    public let directory: Directory

    public init(store: TrackStore, log: EventLog, directory: Directory) {
        self.store = store
        self.log = log
        self.directory = directory
    }

    /// A worker and what their day is measured against.
    public struct Worker: Sendable {
        public var device: DeviceRecord
        public var timeZone: GroupTimeZone
        public var schedule: WeeklySchedule
        public var sites: Set<String>
    }

    /// The tenant's workers (one group, or all), in device order; `only` narrows to one device.
    public func workers(tenant: String, group: String? = nil, only: String? = nil) throws -> [Worker] {
        var devices: [DeviceRecord] = []
        if let only {
            let device = try directory.device(tenant: tenant, id: only)
            // Asked within a group (a token scoped to it): a device of another group is unseen.
            if let group, device.group != group { throw DirectoryError.notFound("device \(only.prefix(64))") }
            devices = [device]
        } else {
            var page = PageRequest(limit: PageRequest.maxLimit)
            while true {
                let result = try directory.devices(tenant: tenant, group: group, page: page)
                devices += result.items
                guard let next = result.nextCursor else { break }
                page = PageRequest(limit: PageRequest.maxLimit, cursor: next)
            }
        }
        let fences = try directory.allGeofences(tenant: tenant)
        var groups: [String: DeviceGroup] = [:]
        var out: [Worker] = []
        for device in devices.sorted(by: { $0.id < $1.id }) {
            var zone = GroupTimeZone.utcOffset(minutes: 0)
            var schedule = WeeklySchedule()
            if let id = device.group {
                if groups[id] == nil { groups[id] = try? directory.group(tenant: tenant, id: id) }
                if let g = groups[id] {
                    zone = g.timeZone
                    schedule = g.schedule
                }
            }
            let sites = Set(fences.filter { $0.group == nil || $0.group == device.group }.map(\.id))
            out.append(Worker(device: device, timeZone: zone, schedule: schedule, sites: sites))
        }
        return out
    }

    /// The local day `date` of a worker, UTC ms, and its shifts (a night shift ends the next day).
    public static func day(_ date: LocalDate, of worker: Worker) -> (Attendance.Window, [Attendance.Window]) {
        let zone = worker.timeZone
        let day = Attendance.Window(startMs: zone.utcMs(of: date), endMs: zone.utcMs(of: date.adding(days: 1)))
        let shifts = worker.schedule.shifts(on: date).map { shift in
            Attendance.Window(
                startMs: zone.utcMs(of: date, minuteOfDay: shift.startMinute),
                endMs: shift.endMinute > shift.startMinute
                    ? zone.utcMs(of: date, minuteOfDay: shift.endMinute)
                    : zone.utcMs(of: date.adding(days: 1), minuteOfDay: shift.endMinute))
        }
        return (day, shifts)
    }

    func intervals(_ kind: ActivityKind, _ device: DeviceRecord, _ range: Range<Int64>) throws -> [ActivityInterval] {
        try ActivityReader(log: log).intervals(kind, device: device.id, range: range)
    }

    static func windows(_ intervals: [ActivityInterval], openUntil endMs: Int64) -> [Attendance.Window] {
        intervals.compactMap { i in
            let end = i.endMs ?? endMs
            return end > i.startMs ? Attendance.Window(startMs: i.startMs, endMs: end) : nil
        }
    }

    /// One worker's attendance row.
    public struct AttendanceRow: Sendable {
        public var worker: Worker
        public var day: Attendance.Window
        public var shifts: [Attendance.Window]
        public var report: Attendance.Report
    }

    /// Attendance of every worker (of `group`) on their local `date`, as it stands at `nowMs`.
    public func attendance(
        tenant: String, date: LocalDate, group: String? = nil, nowMs: Int64, rules: Attendance.Rules = .init()
    ) throws -> [AttendanceRow] {
        try workers(tenant: tenant, group: group).map { worker in
            let (day, shifts) = Self.day(date, of: worker)
            let horizon = max(day.endMs, shifts.map(\.endMs).max() ?? day.endMs)
            let range = day.startMs..<horizon
            let visits = try intervals(.visits, worker.device, range).map {
                Attendance.Visit(site: $0.subject ?? "", enterMs: $0.startMs, exitMs: $0.endMs)
            }
            let trips = Self.windows(try intervals(.trips, worker.device, range), openUntil: nowMs)
            let report = Attendance.report(
                day: day, visits: visits, assignedSites: worker.sites, shifts: shifts, movement: trips,
                nowMs: nowMs < horizon ? nowMs : nil, rules: rules)
            return AttendanceRow(worker: worker, day: day, shifts: shifts, report: report)
        }
    }

    /// Daily summaries of every worker (of `group`, or one device) on their local `date`.
    public func daily(
        tenant: String, date: LocalDate, group: String? = nil, device: String? = nil, nowMs: Int64,
        jobs: [DeviceID: [DailySummary.Job]] = [:]
    ) throws -> [DailySummary] {
        try workers(tenant: tenant, group: group, only: device).map { worker in
            let (day, _) = Self.day(date, of: worker)
            let range = day.startMs..<day.endMs
            let fixes = try store.replay(device: worker.device.id, from: day.startMs, to: day.endMs - 1)
            let openUntil = min(nowMs, day.endMs)
            return DailySummary.summarize(
                device: worker.device.id, day: day, fixes: fixes,
                stops: Self.windows(try intervals(.stops, worker.device, range), openUntil: openUntil),
                trips: Self.windows(try intervals(.trips, worker.device, range), openUntil: openUntil),
                visits: try intervals(.visits, worker.device, range).map {
                    Attendance.Visit(site: $0.subject ?? "", enterMs: $0.startMs, exitMs: $0.endMs)
                },
                deviations: Self.windows(try intervals(.deviations, worker.device, range), openUntil: openUntil),
                jobs: jobs[worker.device.id] ?? [])
        }
    }

    /// Fixes or stop-minutes per cell over `range` for the tenant's workers (of `group`).
    public func heatmap(
        tenant: String, range: Range<Int64>, metric: Heatmap.Metric, cellM: Double, group: String? = nil
    ) throws -> Heatmap {
        let workers = try workers(tenant: tenant, group: group)
        var map: Heatmap?
        for worker in workers {
            switch metric {
            case .fixes:
                try store.replay(device: worker.device.id, from: range.lowerBound, to: range.upperBound - 1) { fixes in
                    for fix in fixes {
                        if map == nil { map = Heatmap(cellM: cellM, referenceLatitude: Double(fix.latitudeE7) / 1e7) }
                        map!.add(fix)
                    }
                }
            case .stopMinutes:
                for stop in try intervals(.stops, worker.device, range) {
                    guard let (lat, lon) = Self.position(of: stop) else { continue }
                    let start = max(stop.startMs, range.lowerBound)
                    let end = min(stop.endMs ?? range.upperBound, range.upperBound)
                    guard end > start else { continue }
                    if map == nil { map = Heatmap(cellM: cellM, referenceLatitude: lat) }
                    map!.add(
                        latitude: lat, longitude: lon, weight: Double(end - start) / 60_000, device: worker.device.id)
                }
            }
        }
        return map ?? Heatmap(cellM: cellM, referenceLatitude: 0)
    }

    /// Where a stop was: the `position` its events carry (`[lon, lat]`), degrees; nil if absent.
    public static func position(of stop: ActivityInterval) -> (latitude: Double, longitude: Double)? {
        guard let event = stop.endEvent ?? stop.startEvent, let payload = try? JSONParser().parse(event.payload),
            let position = payload["position"]?.arrayValue, position.count >= 2,
            let lon = position[0].doubleValue, let lat = position[1].doubleValue
        else { return nil }
        return (lat, lon)
    }
}
