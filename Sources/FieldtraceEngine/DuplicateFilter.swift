import FieldtraceCore
import Synchronization

/// Recognises resent fixes before they are stored, for the devices of one shard.
///
/// Per device: the newest fix time seen and a ring of the last `duplicateWindowFixes` fix
/// times accepted (O(1) for in-order fixes, a scan of the ring otherwise). Guarded by one mutex
/// per shard, held for O(batch) work; the analysis never takes it.
///
/// A resend must not be acknowledged before the copy it duplicates is durable: every batch
/// holds a ticket on its devices until its append returns, and a batch that found duplicates
/// on a device with tickets in flight waits for them (`waitUntilSettled`) before it returns.
final class DuplicateFilter: Sendable {
    struct Entry {
        var newestMs: Int64 = .min
        var ring: [Int64] = []
        var ringNext = 0
        var inFlight: [UInt64] = []
        /// Engine time of the last append of a fix of this device.
        var lastAppendMs: Int64
        /// Engine time of the first append not yet sealed into segments by `sealDue`.
        var bufferedSinceMs: Int64?
        /// Fixes appended since then (an upper bound: the store may have cut full segments).
        var bufferedFixes = 0

        func contains(_ timeMs: Int64) -> Bool {
            timeMs <= newestMs && ring.contains(timeMs)
        }

        mutating func insert(_ timeMs: Int64, capacity: Int) {
            if ring.count < capacity {
                ring.append(timeMs)
            } else {
                ring[ringNext] = timeMs
                ringNext = (ringNext + 1) % capacity
            }
            newestMs = max(newestMs, timeMs)
        }
    }

    struct Waiter {
        var device: DeviceID
        var ticket: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var entries: [DeviceID: Entry] = [:]
        var nextTicket: UInt64 = 0
        var waiters: [Waiter] = []
        var failure: EngineError?
        /// The sum of the entries' `bufferedFixes`.
        var bufferedFixes = 0
    }

    /// What `admit` decided for a batch.
    struct Admission {
        var fresh: [Fix] = []
        var duplicates = 0
        /// Held on the devices of `fresh` until `complete`.
        var ticket: UInt64 = 0
        /// The devices holding the ticket.
        var ticketed: [DeviceID] = []
        /// Devices whose earlier copies are still being appended, with the newest ticket to wait for.
        var waits: [(device: DeviceID, ticket: UInt64)] = []
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
    }

    /// Devices of `fixes` that have no entry yet: seed them (`seed`) before `admit`.
    func unknownDevices(in fixes: [Fix]) -> [DeviceID] {
        state.withLock { s in
            var unknown: [DeviceID] = []
            for fix in fixes where s.entries[fix.device] == nil && !unknown.contains(fix.device) {
                unknown.append(fix.device)
            }
            return unknown
        }
    }

    /// Adds entries for devices seen for the first time, from their stored recent fix times.
    /// `inserted` is called, with the lock held, with the devices this call added and their
    /// newest stored fix time: nothing of this process can be appended for them before it
    /// returns (every append goes through an entry), so a message it queues comes first.
    func seed(
        _ seeds: [(device: DeviceID, times: [Int64], newestMs: Int64?)], nowMs: Int64,
        inserted: ([(device: DeviceID, newestMs: Int64?)]) -> Void
    ) {
        state.withLock { s in
            var added: [(device: DeviceID, newestMs: Int64?)] = []
            for seed in seeds where s.entries[seed.device] == nil {
                var entry = Entry(lastAppendMs: nowMs)
                for time in seed.times.suffix(capacity) { entry.insert(time, capacity: capacity) }
                if let newest = seed.newestMs { entry.newestMs = max(entry.newestMs, newest) }
                s.entries[seed.device] = entry
                added.append((seed.device, seed.newestMs))
            }
            if !added.isEmpty { inserted(added) }
        }
    }

    /// Drops a device's entry (its analysis state was evicted): its next batch seeds it again.
    func forget(_ device: DeviceID) {
        state.withLock { s in
            if let entry = s.entries[device], entry.inFlight.isEmpty { s.entries.removeValue(forKey: device) }
        }
    }

    /// Splits `fixes` into fresh ones (recorded as seen, under a new ticket) and duplicates.
    /// Devices without an entry get an empty one.
    func admit(_ fixes: [Fix], nowMs: Int64) throws(EngineError) -> Admission {
        try state.withLock { (s) throws(EngineError) -> Admission in
            if let failure = s.failure { throw failure }
            s.nextTicket += 1
            var admission = Admission(ticket: s.nextTicket)
            admission.fresh.reserveCapacity(fixes.count)
            var i = 0
            while i < fixes.count {
                // Runs of one device (most batches are one run) share a dictionary lookup, and the
                // entry is updated in place (not removed and inserted again).
                let device = fixes[i].device
                var index = s.entries.index(forKey: device)
                if index == nil {
                    s.entries[device] = Entry(lastAppendMs: nowMs)
                    index = s.entries.index(forKey: device)
                }
                let fresh = admitRun(
                    fixes, from: &i, device: device, entry: &s.entries.values[index!], admission: &admission,
                    nowMs: nowMs)
                s.bufferedFixes += fresh
            }
            return admission
        }
    }

