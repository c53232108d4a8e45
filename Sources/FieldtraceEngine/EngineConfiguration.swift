import FieldtraceCore
import Foundation

/// Settings of the engine. Times are milliseconds; "engine time" is the injected `nowMs` clock,
/// "fix time" is data time. Every default says why it was chosen.
public struct EngineConfiguration: Sendable {
    /// Analysis shards: devices are spread over them by a stable hash of their id, and each runs
    /// on its own thread. Default: the number of active processors (analysis is CPU-bound).
    public var shardCount: Int
    /// Messages (accepted batches) a shard queue holds before `accept` waits for room. 1024
    /// batches is about a second of a loaded shard's input: enough to ride out a late-data
    /// recompute or an event-log write, small enough to bound memory (a batch holds its fixes).
    public var shardQueueCapacity = 1024

    // MARK: Duplicates

    /// Recent fix times remembered per device to recognise resends before they are stored, as a
    /// ring. 64 covers a resent batch of a tracker (Teltonika sends at most 50 records per frame,
    /// JT/T 808 0x0704 a few dozen) even after a few newer fixes, at 512 bytes a device. A resend
    /// older than the ring is stored again; replay, verify and compaction keep one copy per
    /// (device, fix time), and the analysis sees one (it replays the store).
    public var duplicateWindowFixes = 64
    /// How far back the ring is seeded from the store when a device is first seen by this
    /// process (after a restart, or after its entry was evicted): 10 minutes of fix time.
    public var duplicateSeedLookbackMs: Int64 = 600_000

    // MARK: Validation

    /// How far ahead of engine time a fix time may be and still be analysed. 1 day: beyond any
    /// time-zone mistake; a fix further ahead is stored (raw storage keeps everything plausible)
    /// but kept out of the analysis, where it would make every later fix look late.
    public var futureToleranceMs: Int64 = 86_400_000
    /// A fix received this long after its fix time is flagged `.late` before it is stored.
    /// 5 minutes: well past network and group-commit delays and modest clock skew; a device's
    /// buffer replay after a coverage gap is that late or later.
    public var markLateAfterMs: Int64 = 300_000

    // MARK: Reordering

    /// Fixes are held until a fix this much newer (fix time) arrives, then released in fix-time
    /// order. 3 s: UDP reorders within a burst and TCP never does within a connection; anything
    /// later goes through the exact late-data path, so a longer window would only delay events.
    public var reorderWindowMs: Int64 = 3_000
    /// Most fixes held per device; more release the oldest. 32 fixes is 32 s at 1 Hz.
    public var reorderMaxFixes = 32
    /// Longest a fix is held in engine time (released by `tick`). 2 s bounds the delay of live
    /// events from a device that stopped reporting.
    public var reorderHoldMs: Int64 = 2_000

    // MARK: Late data

    /// Oldest late data re-analysed, behind the device's newest analysed fix. 96 hours: a
    /// 72-hour tracker back-fill (the test) delivered up to a day later. Older late fixes
    /// are stored and acknowledged but not analysed (counted as `fixesBeyondLateWindow`).
    public var lateWindowMs: Int64 = 96 * 3_600_000
    /// Late fixes of a device are gathered until none came for this long (engine time), then its
    /// window is re-analysed once. 1 s: a back-fill arrives as a burst of batches (often
    /// newest-first); re-analysing per batch would cost the square of its length.
    public var lateSettleMs: Int64 = 1_000
    /// ... or until this many late fixes are pending for a device: 20,000 (5.5 hours at 1 Hz)
    /// bounds the delay of late events during a very long back-fill.
    public var lateMaxPendingFixes = 20_000
    /// A snapshot (a copy) of a device's analyzer is taken every this much fix time. 5 minutes:
    /// late data of the last minutes, the common case, re-analyses a few minutes of fixes.
    public var snapshotIntervalMs: Int64 = 300_000
    /// Most analyzer copies kept per device, thinned to a roughly geometric spacing (the newest
    /// always kept). The start of every session is kept besides, for free: a fresh analyzer is
    /// exact and costs nothing, so late data older than every copy of its session re-analyses
    /// from the session's start (a workday at most, usually). Memory per device is about
    /// `(1 + maxSnapshots) ×` the analyzer's size; 2 (one recent, one older) keeps that at 3
    /// analyzers (for the devices that keep copies: see `snapshotsOnlyAfterLateData`).
    public var maxSnapshots = 2
    /// Whether analyzer copies are kept only for devices that have sent late data (a fix older
    /// than one already analysed) since they were loaded. Copies only make a re-analysis cheaper:
    /// it is exact from any base, and a session's start is a free one. Most devices never send
    /// late data, and at 100,000 devices their copies would be most of the engine's memory
    /// (about 8 KB each at 0.1 Hz, 50 KB at 1 Hz). Default true: a device's first late data
    /// re-analyses from its session start (a workday of fixes at most, usually far less), and from
    /// then on it keeps up to `maxSnapshots` copies. Events are the same either way.
    public var snapshotsOnlyAfterLateData = true

