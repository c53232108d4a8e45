import FieldtraceAnalytics
import FieldtraceCore

/// An event with its place in the device's analysis.
public struct EmittedEvent: Sendable, Hashable {
    public var event: AnalyticsEvent
    /// `2 × fix time` of the fix whose processing emitted it, `+ 1` when a session's end emitted
    /// it (see `NewEvent.step`). Events of a replay from a snapshot at fix time T are exactly
    /// those with step > 2T.
    public var step: Int64
}

/// A device's analysis over fixes in fix-time order, split into sessions: a gap in fix time
/// longer than `sessionGapMs` ends the session (`finish`) and the next fix starts a fresh
/// analyzer. The same type drives live processing, late-data replays and restarts, so all three
/// give the same events for the same fixes.
///
/// Events emitted while processing a fix flagged `.late` or `.backfill` are marked late.
public struct AnalysisRun<Analyzer: DeviceAnalyzer>: Sendable {
    public let device: DeviceID
    public let setup: Analyzer.Setup
    public let sessionGapMs: Int64
    /// The open session's analyzer; `nil` before the first fix and after a session ended.
    public internal(set) var analyzer: Analyzer?
    /// Fix time of the last fix processed (`Int64.min` before the first).
    public internal(set) var lastMs: Int64
    /// Whether the last `feed` started a session (its fix met a fresh analyzer): the state just
    /// before that fix is a free, exact base for late data (`SnapshotLadder`).
    public private(set) var startedSession = false

    public init(device: DeviceID, setup: Analyzer.Setup, sessionGapMs: Int64) {
        self.device = device
        self.setup = setup
        self.sessionGapMs = sessionGapMs
        self.analyzer = nil
        self.lastMs = .min
    }

    /// Continues from a snapshot.
    init(device: DeviceID, setup: Analyzer.Setup, sessionGapMs: Int64, snapshot: AnalysisSnapshot<Analyzer>) {
        self.init(device: device, setup: setup, sessionGapMs: sessionGapMs)
        analyzer = snapshot.analyzer
        lastMs = snapshot.validAtMs
    }

    /// The step the analysis has reached: after the last fix, and after its session's end if
    /// that was processed.
    public var step: Int64 {
        guard lastMs != .min else { return .min }
        return 2 * lastMs + (analyzer == nil ? 1 : 0)
    }

    /// Processes one fix, later than every fix before; appends what it emits.
    public mutating func feed(_ fix: Fix, into out: inout [EmittedEvent]) {
        precondition(lastMs == .min || fix.timeMs > lastMs, "fixes in strictly increasing fix time")
        if analyzer != nil && fix.timeMs - lastMs > sessionGapMs { finish(into: &out) }
        startedSession = analyzer == nil
        if startedSession { analyzer = Analyzer(device: device, setup: setup) }
        // A local: it allocates only for the rare fix that emits, and no device keeps a buffer.
        var scratch: [AnalyticsEvent] = []
        analyzer!.process(fix, into: &scratch)
        lastMs = fix.timeMs
        guard !scratch.isEmpty else { return }
        let late = fix.flags.contains(.late) || fix.flags.contains(.backfill)
        for var event in scratch {
            if late { event.late = true }
            out.append(EmittedEvent(event: event, step: 2 * fix.timeMs))
        }
    }

    /// Ends the open session, if any; appends what closing it emits.
    public mutating func finish(into out: inout [EmittedEvent]) {
        guard analyzer != nil else { return }
        var scratch: [AnalyticsEvent] = []
        analyzer!.finish(into: &scratch)
        analyzer = nil
        for event in scratch { out.append(EmittedEvent(event: event, step: 2 * lastMs + 1)) }
    }

    /// The events of a whole track, fed in fix-time order (duplicate fix times keep the first),
    /// with the last session finished when `finishAtEnd`. The reference for tests and for a
    /// deterministic `reprocess`.
    public static func events(
        of fixes: [Fix], device: DeviceID, setup: Analyzer.Setup, sessionGapMs: Int64, finishAtEnd: Bool
    ) -> [EmittedEvent] {
        var run = AnalysisRun(device: device, setup: setup, sessionGapMs: sessionGapMs)
        var out: [EmittedEvent] = []
        let sorted = fixes.enumerated().sorted { ($0.element.timeMs, $0.offset) < ($1.element.timeMs, $1.offset) }
        for (_, fix) in sorted where fix.timeMs > run.lastMs {
            run.feed(fix, into: &out)
        }
        if finishAtEnd { run.finish(into: &out) }
        return out
    }
}

/// A copy of a device's analysis after the fix at `validAtMs`: with an open session, or with
/// none (`analyzer == nil`: the session ended there, or the state before a session's first fix).
///
/// The copy is held out of line (an array of at most one): a base (no analyzer) takes 16 bytes
/// in its ladder, not an analyzer's inline size (about 2 KB for `DeviceAnalytics`).
struct AnalysisSnapshot<Analyzer: DeviceAnalyzer>: Sendable {
    /// Fix time of the last fix the state has seen; `Int64.min` for the state before any fix.
    var validAtMs: Int64
    private var copy: [Analyzer]

    var analyzer: Analyzer? { copy.first }
    var hasAnalyzer: Bool { !copy.isEmpty }

    init(validAtMs: Int64, analyzer: Analyzer?) {
        self.validAtMs = validAtMs
        copy = analyzer.map { [$0] } ?? []
    }

    /// Events emitted after this snapshot have a greater step.
    var step: Int64 { validAtMs == .min ? .min : 2 * validAtMs + (hasAnalyzer ? 0 : 1) }
}
