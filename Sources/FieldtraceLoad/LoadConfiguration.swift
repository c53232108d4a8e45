/// Everything one load run is told. Units are in the names; each default says why it was chosen.
public struct LoadConfiguration: Sendable {
    /// Simulated devices, spread round-robin over `protocols` (device `i` speaks
    /// `protocols[i % protocols.count]`).
    public var devices: Int
    /// Fixes per second per device. JT/T 808 and GT06 carry whole seconds, so they need at most 1.
    public var rateHz: Double
    /// How long devices record fixes, in real time. Sending goes on for up to `drainSeconds`
    /// after it, until every recorded fix is acked.
    public var durationSeconds: Double
    public var protocols: [LoadProtocol]
    public var target: LoadTarget
    /// Seeds the movement model (worker `i` moves as `fieldtrace simulate --seed S` prints it),
    /// the choice of offline devices and their windows, and reconnect jitter.
    public var seed: UInt64 = 1
    /// Share of devices (0...1) that lose their network once: each stops sending for a window
    /// of 20-40 % of the duration, starting 10-40 % into it, keeps recording, and then delivers
    /// its backlog (see `LoadProtocol`).
    public var offlineShare = 0.0
    /// Index of the first device: two generators against one server use disjoint ranges.
    public var firstDevice = 0
    /// A frame (or login step) not acked within this time counts as lost: over TCP the
    /// connection is closed and the frame resent after a reconnect, over UDP it is resent. 5 s
    /// is far above a healthy server's group-commit window and well under trackers' own 30-60 s.
    public var ackTimeoutMs: Int64 = 5000
    /// Resends of one UDP datagram before it is given up (counted unacked). Teltonika devices
    /// retry a few times and then keep the records for the next packet; 5 outlasts a server restart.
    public var udpMaxResends = 5
    /// After `durationSeconds`, how long to keep delivering what is still unacked. 15 s covers a
    /// server restart plus a few reconnect backoffs.
    public var drainSeconds = 15.0
    /// Fixes per frame; nil uses each protocol's `defaultRecordsPerFrame` (capped by its maximum).
    public var recordsPerFrame: Int?
    /// A Teltonika device sends a partly filled packet once its oldest record waited this long.
    /// 5 s: at 5 Hz and more packets fill (25 records), at 1 Hz they carry 5 records.
    public var sendPeriodMs: Int64 = 5000
    /// TCP connections per source address. The server caps connections per IP (ingest's
    /// `maxConnectionsPerIP`, 1,024 by default); against a loopback target the generator binds
    /// device connections to 127.0.0.2, 127.0.0.3, ... so each address stays under the cap.
    /// Against another host all connections share one address: raise the server's cap instead.
    public var connectionsPerSourceAddress = 1000
    /// UDP sockets in all (each its own source port): the server's `SO_REUSEPORT` sockets are
    /// chosen by a hash of the source address, so several sockets spread the load. At least one
    /// per event loop is used.
    public var udpSockets = 4
    /// Event loops (threads) driving the devices; nil: one per core.
    public var eventLoops: Int?
    /// NMEA epochs carry RMC + GGA; false sends RMC alone.
    public var nmeaIncludesGGA = true
    /// The movement model is simulated once per device for at most this many seconds (1 Hz
    /// samples, 16 bytes each) and repeats beyond it, so memory stays near
    /// devices x min(duration, period) x 16 bytes. nil: min(duration, 20,000,000 / devices),
    /// at least 60 s (10,000 devices: 2,000 s, 320 MB at most).
    public var trackPeriodSeconds: Int?
    /// Fixes recorded and not yet delivered, over all devices, at most; beyond it devices drop
    /// new fixes (counted `dropped`), as a tracker with a full buffer does. A server much slower
    /// than the offered load would otherwise grow the generator by 24-48 bytes a fix: 4,000,000
    /// is about 200 MB, ten minutes of backlog for 6,000 devices at 1 Hz.
    public var maxBufferedFixes = 4_000_000
    /// Where every acked fix is written as `device,time_ms` (one line each, in ack order).
    public var ledgerPath: String?
    /// Print a progress line to standard error this often; nil: none.
    public var progressIntervalSeconds: Double?

    public init(
        devices: Int, rateHz: Double, durationSeconds: Double, protocols: [LoadProtocol], target: LoadTarget
    ) {
        self.devices = devices
        self.rateHz = rateHz
        self.durationSeconds = durationSeconds
        self.protocols = protocols
        self.target = target
    }

    /// Microseconds between two fixes of one device.
    public var intervalMicroseconds: Int64 { max(1, Int64((1_000_000 / rateHz).rounded())) }

    /// Fixes per frame for `p`.
    public func recordsPerFrame(_ p: LoadProtocol) -> Int {
        min(p.maxRecordsPerFrame, max(1, recordsPerFrame ?? p.defaultRecordsPerFrame))
    }

    /// What is wrong with the configuration, if anything.
    public func problems() -> [String] {
        var out: [String] = []
        if devices < 1 || devices > 1_000_000 { out.append("devices must be 1...1000000") }
        if !(rateHz > 0 && rateHz <= 1000) { out.append("rate must be above 0 and at most 1000 Hz") }
        if !(durationSeconds > 0 && durationSeconds <= 7 * 86_400) { out.append("duration must be 0...604800 s") }
        if protocols.isEmpty { out.append("at least one protocol") }
        if target.ports.count > 1 && target.ports.count != protocols.count {
            out.append("the target lists \(target.ports.count) ports for \(protocols.count) protocols")
        }
        if Set(protocols).count != protocols.count { out.append("a protocol is listed twice") }
        for p in protocols where !p.supports(target.transport) {
            out.append("\(p) does not run over \(target.transport)")
        }
        if protocols.contains(where: { $0.timeResolutionMs == 1000 }) && intervalMicroseconds < 1_000_000 {
            out.append("jt808 and gt06 carry whole seconds: rate must be at most 1 Hz")
        }
        if !(0...1).contains(offlineShare) { out.append("offline share must be 0...1") }
        if ackTimeoutMs < 1 { out.append("ack timeout must be positive") }
        if connectionsPerSourceAddress < 1 { out.append("connections per source address must be positive") }
        if firstDevice < 0 { out.append("first device must be 0 or more") }
        return out
    }
}
