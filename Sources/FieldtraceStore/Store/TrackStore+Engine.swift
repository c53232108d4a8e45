import FieldtraceCore
import GRDB

/// What the engine needs from the store beyond append and replay: sealing chosen devices'
/// buffers (its idle/age policy) and where a device's stored track ends.
extension TrackStore {
    /// Cuts every buffered fix of `devices` into segments (a last partial one included), with
    /// their level-1 copies where the store writes them, then moves the WAL checkpoint past
    /// everything now in segments.
    public func flush(devices: [DeviceID]) throws {
        guard !devices.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        try cutSegments(devices: devices, keepPartial: false)
    }

    /// The newest fix time stored for a device (level-0 segments and the buffer), `nil` when
    /// it has none. One catalog query.
    public func newestFixTime(device: DeviceID) throws -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        let buffered = buffers[device]?.newestTimeMs
        let segmented = try catalog.newestSegmentEnd(device: device, level: 0)
        return [buffered, segmented].compactMap { $0 }.max()
    }

    /// Devices with fixes recovered from the WAL when the store opened (their analysis may
    /// not have seen them).
    public var recoveredDevices: Set<DeviceID> {
        var devices = Set<DeviceID>()
        for batch in recovery.batches { for fix in batch.fixes { devices.insert(fix.device) } }
        return devices
    }
}

extension Catalog {
    /// The greatest `t1` of a device's segments at a level, `nil` if it has none.
    public func newestSegmentEnd(device: DeviceID, level: Int) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT max(t1) FROM segments WHERE device = ? AND level = ?",
                arguments: [device.rawValue, level])
        }
    }
}

extension TrackStore {
    /// The WAL committer's counters and fsync latency histogram (see `WALStatistics`).
    public var walStatistics: WALStatistics { wal.statistics() }
}
