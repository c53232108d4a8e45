import FieldtraceAnalytics
import FieldtraceCore

/// A device's analysis as the engine drives it: a value type fed fixes in fix-time order, whose
/// copies are snapshots. `DeviceAnalytics` (FieldtraceAnalytics) is the production one; tests use
/// small deterministic ones.
///
/// Requirements the late-data path relies on: `process` and `finish` depend only on the state
/// and their input (no clock, no randomness, no shared mutable state), so restoring a copy and
/// replaying the same fixes gives the same events.
public protocol DeviceAnalyzer: Sendable {
    /// What is shared by all devices of a tenant (fences, routes, configuration); immutable.
    associatedtype Setup: Sendable
    init(device: DeviceID, setup: Setup)
    /// Feeds one fix, later in fix time than every fix fed before; appends the events it emits.
    mutating func process(_ fix: Fix, into events: inout [AnalyticsEvent])
    /// The end of input: appends the events that closing open state emits.
    mutating func finish(into events: inout [AnalyticsEvent])
}

/// Who a device belongs to and what its analysis needs, resolved when the engine loads the
/// device (its first fix in this process or after its state was evicted).
public struct DeviceProfile<Setup: Sendable>: Sendable {
    /// The tenant the device's events are filed under.
    public var tenant: String
    public var setup: Setup

    public init(tenant: String = "default", setup: Setup) {
        self.tenant = tenant
        self.setup = setup
    }
}

extension EventKind {
    /// A device's first fix after it was offline (or its first ever).
    public static let deviceOnline = EventKind("device.online")
    /// A device sent no fix for `EngineConfiguration.offlineAfterMs`.
    public static let deviceOffline = EventKind("device.offline")
    /// Late data showed that an earlier event no longer holds: attribute `retracted_id` is its
    /// id in the event log, `retracted_kind` its kind; time, confirmation and subject are its own.
    public static let correctionRetract = EventKind("correction.retract")
}

/// The shard of a device: FNV-1a (64-bit) of the id's UTF-8 bytes, modulo the shard count.
/// Stable across runs, processes and platforms (unlike `Hasher`, which is seeded per process),
/// so a device lands on the same shard, and the same node in a cluster, every time.
public enum DeviceSharding {
    public static func hash(_ device: DeviceID) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in device.rawValue.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    public static func shard(of device: DeviceID, count: Int) -> Int {
        Int(hash(device) % UInt64(count))
    }
}
