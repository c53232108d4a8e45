import FieldtraceAnalytics
import FieldtraceCore

/// A worker's day in numbers (issue 7, `/v1/reports/daily`): distance on the smoothed track,
/// moving time, stops, trips, top speed, visits, deviations, time on site against time
/// travelling, and how fast assigned jobs were reached. Pure: the caller supplies the day's
/// fixes and what the engine concluded (stops, trips, visits, deviations from the event log).
public struct DailySummary: Sendable, Hashable {
    /// A job given to the worker: go to `site` (a fence id), assigned at `assignedMs`.
    public struct Job: Sendable, Hashable {
        public var id: String
        public var site: String
        public var assignedMs: Int64

        public init(id: String, site: String, assignedMs: Int64) {
            self.id = id
            self.site = site
            self.assignedMs = assignedMs
        }
    }

    /// How long a job took to reach: the first arrival at its site after the assignment.
    public struct Response: Sendable, Hashable {
        public var job: String
        public var site: String
        public var assignedMs: Int64
        /// nil when the worker has not arrived (within the day).
        public var arrivedMs: Int64?
        public var minutes: Double? { arrivedMs.map { Double($0 - assignedMs) / 60_000 } }
    }

    public var device: DeviceID
    public var fixes = 0
    /// Along the RTS-smoothed track during trips, gaps longer than `maxBridgedGapS` not
    /// bridged, metres.
    public var distanceM = 0.0
    /// Trip time within the day, minutes.
    public var movingMinutes = 0.0
    public var stops = 0
    public var stopMinutes = 0.0
    public var trips = 0
    /// Highest speed of the smoothed track, km/h (the smoother's velocity: one outlier fix
    /// cannot make a worker drive at 300 km/h).
    public var maxSpeedKmh = 0.0
    public var visits = 0
    /// Time inside any site fence within the day, minutes (overlapping visits counted once).
    public var onSiteMinutes = 0.0
    /// Moving and not on a site, minutes.
    public var travellingMinutes = 0.0
    public var deviations = 0
    public var deviationMinutes = 0.0
    /// Time without fixes longer than `maxBridgedGapS` within the first and last fix, minutes.
    public var gapMinutes = 0.0
    public var responses: [Response] = []

    /// Gaps up to this are bridged by a straight line when summing distance, seconds: 600, a
    /// tunnel or a car park; beyond it the worker may have gone anywhere, and a straight line
    /// would undercount as much as it guesses.
    public static let maxBridgedGapS = 600.0

    public init(device: DeviceID) {
        self.device = device
    }

