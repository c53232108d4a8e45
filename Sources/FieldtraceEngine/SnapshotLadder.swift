/// The snapshots of one device's analysis, oldest first: copies of its analyzer, thinned so
/// that their spacing grows with age, and bases (fresh states just before a session's first
/// fix), which are free and exact. Any late fix re-analyses from the newest entry before it:
/// a recent snapshot for recent late data, else the start of its session.
struct SnapshotLadder<Analyzer: DeviceAnalyzer>: Sendable {
    private(set) var snapshots: [AnalysisSnapshot<Analyzer>]

    init(_ first: AnalysisSnapshot<Analyzer>) { snapshots = [first] }

    init(_ snapshots: [AnalysisSnapshot<Analyzer>]) {
        precondition(!snapshots.isEmpty)
        self.snapshots = snapshots
    }

    var oldest: AnalysisSnapshot<Analyzer> { snapshots[0] }
    var newestValidAtMs: Int64 { snapshots[snapshots.count - 1].validAtMs }
    var count: Int { snapshots.count }

    /// The index of the newest snapshot strictly before `timeMs` (it has not seen a fix at
    /// `timeMs`), `nil` if even the oldest has.
    func base(before timeMs: Int64) -> Int? {
        snapshots.lastIndex { $0.validAtMs < timeMs }
    }

    /// Keeps snapshots `0...index` (a replay from `index` recreates the later ones).
    mutating func truncate(after index: Int) {
        snapshots.removeSubrange((index + 1)...)
    }

    /// Adds a snapshot (or a base) newer than all, then drops what no late fix can need (all
    /// but the newest entry at or before `newestMs - windowMs`, the edge) and thins the entries
    /// that carry an analyzer to `maximum` (the oldest entry aside); bases (a fresh state: a session start, the device's
    /// first fix) cost nothing and are kept. Thinning removes the snapshot whose removal leaves
    /// the smallest gap relative to its age, so spacing ends up roughly geometric; the newest is
    /// kept (recent late data is the common case), and with 3 or more the oldest after the edge
    /// too (it becomes the next edge, so the window stays covered). O(entries) per call.
    mutating func append(
        _ snapshot: AnalysisSnapshot<Analyzer>, newestMs: Int64, windowMs: Int64, maximum: Int
    ) {
        precondition(snapshot.validAtMs >= newestValidAtMs)
        if snapshot.validAtMs == newestValidAtMs {
            snapshots[snapshots.count - 1] = snapshot
        } else {
            snapshots.append(snapshot)
        }
        let floor = newestMs - windowMs
        if let edge = snapshots.lastIndex(where: { $0.validAtMs <= floor }), edge > 0 {
            snapshots.removeFirst(edge)
        }
        while true {
            // The oldest entry is never thinned (it is the base for the oldest late data).
            let carrying = snapshots.indices.filter { $0 > 0 && snapshots[$0].hasAnalyzer }
            guard carrying.count > max(0, maximum) else { return }
            var candidates = carrying[...]
            if maximum >= 1 { candidates = candidates.dropLast() }
            if maximum >= 3 { candidates = candidates.drop { $0 <= 1 } }
            if candidates.isEmpty { candidates = carrying[...] }
            var victim = candidates.first!
            var best = Double.infinity
            for i in candidates {
                let previous = i > 0 ? max(snapshots[i - 1].validAtMs, floor) : floor
                let next = i + 1 < snapshots.count ? snapshots[i + 1].validAtMs : newestMs
                let ratio = Double(next - previous) / Double(max(1, newestMs - snapshots[i].validAtMs))
                if ratio < best {
                    best = ratio
                    victim = i
                }
            }
            snapshots.remove(at: victim)
        }
    }
}

extension SnapshotLadder {
    /// Records what `run` offers after processing a fix: a base if the fix started a session,
    /// and, with `copies`, a snapshot if `snapshotIntervalMs` of fix time passed since the newest
    /// entry.
    mutating func note(_ run: AnalysisRun<Analyzer>, configuration c: EngineConfiguration, copies: Bool) {
        let fixMs = run.lastMs
        if run.startedSession {
            append(
                AnalysisSnapshot(validAtMs: fixMs - 1, analyzer: nil), newestMs: fixMs, windowMs: c.lateWindowMs,
                maximum: c.maxSnapshots)
        }
        if copies && c.maxSnapshots > 0 && (newestValidAtMs == .min || fixMs - newestValidAtMs >= c.snapshotIntervalMs)
        {
            append(
                AnalysisSnapshot(validAtMs: fixMs, analyzer: run.analyzer), newestMs: fixMs,
                windowMs: c.lateWindowMs, maximum: c.maxSnapshots)
        }
    }
}
