import FieldtraceAnalytics
import FieldtraceCore

/// Wraps the engine (or any `FixSink`) and files every batch's fixes in a `LiveFleet` once
/// `accept` returned: dispatch sees a worker only at positions that are durable, never at a
/// fix the device will resend. The acks wait for nothing more than before but one lock per
/// batch, plus, per fix, a dictionary lookup and the tenant lookup the caller provides.
public struct LiveFleetSink: FixSink {
    public let inner: any FixSink
    public let fleet: LiveFleet
    /// A device's tenant and group (cached by the caller: it runs for every fix).
    public let filing: @Sendable (DeviceID) -> (tenant: String, group: String?)
    /// Fixes more than this ahead of their receive time are not filed, ms: 5 minutes, the
    /// sanity filter's future tolerance (a device clock that is slightly fast still counts).
    public static let futureToleranceMs = SanityFilter.Configuration().futureToleranceMs

    public init(
        _ inner: any FixSink, fleet: LiveFleet,
        filing: @escaping @Sendable (DeviceID) -> (tenant: String, group: String?)
    ) {
        self.inner = inner
        self.fleet = fleet
        self.filing = filing
    }

    public func accept(_ batch: [Fix]) async throws -> FixReceipt {
        let receipt = try await inner.accept(batch)
        var newest: [DeviceID: Fix] = [:]
        for fix in batch where fix.flags.contains(.valid) {
            // A fix from a clock far ahead would stay "newest" for good: left out.
            if let received = fix.receivedMs, fix.timeMs > received + Self.futureToleranceMs { continue }
            if let held = newest[fix.device], held.timeMs >= fix.timeMs { continue }
            newest[fix.device] = fix
        }
        for (device, fix) in newest {
            let (tenant, group) = filing(device)
            fleet.update(fix, tenant: tenant, group: group)
        }
        return receipt
    }
}
