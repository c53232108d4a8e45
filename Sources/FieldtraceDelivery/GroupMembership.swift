import FieldtraceCore
import FieldtraceStore

/// Group filters resolved through the directory (webhooks with a group filter, group-scoped
/// tokens on the event routes).
public enum GroupMembership {
    /// The devices of `group` in `tenant` (every page of `Directory.devices`; an unknown group
    /// has no devices).
    public static func devices(in group: String, tenant: String, directory: Directory) throws -> Set<DeviceID> {
        var out: Set<DeviceID> = []
        var page = PageRequest(limit: PageRequest.maxLimit)
        while true {
            let result = try directory.devices(tenant: tenant, group: group, page: page)
            for device in result.items { out.insert(device.id) }
            guard let next = result.nextCursor else { return out }
            page = PageRequest(limit: PageRequest.maxLimit, cursor: next)
        }
    }

    /// A `WebhookDeliverer.GroupMembers` over `directory`.
    public static func resolver(_ directory: Directory) -> WebhookDeliverer.GroupMembers {
        { tenant, group in try devices(in: group, tenant: tenant, directory: directory) }
    }
}
