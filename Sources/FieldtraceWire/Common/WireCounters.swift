/// Counts of what a decoder saw. Cheap to update: plain integers, plus a dictionary touched
/// only on rejection.
public struct WireCounters: Sendable, Hashable {
    /// Complete frames (sentences, packets, requests) seen, valid or not.
    public var frames = 0
    /// Fixes produced.
    public var fixes = 0
    /// Frames understood and deliberately not turned into fixes (NMEA GSV/TXT, heartbeats
    /// without position, VTG-only epochs, ...).
    public var ignored = 0
    /// Rejected frames by reason.
    public var rejected: [RejectReason: Int] = [:]

    public init() {}

    public var rejectedTotal: Int { rejected.values.reduce(0, +) }

    public mutating func reject(_ reason: RejectReason) { rejected[reason, default: 0] += 1 }

    /// Adds another set of counts to this one.
    public mutating func add(_ other: WireCounters) {
        frames += other.frames
        fixes += other.fixes
        ignored += other.ignored
        for (reason, count) in other.rejected { rejected[reason, default: 0] += count }
    }

    /// `frames=12 fixes=10 ignored=1 rejected=1 (bad_checksum=1)`.
    public var summary: String {
        var text = "frames=\(frames) fixes=\(fixes) ignored=\(ignored) rejected=\(rejectedTotal)"
        if !rejected.isEmpty {
            let parts = rejected.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            text += " (" + parts.joined(separator: " ") + ")"
        }
        return text
    }
}
