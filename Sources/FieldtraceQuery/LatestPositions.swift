import FieldtraceCore
import FieldtraceStore

/// The newest fix of each device in a set (`GET /v1/positions/latest`).
///
/// The caller pages through the devices the token may see (its tenant, its group scope: the
/// directory's device list) and asks for that page's newest fixes. One `LatestPositions` per
/// store and process: its `SegmentTailCache` makes repeated fleet queries decode only segments
/// written since the last one (see `TrackStore.latestFixes`).
public struct LatestPositions: Sendable {
    public let store: TrackStore
    public let cache: SegmentTailCache

    public init(store: TrackStore, cache: SegmentTailCache = SegmentTailCache()) {
        self.store = store
        self.cache = cache
    }

    /// The newest stored fix of each of `devices`, in their order; devices without a fix are
    /// left out. O(devices) indexed catalog queries plus one decode per segment not cached yet.
    public func fixes(devices: [DeviceID]) throws -> [Fix] {
        let newest = try store.latestFixes(devices: devices, cache: cache)
        return devices.compactMap { newest[$0] }
    }
}
