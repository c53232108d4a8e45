import FieldtraceCore
import FieldtraceStore
import Synchronization

/// Which tenant and group a device's positions are filed under in the `LiveFleet`, cached:
/// `LiveFleetSink` asks for every device of every durable batch, so the directory is read once
/// per device, and again only after a directory change (any tenant's: changes are rare, and
/// a device moved between tenants or groups must be refiled at its next fix).
public final class DeviceFiling: Sendable {
    let directory: Directory
    let defaultTenant: String
    private let cache = Mutex([DeviceID: (tenant: String, group: String?)]())
    /// Devices cached at most; beyond it the cache starts over (100,000 workers fit).
    static let maxCached = 200_000

    public init(directory: Directory, defaultTenant: String) {
        self.directory = directory
        self.defaultTenant = defaultTenant
        directory.observeChanges { [weak self] _ in self?.cache.withLock { $0.removeAll() } }
    }

    public func filing(of device: DeviceID) -> (tenant: String, group: String?) {
        if let hit = cache.withLock({ $0[device] }) { return hit }
        // A catalog that cannot be read files the device under the default tenant, as the
        // analysis does (`DirectorySetups.profile`); the next change retries.
        let found = (try? directory.filing(of: device)) ?? nil
        let value = found ?? (defaultTenant, nil)
        cache.withLock {
            if $0.count >= Self.maxCached { $0.removeAll() }
            $0[device] = value
        }
        return value
    }
}
