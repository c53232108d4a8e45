import FieldtraceCore
import Testing

@testable import FieldtraceTestSupport

/// The demo day's jobs: reached ones are reached after their assignment (a response time of
/// tens of minutes), the unreachable one is never visited.
@Suite struct DemoFleetJobsTests {
    static let fleet = DemoFleet(seed: 1)

    @Test func jobsAreReachedAfterTheirAssignmentExceptTheUnreachableOne() {
        let jobs = Self.fleet.jobs
        #expect(jobs.count == 6 && Set(jobs.map(\.key)).count == 6)
        #expect(jobs.map(\.worker) == [2, 2, 5, 9, 12, 16])
        let dayStartMs = DemoFleetTests.dayStartMs
        var reached = 0
        for job in jobs {
            #expect(Self.fleet.site(job.site)?.isDepot == false, "\(job.key): a customer site")
            let visits = Self.fleet.day(worker: job.worker, dayStartMs: dayStartMs).visits
            let assignedMs = dayStartMs + Int64(job.assignedSecond) * 1000
            guard let arrival = visits.first(where: { $0.site == job.site }) else { continue }
            reached += 1
            let minutes = Double(arrival.arriveMs - assignedMs) / 60_000
            #expect(minutes > 2 && minutes < 90, "\(job.key): \(minutes) minutes")
        }
        #expect(reached == 5, "one job's site is never visited")
        #expect(DemoFleet(seed: 1).jobs == jobs, "deterministic")
    }
}