    // MARK: Sessions and connectivity

    /// A gap in fix time longer than this ends the device's analysis session: `finish` is called
    /// and the next fix starts a fresh state. The same rule, applied early when the device has
    /// been silent this long in engine time, closes open trips and stays of a device gone dark.
    /// 1 hour: longer than the detectors' own gap handling (a trip closes after a 5-minute gap)
    /// and than a parked tracker's usual heartbeat, so a night's parking is one stay only for
    /// trackers reporting at least hourly; the cost of a split is one extra stay, not a lost one.
    public var sessionGapMs: Int64 = 3_600_000
    /// No fix for this long (engine time) makes a device offline (`device.offline`); its next fix
    /// emits `device.online`. 10 minutes: trackers report every few seconds to a few minutes
    /// while powered; sleeping ones (parked vehicles) every 15-60 minutes, and then going
    /// offline between reports is what happened.
    public var offlineAfterMs: Int64 = 600_000
    /// A device silent this long (engine time) has its in-memory state (analysis, snapshots,
    /// duplicate ring) dropped; its next fix rebuilds it from the store. 6 hours: a shift break,
    /// bounding memory by the devices active in the last shift.
    public var evictAfterMs: Int64 = 6 * 3_600_000
    /// How far back a device's analysis state is rebuilt from stored fixes when it is loaded
    /// (first fix after a restart or an eviction): from its last session start, at most this far
    /// behind its newest stored fix. 2 hours: enough to see most stays from their start, cheap
    /// enough to load 100,000 devices (2 hours at 1 Hz is 7,200 fixes).
    public var rebuildLookbackMs: Int64 = 2 * 3_600_000

    // MARK: Segments and progress

    /// A device's buffered fixes are sealed into segments once no fix came for this long (engine
    /// time). 60 s: a device that went quiet gets its track into segments (and out of the WAL)
    /// promptly.
    public var segmentIdleMs: Int64 = 60_000
    /// ... or once its oldest buffered fix was appended this long ago. 5 minutes bounds the WAL
    /// (and so the recovery time) to about 5 minutes of input; a 1 Hz device seals about 300
    /// fixes per segment (compaction later merges small neighbours).
    public var segmentMaxAgeMs: Int64 = 300_000
    /// Most fixes buffered (durable in the WAL, not yet in segments) over all devices: above it,
    /// `tick` seals the devices buffered longest early, down to 90% of it. A buffered fix takes
    /// about 140 bytes, so the default, 1,000,000, bounds the buffers near 140 MB whatever the
    /// fleet; without a cap they grow with devices × rate × `segmentMaxAgeMs` (100,000 devices at
    /// 0.1 Hz: 3 million fixes, 450 MB; at 1 Hz: 30 million, 4 GB). Sealing early makes smaller
    /// segments (100,000 devices at 0.1 Hz: about 10 fixes each instead of 30), which compaction
    /// merges later.
    public var segmentMaxBufferedFixes = 1_000_000
    /// A device's analysis progress is written to the catalog at most this often (engine time),
    /// with its events. 60 s: the resume point after a crash is at most a minute old (events
    /// after it are found by the log's own watermark), at a few catalog rows a second.
    public var progressIntervalMs: Int64 = 60_000

    public init(shardCount: Int = EngineConfiguration.processorCount) {
        precondition(shardCount >= 1, "at least one shard")
        self.shardCount = shardCount
    }

    /// The active processor count (at least 1).
    public static var processorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
