import FieldtraceWire
import Synchronization

/// Why the server closed a connection (or saw it close): a stable label for counters and logs.
public enum IngestCloseReason: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// The peer closed it or reset it.
    case peer
    /// Nothing received for `IngestLimits.idleTimeout`.
    case idle
    /// `IngestLimits.maxConsecutiveBadFrames` rejected frames in a row.
    case badFrames = "bad_frames"
    /// A frame over its protocol's cap (`IngestLimits.closeOnOversizedFrame`).
    case oversizedFrame = "oversized_frame"
    /// More than `IngestLimits.maxBufferedBytesPerConnection` undecoded bytes.
    case bufferLimit = "buffer_limit"
    /// The decoder asked to close: a refused device, a broken stream header.
    case decoder
    /// `FixSink.accept` threw: no ack was sent.
    case sinkFailure = "sink_failure"
    /// A socket error.
    case error
    /// The server is shutting down.
    case shutdown

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What one listener has seen. Cumulative since the server started; a snapshot is a copy.
public struct IngestListenerCounters: Sendable, Hashable {
    /// Frames, fixes, ignored frames and rejections by reason, as the decoders counted them.
    public var wire = WireCounters()
    /// Bytes read from sockets (TCP payload, UDP datagram payload).
    public var bytesReceived = 0
    /// Bytes of replies written.
    public var bytesSent = 0
    /// TCP connections accepted (not counting refused ones).
    public var connectionsOpened = 0
    /// TCP connections closed, by reason in `closedBy`.
    public var connectionsClosed = 0
    /// TCP connections closed at once because of `maxConnectionsPerIP` or `maxConnections`.
    public var connectionsRefused = 0
    public var closedBy: [IngestCloseReason: Int] = [:]
    /// UDP datagrams read.
    public var datagramsReceived = 0
    /// UDP datagrams dropped unread because the sink was not keeping up.
    public var datagramsShed = 0
    /// Batches `FixSink.accept` made durable, and the fixes in them.
    public var batchesAccepted = 0
    public var fixesAccepted = 0
    /// Batches whose `accept` threw (no ack sent).
    public var sinkFailures = 0
    /// Reply messages written after their batch was durable (acks of fixes, and replies that
    /// shared a read with fixes).
    public var acksSent = 0
    /// Every reply message written (acks plus handshake, registration, heartbeat and reject
    /// answers that carried no fix).
    public var repliesSent = 0

    public init() {}

    /// TCP connections open now.
    public var connectionsOpen: Int { connectionsOpened - connectionsClosed }

    /// Adds another set of counts to this one.
    public mutating func add(_ other: IngestListenerCounters) {
        wire.add(other.wire)
        bytesReceived += other.bytesReceived
        bytesSent += other.bytesSent
        connectionsOpened += other.connectionsOpened
        connectionsClosed += other.connectionsClosed
        connectionsRefused += other.connectionsRefused
        for (reason, count) in other.closedBy { closedBy[reason, default: 0] += count }
        datagramsReceived += other.datagramsReceived
        datagramsShed += other.datagramsShed
        batchesAccepted += other.batchesAccepted
        fixesAccepted += other.fixesAccepted
        sinkFailures += other.sinkFailures
        acksSent += other.acksSent
        repliesSent += other.repliesSent
    }
}

/// The counters of every listener at one moment.
public struct IngestCountersSnapshot: Sendable, Hashable {
    public var listeners: [IngestListener: IngestListenerCounters]

    public init(listeners: [IngestListener: IngestListenerCounters] = [:]) {
        self.listeners = listeners
    }

    public subscript(listener: IngestListener) -> IngestListenerCounters {
        listeners[listener] ?? IngestListenerCounters()
    }

    /// All listeners added up.
    public var total: IngestListenerCounters {
        var sum = IngestListenerCounters()
        for counters in listeners.values { sum.add(counters) }
        return sum
    }
}

/// One listener's shared counters. Handlers count into a local `IngestListenerCounters` and
/// add it here once per read burst or batch, so the lock is taken per batch, never per fix.
final class IngestCounterBox: Sendable {
    private let state = Mutex(IngestListenerCounters())

    func add(_ delta: IngestListenerCounters) {
        state.withLock { $0.add(delta) }
    }

    var value: IngestListenerCounters { state.withLock { $0 } }
}