    /// The summary of one device-day.
    /// - Parameters:
    ///   - fixes: the device's stored fixes of the day, time order.
    ///   - stops, trips, deviations: windows of the engine's stops, trips and deviations.
    ///   - visits: the device's visits (any fences), from `Attendance.visits`.
    public static func summarize(
        device: DeviceID, day: Attendance.Window, fixes: [Fix], stops: [Attendance.Window],
        trips: [Attendance.Window], visits: [Attendance.Visit], deviations: [Attendance.Window], jobs: [Job] = [],
        configuration: AnalyticsConfiguration = .init()
    ) -> DailySummary {
        var s = DailySummary(device: device)
        let inDay = fixes.filter { $0.timeMs >= day.startMs && $0.timeMs < day.endMs }
        s.fixes = inDay.count
        let cleaned = SanityFilter.filter(inDay, configuration: configuration.sanity).filter(\.isAccepted).map(\.fix)
        let smoothed = RTSSmoother.smooth(cleaned, configuration: configuration.kalman).filter { !$0.isRejected }
        // Distance is summed while moving only (inside trips, when the engine found any): at a
        // stop the smoothed position still wanders by a metre or two per fix, which over hours
        // on site adds kilometres the worker never went.
        let moving = Attendance.mergedWindows(trips)
        var nextTrip = 0
        for (a, b) in zip(smoothed, smoothed.dropFirst()) {
            let gapS = Double(b.timeMs - a.timeMs) / 1000
            if gapS > maxBridgedGapS {
                s.gapMinutes += gapS / 60
                continue
            }
            if !moving.isEmpty {
                while nextTrip < moving.count && moving[nextTrip].endMs < b.timeMs { nextTrip += 1 }
                guard nextTrip < moving.count, moving[nextTrip].startMs <= a.timeMs else { continue }
            }
            s.distanceM += Geodesy.haversineMeters(
                lat1: Double(a.latitudeE7) / 1e7, lon1: Double(a.longitudeE7) / 1e7, lat2: Double(b.latitudeE7) / 1e7,
                lon2: Double(b.longitudeE7) / 1e7)
        }
        s.maxSpeedKmh = (smoothed.map(\.speedMps).max() ?? 0) * 3.6
        func minutes(_ windows: [Attendance.Window]) -> Double {
            Attendance.mergedWindows(windows.compactMap { Attendance.clip($0, to: day) })
                .reduce(0) { $0 + Double($1.endMs - $1.startMs) / 60_000 }
        }
        let dayStops = stops.filter { $0.endMs > day.startMs && $0.startMs < day.endMs }
        s.stops = dayStops.count
        s.stopMinutes = minutes(dayStops)
        let dayTrips = trips.filter { $0.endMs > day.startMs && $0.startMs < day.endMs }
        s.trips = dayTrips.count
        s.movingMinutes = minutes(dayTrips)
        let lastMs = min(day.endMs, max(day.startMs, inDay.last?.timeMs ?? day.startMs))
        let presence = Attendance.mergedPresence(
            visits.filter { $0.enterMs < day.endMs && ($0.exitMs ?? .max) > day.startMs }, until: lastMs)
        s.visits = visits.filter { $0.enterMs < day.endMs && ($0.exitMs ?? .max) > day.startMs }.count
        s.onSiteMinutes = minutes(presence)
        let travelling = dayTrips.flatMap { trip in
            Attendance.clip(trip, to: day).map { Attendance.subtract(presence, from: $0) } ?? []
        }
        s.travellingMinutes = minutes(travelling)
        let dayDeviations = deviations.filter { $0.endMs > day.startMs && $0.startMs < day.endMs }
        s.deviations = dayDeviations.count
        s.deviationMinutes = minutes(dayDeviations)
        s.responses = jobs.sorted { ($0.assignedMs, $0.id) < ($1.assignedMs, $1.id) }.map { job in
            Response(job: job.id, site: job.site, assignedMs: job.assignedMs, arrivedMs: arrival(at: job, visits))
        }
        return s
    }
}

extension DailySummary {
    /// When the worker reached `job`'s site: the first visit of the site still open at the
    /// assignment (already there: the assignment instant, 0 minutes) or begun after it; nil
    /// when none of `visits` is. Ms UTC.
    public static func arrival(at job: Job, _ visits: [Attendance.Visit]) -> Int64? {
        visits.filter { $0.site == job.site && ($0.exitMs ?? .max) >= job.assignedMs }
            .map { max($0.enterMs, job.assignedMs) }.min()
    }
}

/// Totals over workers (the fleet line of the daily report).
public struct FleetTotals: Sendable, Hashable {
    public var workers = 0
    public var distanceM = 0.0
    public var movingMinutes = 0.0
    public var stopMinutes = 0.0
    public var onSiteMinutes = 0.0
    public var travellingMinutes = 0.0
    public var visits = 0
    public var deviations = 0
    /// Median response to jobs reached, minutes; nil when none were.
    public var medianResponseMinutes: Double?

    public init(_ days: [DailySummary]) {
        workers = days.count
        for d in days {
            distanceM += d.distanceM
            movingMinutes += d.movingMinutes
            stopMinutes += d.stopMinutes
            onSiteMinutes += d.onSiteMinutes
            travellingMinutes += d.travellingMinutes
            visits += d.visits
            deviations += d.deviations
        }
        let responses = days.flatMap(\.responses).compactMap(\.minutes).sorted()
        if !responses.isEmpty {
            let mid = responses.count / 2
            medianResponseMinutes =
                responses.count % 2 == 1 ? responses[mid] : (responses[mid - 1] + responses[mid]) / 2
        }
    }
}
