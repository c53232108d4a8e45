/// The demo day's jobs (issue 7: response time from a job's assignment to the arrival at its
/// site), so the daily report has response times to show once the fleet has driven the day.
extension DemoFleet {
    /// A job of the demo day: `worker` sent to `site`, assigned `assignedSecond` seconds after
    /// the window's start (06:30 local). `key` is unique within a day (setup prefixes the date).
    public struct Job: Sendable, Hashable {
        public var key: String
        public var worker: Int
        public var site: String
        public var assignedSecond: Int
        public var note: String
    }

    /// Workers given jobs: five ordinary ones (not late, not leaving the post, no route), few
    /// enough that a dispatcher reads the list at a glance.
    static let jobWorkers: [Int] = [2, 5, 9, 12, 16]

    /// Each of `jobWorkers` is sent to its second customer site 20 minutes before leaving its
    /// first one (the response is the rest of that stay plus the drive: 20-40 minutes);
    /// the first of them is also sent, at the same time, to a customer site it never visits that
    /// day (its arrival stays null). Deterministic: from the workers' plans only.
    public var jobs: [Job] {
        var out: [Job] = []
        for index in Self.jobWorkers where workers.indices.contains(index) {
            let plan = Self.plan(worker: workers[index], sites: sites, groups: groups, carParks: carParks, seed: seed)
            // visits[0] is the depot in the morning; customers follow.
            let customers = plan.visits.dropFirst().filter { site($0.site)?.isDepot == false }
            guard customers.count >= 2 else { continue }
            let first = customers[customers.startIndex]
            let second = customers[customers.startIndex + 1]
            let assigned = max(first.start, first.end - 20 * 60)
            let tag = "w" + Wire.digits(index, 2)
            out.append(
                Job(
                    key: tag + "-1", worker: index, site: second.site, assignedSecond: assigned,
                    note: "Next call: \(site(second.site)?.name ?? second.site)"))
            if out.count == 1,
                let unvisited = sites.first(where: { s in !s.isDepot && !plan.visits.contains { $0.site == s.id } })
            {
                out.append(
                    Job(
                        key: tag + "-2", worker: index, site: unvisited.id, assignedSecond: assigned,
                        note: "Urgent call the worker will not reach today"))
            }
        }
        return out
    }
}
