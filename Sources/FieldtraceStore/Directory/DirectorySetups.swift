import FieldtraceAnalytics
import FieldtraceCore
import GRDB
import Synchronization

/// The analytics setups of the directory's tenants, for the engine's profile closure:
///
/// ```swift
/// let setups = DirectorySetups(directory: directory, defaultTenant: tenant, seedFences: fences, seedRoutes: routes)
/// let engine = AnalyticsEngine(..., profile: { device in
///     let p = setups.profile(for: device)
///     return DeviceProfile(tenant: p.tenant, setup: p.setup)
/// })
/// directory.observeChanges { tenant in engine.refreshProfiles(tenant: tenant) }
/// // on every engine tick: setups.rollOver()
/// ```
///
/// A device's setup is that of its tenant and group: the tenant's fences without a group and
/// those of the device's group, and the daily windows of the route assignments of the group's
/// devices that fall within `routePastDays` before and `routeFutureDays` after today (UTC). A
/// device only seen on the wire (not registered) belongs to `defaultTenant`, without a group.
/// The seed fences and routes (the `--fences` / `--routes` files of `serve`) join every setup
/// of `defaultTenant`; a directory fence or route with the same id replaces a seed one.
///
/// Setups are built on first use and cached; every directory change of a tenant drops its
/// cached setups (this object observes the directory), and a new UTC day drops all of them
/// (`rollOver`) since the window of days moved.
public final class DirectorySetups: Sendable {
    public let directory: Directory
    public let defaultTenant: String
    let configuration: AnalyticsConfiguration
    let seedFences: [Geofence]
    let seedRoutes: [PlannedRoute]
    /// Days before today (UTC) whose route windows stay in a setup: 7 covers the engine's
    /// late-data window (4 days by default) with room for a long weekend of buffered uploads.
    let routePastDays: Int
    /// Days after today (UTC) whose route windows are already in a setup: 2 covers every time
    /// zone's "today" and devices whose clocks run ahead, within the engine's future tolerance.
    let routeFutureDays: Int
    let nowMs: @Sendable () -> Int64
    private let state: Mutex<State>

    struct Key: Hashable {
        var tenant: String
        var group: String?
    }

    struct State {
        var setups: [Key: AnalyticsSetup] = [:]
        /// Bumped by every invalidation of a tenant: a build that started before it is not cached.
        var generation: [String: Int] = [:]
        /// The UTC day the cached setups were built for.
        var day: Int64
        /// Tenants whose setups were handed out since the last day roll-over.
        var served: Set<String> = []
        /// Builds that failed (a damaged catalog row): the device got the seed-only setup.
        var failures = 0
        var lastFailure: String?
        /// Setups built (cache misses), for tests.
        var builds = 0
    }

    public init(
        directory: Directory, defaultTenant: String = "default", configuration: AnalyticsConfiguration = .init(),
        seedFences: [Geofence] = [], seedRoutes: [PlannedRoute] = [], routePastDays: Int = 7,
        routeFutureDays: Int = 2, nowMs: @escaping @Sendable () -> Int64 = Directory.wallClockMs
    ) {
        precondition(routePastDays >= 0 && routeFutureDays >= 0, "route window days are not negative")
        self.directory = directory
        self.defaultTenant = defaultTenant
        self.configuration = configuration
        self.seedFences = seedFences
        self.seedRoutes = seedRoutes
        self.routePastDays = routePastDays
        self.routeFutureDays = routeFutureDays
        self.nowMs = nowMs
        state = Mutex(State(day: LocalDate(utcMs: nowMs()).daysSinceEpoch))
        directory.observeChanges { [weak self] tenant in self?.invalidate(tenant: tenant) }
    }

    /// Builds that failed so far, and the last error (for logs and metrics).
    public var failures: (count: Int, last: String?) { state.withLock { ($0.failures, $0.lastFailure) } }

    /// Setups built so far (cache misses).
    var builds: Int { state.withLock { $0.builds } }

    /// A device's tenant and setup. Never throws: when the catalog cannot be read, the device
    /// gets `defaultTenant` and the seed setup, and the failure is counted (`failures`).
    public func profile(for device: DeviceID) -> (tenant: String, setup: AnalyticsSetup) {
        var key = Key(tenant: defaultTenant, group: nil)
        do {
            if let row = try directory.read({ db in try Directory.fetchDevice(db, id: device) }),
                row.registeredMs != nil
            {
                key = Key(tenant: row.tenant, group: row.group)
            }
            return (key.tenant, try setup(key))
        } catch {
            state.withLock {
                $0.failures += 1
                $0.lastFailure = "\(device): \(error)"
            }
            let fallback = AnalyticsSetup(
                configuration: configuration, fences: key.tenant == defaultTenant ? seedFences : [],
                routes: key.tenant == defaultTenant ? seedRoutes : [])
            return (key.tenant, fallback)
        }
    }

    /// The setup of devices of `tenant` in `group` (nil: devices without a group).
    public func setup(tenant: String, group: String?) throws -> AnalyticsSetup {
        try setup(Key(tenant: tenant, group: group))
    }

