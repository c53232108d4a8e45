/// The snapshots of one device's analysis, oldest first, thinned so that their spacing grows
/// with age: any late fix re-analyses from the newest snapshot before it, and the replay is
/// short for recent late data and at most about the age of the data for old late data.
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

    /// Adds a snapshot newer than all, then drops snapshots no late fix can need (all but the
    /// newest one at or before `newestMs - windowMs`, the edge) and thins the rest to `maximum`:
    /// it removes the snapshot whose removal leaves the smallest gap relative to its age, so
    /// spacing ends up roughly geometric (ratio about 2 with 12 snapshots over 96 hours). The
    /// oldest snapshot after the edge is never thinned: it becomes the next edge, so the window
    /// stays covered and a state from before the window (e.g. the start of the device) is not
    /// replayed from. O(maximum) per call.
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
        while snapshots.count > max(3, maximum) {
            var victim = 2
            var best = Double.infinity
            for i in 2..<(snapshots.count - 1) {
                let previous = max(snapshots[i - 1].validAtMs, floor)
                let gap = Double(snapshots[i + 1].validAtMs - previous)
                let age = Double(max(1, newestMs - snapshots[i].validAtMs))
                if gap / age < best {
                    best = gap / age
                    victim = i
                }
            }
            snapshots.remove(at: victim)
        }
    }
}
