import FieldtraceCore
import Synchronization

/// The newest position of every worker, in memory, for dispatch: "who is nearest to this job
/// site?" (`nearest`). Updated on every durable batch (`LiveFleetSink`), read by the API.
///
/// Layout: one slot per device in flat arrays (structure of arrays) holding the position as a
/// unit vector on the sphere (x, y, z). The squared chord between two unit vectors is a
/// monotonic function of their great-circle distance, so ranking by it is exact (no
/// equirectangular error, no trouble at the antimeridian or the poles) and costs three
/// multiply-adds per worker; the distance of the few winners is then `2R asin(chord / 2)`.
///
/// Cost: an update is a dictionary lookup and a few stores; a query is one pass over the
/// tenant's slots (about 1 ns each) plus a bounded insertion into the top `n`: 100,000 workers
/// in well under a millisecond, without a spatial structure to rebalance as workers move.
/// A reader-writer split would not pay at that cost, so one `Mutex` guards everything.
public final class LiveFleet: Sendable {
    /// How a worker is moving, from its newest fix.
    public enum Motion: String, Sendable, Hashable {
        case moving, stopped, unknown
    }

    /// A worker's newest position.
    public struct Position: Sendable, Hashable {
        public var device: DeviceID
        public var tenant: String
        public var group: String?
        public var timeMs: Int64
        public var receivedMs: Int64?
        public var latitudeE7: Int32
        public var longitudeE7: Int32
        public var speedMps: Double?
        public var courseDeg: Double?
        public var accuracyM: Double?
        public var motion: Motion
    }

    /// One answer of `nearest`.
    public struct Candidate: Sendable, Hashable {
        public var position: Position
        /// Great-circle distance to the query point, metres.
        public var distanceM: Double
        /// Seconds between the fix time and the query's `nowMs`.
        public var ageS: Double
    }

    /// Speed at or above which a worker counts as moving, m/s: 1 m/s (3.6 km/h) is slow
    /// walking; GPS speed noise of a worker standing still stays below it.
    public static let movingSpeedMps = 1.0

    struct Slots {
        var index: [DeviceID: Int32] = [:]
        var x: [Double] = []
        var y: [Double] = []
        var z: [Double] = []
        var tenant: [Int32] = []
        var group: [Int32] = []
        var positions: [Position] = []
        /// The value of `version` when each slot last changed.
        var changed: [UInt64] = []
        /// Counts updates; a reader remembers it to ask for what changed since.
        var version: UInt64 = 0
        var tenants: [String: Int32] = [:]
        var groups: [String: Int32] = [:]
    }

    private let slots = Mutex(Slots())

    public init() {}

    /// Workers known.
    public var count: Int { slots.withLock { $0.positions.count } }

    /// Records `fix` as its device's position if it is newer than the one held. `tenant` and
    /// `group` file the worker for queries (a device moved to another tenant or group is
    /// refiled).
    public func update(_ fix: Fix, tenant: String, group: String?) {
        var motion = Motion.unknown
        if let speed = fix.speedMps { motion = speed >= Self.movingSpeedMps ? .moving : .stopped }
        let position = Position(
            device: fix.device, tenant: tenant, group: group, timeMs: fix.timeMs, receivedMs: fix.receivedMs,
            latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7, speedMps: fix.speedMps,
            courseDeg: fix.courseDeg, accuracyM: fix.accuracyM ?? fix.hdop.map { $0 * 5 }, motion: motion)
        let (x, y, z) = Self.unitVector(latitudeE7: fix.latitudeE7, longitudeE7: fix.longitudeE7)
        slots.withLock { s in
            let tenantID = s.tenants[tenant] ?? Int32(s.tenants.count)
            s.tenants[tenant] = tenantID
            var groupID: Int32 = -1
            if let group {
                groupID = s.groups[group] ?? Int32(s.groups.count)
                s.groups[group] = groupID
            }
            if let slot = s.index[fix.device].map(Int.init) {
                guard fix.timeMs >= s.positions[slot].timeMs else { return }
                s.version += 1
                s.changed[slot] = s.version
                s.positions[slot] = position
                s.x[slot] = x
                s.y[slot] = y
                s.z[slot] = z
                s.tenant[slot] = tenantID
                s.group[slot] = groupID
            } else {
                s.version += 1
                s.index[fix.device] = Int32(s.positions.count)
                s.changed.append(s.version)
                s.positions.append(position)
                s.x.append(x)
                s.y.append(y)
                s.z.append(z)
                s.tenant.append(tenantID)
                s.group.append(groupID)
            }
        }
    }