    func setup(_ key: Key) throws -> AnalyticsSetup {
        let (cached, generation, day) = state.withLock { s in
            s.served.insert(key.tenant)
            return (s.setups[key], s.generation[key.tenant, default: 0], s.day)
        }
        if let cached { return cached }
        let setup = try build(key, day: LocalDate(daysSinceEpoch: day))
        state.withLock { s in
            s.builds += 1
            if s.generation[key.tenant, default: 0] == generation, s.day == day { s.setups[key] = setup }
        }
        return setup
    }

    /// Drops a tenant's cached setups (called on every directory change of the tenant).
    public func invalidate(tenant: String) {
        state.withLock { s in
            s.generation[tenant, default: 0] += 1
            s.setups = s.setups.filter { $0.key.tenant != tenant }
        }
    }

    /// Call on every engine tick: on the first call of a new UTC day, drops every cached setup
    /// and notifies the directory's observers (so the engine refreshes) of each tenant that was
    /// served and has route assignments in the old or the new window of days. Returns those tenants.
    @discardableResult
    public func rollOver() -> [String] {
        let today = LocalDate(utcMs: nowMs()).daysSinceEpoch
        let previous: (day: Int64, served: Set<String>)? = state.withLock { s in
            guard s.day != today else { return nil }
            defer {
                s.day = today
                s.served = []
                s.setups = [:]
                for tenant in s.generation.keys { s.generation[tenant, default: 0] += 1 }
            }
            return (s.day, s.served)
        }
        guard let previous else { return [] }
        let old = horizon(around: LocalDate(daysSinceEpoch: previous.day))
        let new = horizon(around: LocalDate(daysSinceEpoch: today))
        var changed: [String] = []
        for tenant in previous.served.sorted() {
            let affected =
                (try? directory.assignments(tenant: tenant, overlapping: min(old.from, new.from), max(old.to, new.to)))
                .map { !$0.isEmpty } ?? true
            if affected {
                changed.append(tenant)
                directory.notifyChanged(tenant: tenant)
            }
        }
        return changed
    }

    /// Local dates whose windows a setup built on UTC day `today` holds (one day of margin
    /// each side for time zones ahead of and behind UTC).
    func horizon(around today: LocalDate) -> (from: LocalDate, to: LocalDate) {
        (today.adding(days: -Int64(routePastDays) - 1), today.adding(days: Int64(routeFutureDays) + 1))
    }

    func build(_ key: Key, day: LocalDate) throws -> AnalyticsSetup {
        var fences: [Geofence] = []
        var routes: [PlannedRoute] = []
        let records = try directory.allGeofences(tenant: key.tenant)
        for record in records where record.group == nil || record.group == key.group {
            fences.append(try record.geofence())
        }
        let window = horizon(around: day)
        let assignments = try directory.assignments(tenant: key.tenant, overlapping: window.from, window.to)
        if !assignments.isEmpty {
            routes = try plannedRoutes(key, assignments: assignments, window: window)
        }
        if key.tenant == defaultTenant {
            let fenceIDs = Set(records.map(\.id))
            fences += seedFences.filter { !fenceIDs.contains($0.id) }
            let routeIDs = Set(assignments.map(\.route))
            routes += seedRoutes.filter { !routeIDs.contains($0.id) }
        }
        return AnalyticsSetup(configuration: configuration, fences: fences, routes: routes)
    }

    /// One `PlannedRoute` per device of the group and day of an assignment in `window`, from
    /// local midnight to the next (in the group's time zone; UTC without a group).
    func plannedRoutes(
        _ key: Key, assignments: [RouteAssignment], window: (from: LocalDate, to: LocalDate)
    ) throws -> [PlannedRoute] {
        let (members, zone) = try directory.read { db -> ([DeviceID], GroupTimeZone) in
            let filter = key.group == nil ? "group_id IS NULL" : "group_id = ?"
            var arguments: StatementArguments = [key.tenant]
            if let group = key.group { arguments += [group] }
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM devices WHERE tenant = ? AND \(filter) ORDER BY id", arguments: arguments)
            let zone = try key.group.flatMap { try Directory.fetchGroup(db, tenant: key.tenant, id: $0) }?.timeZone
            return (ids.compactMap(DeviceID.init), zone ?? .utcOffset(minutes: 0))
        }
        let memberSet = Set(members)
        var templates: [String: RouteRecord] = [:]
        var routes: [PlannedRoute] = []
        for a in assignments {
            let devices: [DeviceID]
            switch a.target {
            case .device(let id): devices = memberSet.contains(id) ? [id] : []
            case .group(let group): devices = group == key.group ? members : []
            }
            guard !devices.isEmpty else { continue }
            if templates[a.route] == nil { templates[a.route] = try directory.route(tenant: key.tenant, id: a.route) }
            guard let template = templates[a.route] else { continue }
            var date = max(a.fromDate, window.from)
            let last = min(a.toDate, window.to)
            while date <= last {
                let fromMs = zone.utcMs(of: date)
                let toMs = zone.utcMs(of: date.adding(days: 1)) - 1
                let route = try template.planned(device: devices[0], fromMs: fromMs, toMs: toMs)
                for device in devices {
                    var copy = route
                    copy.device = device
                    routes.append(copy)
                }
                date = date.adding(days: 1)
            }
        }
        return routes
    }
}
