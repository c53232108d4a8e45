/// What a request may do. Each route names one permission (`get(_:permission:use:)` and its
/// siblings); a role is a fixed set of permissions (`Role.permissions`).
public enum Permission: String, Sendable, CaseIterable, Hashable {
    /// `GET /v1/whoami`: the caller's own token, tenant and role. Every role.
    case selfRead = "self.read"
    /// Create, list and revoke API tokens of the tenant.
    case tokensManage = "tokens.manage"
    /// Read devices, groups, geofences, routes and assignments.
    case directoryRead = "directory.read"
    /// Create, change and delete devices, groups, geofences and routes.
    case directoryWrite = "directory.write"
    /// Assign and unassign planned routes (dispatch changes them during the day).
    case assignmentsWrite = "assignments.write"
    /// Tracks, positions (at an instant, latest), nearest workers: location data, audited.
    case locationRead = "location.read"
    /// Stops, trips, visits, deviations and reports: derived location data, audited.
    case reportsRead = "reports.read"
    /// The event log: cursor reads, long poll, SSE.
    case eventsRead = "events.read"
    /// Webhook subscriptions and their delivery logs.
    case webhooksManage = "webhooks.manage"
    /// Post positions (OsmAnd protocol) over the authenticated API. Telemetry, not audited.
    case ingest = "ingest"
    /// Jobs given to workers, with their derived arrival at the site (location-derived: audited).
    case jobsRead = "jobs.read"
    /// Create, change, cancel and delete jobs (dispatch).
    case jobsWrite = "jobs.write"

    /// Whether a request using this permission reads location data: every such request is
    /// written to the audit log, whatever its method (changes are audited anyway).
    public var readsLocationData: Bool {
        switch self {
        case .locationRead, .reportsRead, .jobsRead: true
        default: false
        }
    }
}

/// The role of a token. Each has a fixed set of permissions:
///
/// | role | permissions | for |
/// | --- | --- | --- |
/// | admin | all | people who run the tenant: tokens, fences, routes, devices |
/// | dispatcher | self.read, directory.read, assignments.write, location.read, reports.read, events.read, jobs.read, jobs.write | dispatch: where everyone is, who is nearest, today's routes and jobs |
/// | analyst | self.read, directory.read, location.read, reports.read, events.read, jobs.read | read-only analysis: replays, deviations, reports, job response times |
/// | attendance | self.read, directory.read, reports.read, events.read, webhooks.manage | the attendance service: geofence visits and events, by webhook or cursor; no raw tracks |
/// | device | self.read, ingest | phone apps posting positions; nothing to read |
public enum Role: String, Sendable, CaseIterable, Hashable, Codable {
    case admin
    case dispatcher
    case analyst
    case attendance
    case device

    /// The permissions of the role (see the table on `Role`).
    public var permissions: Set<Permission> {
        switch self {
        case .admin:
            Set(Permission.allCases)
        case .dispatcher:
            [
                .selfRead, .directoryRead, .assignmentsWrite, .locationRead, .reportsRead, .eventsRead, .jobsRead,
                .jobsWrite,
            ]
        case .analyst:
            [.selfRead, .directoryRead, .locationRead, .reportsRead, .eventsRead, .jobsRead]
        case .attendance:
            [.selfRead, .directoryRead, .reportsRead, .eventsRead, .webhooksManage]
        case .device:
            [.selfRead, .ingest]
        }
    }

    public func allows(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// The role table as Markdown (README text, `fieldtrace token create --help`).
    public static var markdownTable: String {
        var text = "| role | permissions |\n| --- | --- |\n"
        for role in allCases {
            let names = Permission.allCases.filter(role.allows).map(\.rawValue)
            text += "| \(role.rawValue) | \(names.joined(separator: ", ")) |\n"
        }
        return text
    }
}

/// Who is calling: the authenticated token's identity, scoped to one tenant.
public struct Identity: Sendable, Hashable {
    /// The token's public id (`tok_...`), written to audit rows.
    public var tokenID: String
    /// Every query is scoped to this tenant; another tenant's ids answer 404.
    public var tenant: String
    public var role: Role
    /// When set, the token sees only devices of this group (directory group id).
    public var groupScope: String?

    public init(tokenID: String, tenant: String, role: Role, groupScope: String? = nil) {
        self.tokenID = tokenID
        self.tenant = tenant
        self.role = role
        self.groupScope = groupScope
    }
}
