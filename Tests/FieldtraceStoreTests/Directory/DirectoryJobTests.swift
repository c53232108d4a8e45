import FieldtraceCore
import GRDB
import Synchronization
import Testing

@testable import FieldtraceStore

@Suite struct DirectoryJobTests {
    static let t0 = DirectoryFixture.now

    /// A fixture with device `w1` and fence `site-a` in tenant "a", and the same ids in tenant "b"
    /// for fence only (`w1` is tenant a's: device ids are global).
    static func fixture() throws -> DirectoryFixture {
        let f = try DirectoryFixture()
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "w1"))
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "w2"))
        _ = try f.directory.createDevice(tenant: "b", NewDevice(id: "wb"))
        _ = try f.directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle("site-a"))
        _ = try f.directory.createGeofence(tenant: "b", feature: DirectoryFixture.circle("site-b"))
        return f
    }

    @Test func createReadUpdateCancelAndDelete() throws {
        let f = try Self.fixture()
        let d = f.directory
        let job = try d.createJob(
            tenant: "a", NewJob(device: "w1", site: "site-a", assignedMs: Self.t0, dueMs: Self.t0 + 3_600_000))
        #expect(job.id.hasPrefix("job_") && job.id.count == 20)
        #expect(job.device == DeviceID("w1") && job.site == "site-a" && !job.isCancelled && job.createdMs == Self.t0)
        #expect(try d.job(tenant: "a", id: job.id) == job)

        f.clock.set(Self.t0 + 60_000)
        let cancelled = try d.updateJob(tenant: "a", id: job.id, JobPatch(note: .some("gate code 42"), cancelled: true))
        #expect(cancelled.cancelledMs == Self.t0 + 60_000 && cancelled.note == "gate code 42")
        #expect(cancelled.updatedMs == Self.t0 + 60_000 && cancelled.createdMs == Self.t0)
        let reopened = try d.updateJob(
            tenant: "a", id: job.id, JobPatch(device: "w2", dueMs: .some(nil), note: .some(nil), cancelled: false))
        #expect(reopened.cancelledMs == nil && reopened.dueMs == nil && reopened.note == nil)
        #expect(try d.job(tenant: "a", id: job.id) == reopened && reopened.device == DeviceID("w2"))

        try d.deleteJob(tenant: "a", id: job.id)
        #expect(directoryError { try d.job(tenant: "a", id: job.id) }?.isNotFound == true)
        #expect(directoryError { try d.deleteJob(tenant: "a", id: job.id) }?.isNotFound == true)
    }

    @Test func badInputIsRefusedWithAReason() throws {
        let f = try Self.fixture()
        let d = f.directory
        func invalid(_ new: NewJob) -> String? {
            guard case .invalid(let m)? = directoryError({ try d.createJob(tenant: "a", new) }) else { return nil }
            return m
        }
        #expect(invalid(NewJob(device: "nobody", site: "site-a", assignedMs: Self.t0))?.contains("device") == true)
        #expect(invalid(NewJob(device: "wb", site: "site-a", assignedMs: Self.t0))?.contains("device") == true)
        #expect(invalid(NewJob(device: "w1", site: "site-b", assignedMs: Self.t0))?.contains("site") == true)
        #expect(invalid(NewJob(device: "w1", site: "no site", assignedMs: Self.t0))?.contains("site") == true)
        #expect(invalid(NewJob(device: "w1", site: "site-a", assignedMs: -1))?.contains("assigned_at") == true)
        #expect(
            invalid(NewJob(device: "w1", site: "site-a", assignedMs: Self.t0, dueMs: Self.t0 - 1))?.contains("due_at")
                == true)
        #expect(invalid(NewJob(device: "w1", site: "site-a", assignedMs: Self.t0, note: "a\u{7}b")) != nil)
        #expect(
            invalid(
                NewJob(device: "w1", site: "site-a", assignedMs: Self.t0, note: String(repeating: "x", count: 1001)))
                != nil)
        #expect(invalid(NewJob(id: "bad id", device: "w1", site: "site-a", assignedMs: Self.t0)) != nil)
        _ = try d.createJob(
            tenant: "a", NewJob(id: "j1", device: "w1", site: "site-a", assignedMs: Self.t0, note: "a\nb"))
        let taken = directoryError {
            try d.createJob(tenant: "a", NewJob(id: "j1", device: "w1", site: "site-a", assignedMs: 0))
        }
        #expect(taken?.isConflict == true)
        let backwards = directoryError {
            try d.updateJob(tenant: "a", id: "j1", JobPatch(dueMs: .some(Self.t0 - 60_000)))
        }
        #expect(backwards?.isInvalid == true)
        #expect(try d.job(tenant: "a", id: "j1").dueMs == nil, "a refused change changes nothing")
    }

    @Test func anotherTenantsJobsAreNotFound() throws {
        let f = try Self.fixture()
        let d = f.directory
        _ = try d.createJob(tenant: "a", NewJob(id: "j1", device: "w1", site: "site-a", assignedMs: Self.t0))
        #expect(directoryError { try d.job(tenant: "b", id: "j1") }?.isNotFound == true)
        #expect(
            directoryError { try d.updateJob(tenant: "b", id: "j1", JobPatch(cancelled: true)) }?.isNotFound == true)
        #expect(directoryError { try d.deleteJob(tenant: "b", id: "j1") }?.isNotFound == true)
        #expect(try d.jobs(tenant: "b").items.isEmpty)
        #expect(directoryError { try d.jobs(tenant: "b", filter: JobFilter(device: "w1")) }?.isNotFound == true)
        // The same id in tenant b is its own job.
        _ = try d.createJob(tenant: "b", NewJob(id: "j1", device: "wb", site: "site-b", assignedMs: Self.t0))
        #expect(try d.job(tenant: "a", id: "j1").site == "site-a" && d.job(tenant: "b", id: "j1").site == "site-b")
    }

    @Test func listsFilterByDeviceAndTimeAndPageByID() throws {
        let f = try Self.fixture()
        let d = f.directory
        for i in 0..<5 {
            _ = try d.createJob(
                tenant: "a",
                NewJob(
                    id: "j\(i)", device: i % 2 == 0 ? "w1" : "w2", site: "site-a", assignedMs: Self.t0 + Int64(i) * 1000
                ))
        }
        var ids: [String] = []
        var page = PageRequest(limit: 2)
        while true {
            let result = try d.jobs(tenant: "a", page: page)
            ids += result.items.map(\.id)
            guard let next = result.nextCursor else { break }
            page = PageRequest(limit: 2, cursor: next)
        }
        #expect(ids == ["j0", "j1", "j2", "j3", "j4"])
        #expect(try d.jobs(tenant: "a", filter: JobFilter(device: "w1")).items.map(\.id) == ["j0", "j2", "j4"])
        let window = JobFilter(assignedFromMs: Self.t0 + 1000, assignedToMs: Self.t0 + 3000)
        #expect(try d.jobs(tenant: "a", filter: window).items.map(\.id) == ["j1", "j2"])
        let empty = JobFilter(assignedFromMs: Self.t0, assignedToMs: Self.t0)
        #expect(directoryError { try d.jobs(tenant: "a", filter: empty) }?.isInvalid == true)

        _ = try d.updateJob(tenant: "a", id: "j2", JobPatch(cancelled: true))
        let reportJobs = try d.jobs(tenant: "a", device: DeviceID("w1")!, assignedIn: Self.t0..<(Self.t0 + 10_000))
        #expect(reportJobs.map(\.id) == ["j0", "j4"], "cancelled jobs are left out of the reports")
        let all = try d.jobs(
            tenant: "a", device: DeviceID("w1")!, assignedIn: Self.t0..<(Self.t0 + 10_000), includeCancelled: true)
        #expect(all.map(\.id) == ["j0", "j2", "j4"])
    }

    @Test func aVersion7CatalogGainsTheJobsTable() throws {
        let dir = TemporaryDirectory("jobs-migration")
        defer { dir.remove() }
        do {
            let pool = try DatabasePool(path: dir.path + "/catalog.sqlite")
            try Catalog.migrator.migrate(pool, upTo: "v7: webhooks")
            #expect(try pool.read { try $0.tableExists("jobs") } == false)
        }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        #expect(try store.catalog.pool.read { try Catalog.migrator.appliedIdentifiers($0) }.contains("v8: jobs"))
        let d = Directory(catalog: store.catalog, nowMs: { 1000 })
        _ = try d.createDevice(tenant: "a", NewDevice(id: "w1"))
        _ = try d.createGeofence(tenant: "a", feature: DirectoryFixture.circle("s"))
        #expect(try d.createJob(tenant: "a", NewJob(device: "w1", site: "s", assignedMs: 5)).createdMs == 1000)
    }

    @Test func jobWritesDoNotRebuildAnalyticsSetups() throws {
        let f = try Self.fixture()
        let heard = Counter()
        f.directory.observeChanges { _ in heard.add() }
        let job = try f.directory.createJob(tenant: "a", NewJob(device: "w1", site: "site-a", assignedMs: Self.t0))
        _ = try f.directory.updateJob(tenant: "a", id: job.id, JobPatch(cancelled: true))
        try f.directory.deleteJob(tenant: "a", id: job.id)
        #expect(heard.value == 0)
        _ = try f.directory.createGroup(tenant: "a", NewGroup(name: "G"))
        #expect(heard.value == 1, "the observer works")
    }
}

/// A thread-safe counter for observer calls.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
