import FieldtraceAPI
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Foundation

/// Writes the demo world (`DemoFleet`) into a data directory's directory tables, for one
/// tenant: groups with shifts, the workers' devices, sites and depots as geofences, planned
/// routes and their assignments, the demo day's jobs (`DemoFleet.jobs`); and an admin token of the tenant (the API's access store).
///
/// Idempotent: only what is missing is written. A row with a demo id that already exists is
/// left as it is (an edited fence stays edited); a route keeps its assignment while that covers
/// the days the demo may simulate (`assignmentPastDays` before today to `assignmentFutureDays`
/// after), else a new one is added. The admin token's secret is kept in `demo/admin-token`
/// (mode 0600) beside the catalog, since the store keeps only its hash: it is reused while the
/// token is active, else a new one is made. A second run on the same day writes nothing.
enum DemoSetup {
    /// Days before today (local) a route assignment covers: the demo replays the latest weekday,
    /// at most 3 days back (Friday seen on a Monday morning); 7 leaves room for late reports.
    static let assignmentPastDays: Int64 = 7
    /// Days after today an assignment covers, so a demo left running keeps its routes for a week.
    static let assignmentFutureDays: Int64 = 7

    struct Summary: Equatable {
        /// Rows written per kind (`groups`, `devices`, `geofences`, `routes`, `assignments`, `jobs`).
        var written: [String: Int] = [:]
        /// Rows that were already there.
        var kept = 0
        /// The tenant's admin token (its secret).
        var adminToken = ""
        var total: Int { written.values.reduce(0, +) }
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(data: String, tenant: String, seed: UInt64, nowMs: Int64) throws -> Summary {
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let catalog = try Catalog(path: data + "/catalog.sqlite")
        let directory = Directory(catalog: catalog)
        let fleet = DemoFleet(seed: seed)
        var summary = Summary()
        func note(_ kind: String, _ wrote: Bool) {
            if wrote { summary.written[kind, default: 0] += 1 } else { summary.kept += 1 }
        }

        for group in fleet.groups {
            let exists = try found { try directory.group(tenant: tenant, id: group.id) }
            if !exists {
                _ = try directory.createGroup(
                    tenant: tenant,
                    NewGroup(id: group.id, name: group.name, timeZone: group.timeZone, shifts: group.shiftsJSON))
            }
            note("groups", !exists)
        }
        for worker in fleet.workers {
            let existing = try? directory.device(tenant: tenant, id: worker.deviceID)
            let register = existing?.registeredMs == nil
            if register {
                do {
                    _ = try directory.createDevice(
                        tenant: tenant,
                        NewDevice(id: worker.deviceID, name: worker.name, group: worker.group, kind: "vehicle"))
                } catch let error as DirectoryError {
                    throw SetupError(description: "device \(worker.deviceID): \(error)")
                }
            }
            note("devices", register)
        }
        for site in fleet.sites {
            let exists = try found { try directory.geofence(tenant: tenant, id: site.id) }
            if !exists { _ = try directory.createGeofence(tenant: tenant, feature: Array(site.feature.utf8)) }
            note("geofences", !exists)
        }
        let zone = try GroupTimeZone(parsing: DemoFleet.timeZone)
        let today = zone.localDate(atUTCMs: nowMs)
        for route in fleet.routes {
            let exists = try found { try directory.route(tenant: tenant, id: route.id) }
            if !exists { _ = try directory.createRoute(tenant: tenant, feature: Array(route.feature.utf8)) }
            note("routes", !exists)
            let device = fleet.workers[route.worker].deviceID
            let covered = try directory.assignments(tenant: tenant, route: route.id, page: PageRequest(limit: 1000))
                .items.contains { a in
                    a.target == .device(DeviceID(device)!) && a.fromDate <= today.adding(days: -3)
                        && a.toDate >= today.adding(days: 1)
                }
            if !covered {
                _ = try directory.createAssignment(
                    tenant: tenant, route: route.id,
                    NewAssignment(
                        device: device, fromDate: today.adding(days: -assignmentPastDays).description,
                        toDate: today.adding(days: assignmentFutureDays).description))
            }
            note("assignments", !covered)
        }

        // The jobs of the day `demo fleet` simulates by default (the latest weekday whose 06:30
        // has passed), so the daily report shows response times once the fleet has driven it.
        let demoDate = DemoClock.demoDate(nowMs: nowMs, zone: zone)
        let windowStartMs = zone.utcMs(of: demoDate, minuteOfDay: DemoFleet.windowStartMinute)
        for job in fleet.jobs {
            let id = "demo-\(demoDate)-\(job.key)"
            let exists = try found { try directory.job(tenant: tenant, id: id) }
            if !exists {
                _ = try directory.createJob(
                    tenant: tenant,
                    NewJob(
                        id: id, device: fleet.workers[job.worker].deviceID, site: job.site,
                        assignedMs: windowStartMs + Int64(job.assignedSecond) * 1000, note: job.note))
            }
            note("jobs", !exists)
        }

        let token = try adminToken(data: data, tenant: tenant, catalog: catalog, nowMs: nowMs)
        note("tokens", token.created)
        summary.adminToken = token.secret
        return summary
    }

    /// Whether `body` finds its row: false on `.notFound`, other errors thrown.
    static func found(_ body: () throws -> some Any) throws -> Bool {
        do {
            _ = try body()
            return true
        } catch DirectoryError.notFound {
            return false
        }
    }

    /// The demo's admin token: the one whose secret `demo/admin-token` keeps, if the store still
    /// has it active for the tenant, else a new one (secret written to the file, mode 0600).
    static func adminToken(data: String, tenant: String, catalog: Catalog, nowMs: Int64) throws -> (
        secret: String, created: Bool
    ) {
        let access = AccessStore(catalog: catalog)
        let path = data + "/demo/admin-token"
        if let bytes = FileManager.default.contents(atPath: path) {
            let secret = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let hash = Secrets.sha256Hex(secret)
            var after = ""
            while true {
                let page = try access.tokens(tenant: tenant, afterID: after, limit: 1000)
                if page.contains(where: {
                    $0.secretHash == hash && $0.role == Role.admin.rawValue && $0.isActive(atMs: nowMs)
                }) {
                    return (secret, false)
                }
                guard page.count == 1000, let last = page.last else { break }
                after = last.id
            }
        }
        let (_, secret) = try TokenIssuer.issue(
            access: access, tenant: tenant, role: .admin, name: "demo admin (fieldtrace demo setup)", nowMs: nowMs)
        try FileManager.default.createDirectory(atPath: data + "/demo", withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw SetupError(description: "cannot write \(path)") }
        return (secret, true)
    }
}