    /// Admits the run of `device`'s fixes starting at `i` (leaving `i` after it) into its entry;
    /// returns how many were fresh.
    private func admitRun(
        _ fixes: [Fix], from i: inout Int, device: DeviceID, entry: inout Entry, admission: inout Admission,
        nowMs: Int64
    ) -> Int {
        var fresh = 0
        while i < fixes.count && fixes[i].device == device {
            let fix = fixes[i]
            i += 1
            if entry.contains(fix.timeMs) {
                admission.duplicates += 1
                if let other = entry.inFlight.last(where: { $0 != admission.ticket }),
                    !admission.waits.contains(where: { $0.device == device })
                {
                    admission.waits.append((device, other))
                }
                continue
            }
            entry.insert(fix.timeMs, capacity: capacity)
            admission.fresh.append(fix)
            if entry.inFlight.last != admission.ticket {
                entry.inFlight.append(admission.ticket)
                admission.ticketed.append(device)
            }
            entry.lastAppendMs = nowMs
            if entry.bufferedSinceMs == nil { entry.bufferedSinceMs = nowMs }
            entry.bufferedFixes += 1
            fresh += 1
        }
        return fresh
    }

    /// The batch holding `ticket` is durable (or failed): releases it from `devices` and wakes
    /// the batches waiting for it.
    func complete(ticket: UInt64, devices: [DeviceID]) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            for device in devices { s.entries[device]?.inFlight.removeAll { $0 == ticket } }
            var ready: [CheckedContinuation<Void, any Error>] = []
            s.waiters.removeAll { waiter in
                let pending = s.entries[waiter.device]?.inFlight.contains { $0 <= waiter.ticket } ?? false
                if !pending { ready.append(waiter.continuation) }
                return !pending
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once no batch with a ticket up to `ticket` is in flight on `device`.
    func waitUntilSettled(device: DeviceID, ticket: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = state.withLock { s -> Result<Bool, EngineError> in
                if let failure = s.failure { return .failure(failure) }
                let pending = s.entries[device]?.inFlight.contains { $0 <= ticket } ?? false
                if pending { s.waiters.append(Waiter(device: device, ticket: ticket, continuation: continuation)) }
                return .success(pending)
            }
            switch outcome {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(let pending): if !pending { continuation.resume() }
            }
        }
    }

    /// The engine stopped: every waiter and every later `admit` throws `error`.
    func fail(_ error: EngineError) {
        let waiters = state.withLock { s -> [Waiter] in
            if s.failure == nil { s.failure = error }
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// Devices whose buffered fixes should be sealed now (idle for `idleMs`, or buffered for
    /// `maxAgeMs`), marked sealed; and entries idle for `evictAfterMs` dropped. When more than
    /// `maxBufferedFixes` stay buffered after that, the devices buffered longest are sealed too,
    /// until at most 90% of it is (a margin, so the next ticks do not seal a few devices each).
    /// O(devices), plus O(d log d) for the d buffered devices when over the cap.
    func sealDue(
        nowMs: Int64, idleMs: Int64, maxAgeMs: Int64, evictAfterMs: Int64, maxBufferedFixes: Int = .max
    ) -> (seal: [DeviceID], evicted: Int) {
        state.withLock { s in
            var seal: [DeviceID] = []
            var evict: [DeviceID] = []
            var remaining = s.bufferedFixes
            for (device, entry) in s.entries {
                if let since = entry.bufferedSinceMs, nowMs - entry.lastAppendMs >= idleMs || nowMs - since >= maxAgeMs
                {
                    seal.append(device)
                    remaining -= entry.bufferedFixes
                }
                if nowMs - entry.lastAppendMs >= evictAfterMs && entry.inFlight.isEmpty && entry.bufferedSinceMs == nil
                {
                    evict.append(device)
                }
            }
            if remaining > maxBufferedFixes {
                let target = maxBufferedFixes - maxBufferedFixes / 10
                let sealing = Set(seal)
                let oldest = s.entries.compactMap { device, entry in
                    entry.bufferedSinceMs.map { (device: device, since: $0, count: entry.bufferedFixes) }
                }
                .filter { !sealing.contains($0.device) }
                .sorted { $0.since < $1.since }
                for candidate in oldest where remaining > target {
                    seal.append(candidate.device)
                    remaining -= candidate.count
                }
            }
            for device in seal {
                s.bufferedFixes -= s.entries[device]?.bufferedFixes ?? 0
                s.entries[device]?.bufferedSinceMs = nil
                s.entries[device]?.bufferedFixes = 0
            }
            for device in evict { s.entries.removeValue(forKey: device) }
            return (seal, evict.count)
        }
    }

    /// Fixes appended and not yet sealed by `sealDue` (an upper bound; a gauge).
    var bufferedFixes: Int { state.withLock { $0.bufferedFixes } }

    /// Devices remembered (a gauge).
    var deviceCount: Int { state.withLock { $0.entries.count } }
}