    /// The newest position of `device` if it belongs to `tenant`.
    public func position(of device: DeviceID, tenant: String) -> Position? {
        slots.withLock { s in
            guard let slot = s.index[device], s.positions[Int(slot)].tenant == tenant else { return nil }
            return s.positions[Int(slot)]
        }
    }

    /// Every position of `tenant` (optionally one group), in device order.
    public func positions(tenant: String, group: String? = nil) -> [Position] {
        slots.withLock { s in
            s.positions.filter { $0.tenant == tenant && (group == nil || $0.group == group) }
        }
        .sorted { $0.device < $1.device }
    }

    /// The positions of `tenant` (optionally one group) that changed after `version` (0: all),
    /// in device order, and the version to ask from next time. For live views (SSE): O(workers)
    /// per call.
    public func changes(since version: UInt64, tenant: String, group: String? = nil) -> ([Position], UInt64) {
        let (changed, now) = slots.withLock { s -> ([Position], UInt64) in
            var out: [Position] = []
            for slot in s.positions.indices where s.changed[slot] > version {
                let p = s.positions[slot]
                if p.tenant == tenant && (group == nil || p.group == group) { out.append(p) }
            }
            return (out, s.version)
        }
        return (changed.sorted { $0.device < $1.device }, now)
    }

    /// The `n` workers of `tenant` nearest to the point, nearest first (ties by device id), among
    /// those seen within `maxAgeS` of `nowMs` and, when `group` is given, in that group.
    /// - Complexity: O(workers + n log n).
    public func nearest(
        latitudeE7: Int32, longitudeE7: Int32, n: Int, tenant: String, group: String? = nil, nowMs: Int64,
        maxAgeS: Double
    ) -> [Candidate] {
        guard n > 0 else { return [] }
        let (qx, qy, qz) = Self.unitVector(latitudeE7: latitudeE7, longitudeE7: longitudeE7)
        let oldestMs = nowMs - Int64((maxAgeS * 1000).rounded(.up))
        return slots.withLock { s -> [Candidate] in
            guard let tenantID = s.tenants[tenant] else { return [] }
            var groupID: Int32?
            if let group {
                guard let id = s.groups[group] else { return [] }
                groupID = id
            }
            // The best `n` so far as (squared chord, slot), sorted ascending; `worst` is the bar.
            var best: [(Double, Int)] = []
            best.reserveCapacity(n + 1)
            var worst = Double.infinity
            s.x.withUnsafeBufferPointer { xs in
                s.y.withUnsafeBufferPointer { ys in
                    s.z.withUnsafeBufferPointer { zs in
                        s.tenant.withUnsafeBufferPointer { tenants in
                            s.group.withUnsafeBufferPointer { groups in
                                for slot in 0..<xs.count where tenants[slot] == tenantID {
                                    if let groupID, groups[slot] != groupID { continue }
                                    let dx = xs[slot] - qx
                                    let dy = ys[slot] - qy
                                    let dz = zs[slot] - qz
                                    let chord2 = dx * dx + dy * dy + dz * dz
                                    guard chord2 <= worst else { continue }
                                    guard s.positions[slot].timeMs >= oldestMs else { continue }
                                    Self.insert((chord2, slot), into: &best, keep: n, positions: s.positions)
                                    if best.count == n { worst = best[n - 1].0 }
                                }
                            }
                        }
                    }
                }
            }
            return best.map { chord2, slot in
                let chord = chord2.squareRoot()
                let distance = 2 * Geodesy.earthRadiusM * arcsine(min(1, chord / 2))
                let position = s.positions[slot]
                return Candidate(
                    position: position, distanceM: distance, ageS: Double(nowMs - position.timeMs) / 1000)
            }
        }
    }

    /// Inserts into the sorted top list, ties broken by device id so answers are deterministic.
    private static func insert(
        _ entry: (Double, Int), into best: inout [(Double, Int)], keep n: Int, positions: [Position]
    ) {
        var i = best.count
        while i > 0 {
            let other = best[i - 1]
            let before =
                other.0 < entry.0 || (other.0 == entry.0 && positions[other.1].device < positions[entry.1].device)
            if before { break }
            i -= 1
        }
        guard i < n else { return }
        best.insert(entry, at: i)
        if best.count > n { best.removeLast() }
    }

    static func unitVector(latitudeE7: Int32, longitudeE7: Int32) -> (Double, Double, Double) {
        let lat = Double(latitudeE7) / 1e7 * .pi / 180
        let lon = Double(longitudeE7) / 1e7 * .pi / 180
        let c = cosine(lat)
        return (c * cosine(lon), c * sine(lon), sine(lat))
    }
}
