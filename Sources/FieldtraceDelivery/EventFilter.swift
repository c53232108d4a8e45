import FieldtraceCore
import FieldtraceStore

/// Which events a consumer gets: always one tenant's; optionally some kinds and some devices.
public struct EventFilter: Sendable, Hashable {
    public var tenant: String
    /// Kinds delivered; empty: every kind. `family.*` matches a family (`WebhookSubscription.kindsFilter`).
    public var kinds: [String]
    /// Devices delivered; nil: every device of the tenant (a device filter, or a group's members).
    public var devices: Set<DeviceID>?

    public init(tenant: String, kinds: [String] = [], devices: Set<DeviceID>? = nil) {
        self.tenant = tenant
        self.kinds = kinds
        self.devices = devices
    }

    /// Whether only the tenant is checked (every event of the tenant passes).
    public var isTenantOnly: Bool { kinds.isEmpty && devices == nil }

    public func accepts(tenant: String, kind: String, device: DeviceID) -> Bool {
        guard tenant == self.tenant else { return false }
        if let devices, !devices.contains(device) { return false }
        return WebhookSubscription.kindsFilter(kinds, accepts: kind)
    }

    public func accepts(_ event: LoggedEvent) -> Bool {
        accepts(tenant: event.tenant, kind: event.kind.rawValue, device: event.device)
    }
}
