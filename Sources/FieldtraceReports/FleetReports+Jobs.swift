import FieldtraceCore
import FieldtraceQuery
import FieldtraceStore

/// Jobs (the directory's `JobRecord`) in the reports: the day's jobs of each worker for the
/// daily summary's response times, and the arrival of any job (its derived "arrived" status).
extension FleetReports {
    /// How long after its assignment a job's arrival is looked for, ms: 24 h. A job not reached
    /// within a day is stale for dispatch, and the bound keeps a job's status one event-log
    /// read. The daily report looks only within the worker's local day (`dailyJobs`).
    public static let jobArrivalHorizonMs: Int64 = 86_400_000

    /// The jobs of every worker (of `group`, or one device) assigned within the worker's local
    /// `date`, cancelled ones left out, as `daily(jobs:)` takes them. Workers with no job are absent.
    public func dailyJobs(tenant: String, date: LocalDate, group: String? = nil, device: String? = nil) throws
        -> [DeviceID: [DailySummary.Job]]
    {
        var out: [DeviceID: [DailySummary.Job]] = [:]
        for worker in try workers(tenant: tenant, group: group, only: device) {
            let (day, _) = Self.day(date, of: worker)
            let jobs = try directory.jobs(
                tenant: tenant, device: worker.device.id, assignedIn: day.startMs..<day.endMs)
            if !jobs.isEmpty { out[worker.device.id] = jobs.map(Self.summaryJob) }
        }
        return out
    }

    /// When each job's worker first reached its site at or after the assignment and within
    /// `jobArrivalHorizonMs`, from the engine's geofence visits; by job id, ms UTC. Cancelled
    /// and unreached jobs are absent. One event-log read per device (per job when a device's
    /// jobs span more than one read's range).
    public func arrivals(of jobs: [JobRecord]) throws -> [String: Int64] {
        let reader = ActivityReader(log: log)
        var out: [String: Int64] = [:]
        for (device, deviceJobs) in Dictionary(grouping: jobs.filter { !$0.isCancelled }, by: \.device) {
            let first = deviceJobs.map(\.assignedMs).min() ?? 0
            let last = deviceJobs.map(\.assignedMs).max() ?? 0
            let batches =
                last - first + Self.jobArrivalHorizonMs <= ActivityReader.maxRangeMs
                ? [deviceJobs] : deviceJobs.map { [$0] }
            for batch in batches {
                let from = batch.map(\.assignedMs).min() ?? 0
                let to = (batch.map(\.assignedMs).max() ?? 0) + Self.jobArrivalHorizonMs
                let visits = try reader.intervals(.visits, device: device, range: from..<to).map {
                    Attendance.Visit(site: $0.subject ?? "", enterMs: $0.startMs, exitMs: $0.endMs)
                }
                for job in batch {
                    let horizon = job.assignedMs + Self.jobArrivalHorizonMs
                    let arrival = DailySummary.arrival(at: Self.summaryJob(job), visits.filter { $0.enterMs < horizon })
                    if let arrival { out[job.id] = arrival }
                }
            }
        }
        return out
    }

    static func summaryJob(_ job: JobRecord) -> DailySummary.Job {
        DailySummary.Job(id: job.id, site: job.site, assignedMs: job.assignedMs)
    }
}
