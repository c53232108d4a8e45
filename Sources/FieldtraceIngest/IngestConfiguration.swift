import FieldtraceCore
import FieldtraceWire

/// Everything an `IngestServer` is told: where to listen, how to decode, which limits apply.
public struct IngestConfiguration: Sendable {
    /// The address every listener binds. `0.0.0.0` (all IPv4 interfaces) by default because
    /// trackers reach the server over mobile networks; bind `127.0.0.1` for a local-only setup.
    public var host = "0.0.0.0"
    /// The port of each enabled listener; a listener absent from the map is not started.
    /// Port 0 asks the kernel for an ephemeral port (tests); `IngestServer.address(of:)` tells
    /// which one it got. Defaults: every listener on its `IngestListener.defaultPort`.
    public var ports: [IngestListener: Int] = Dictionary(
        uniqueKeysWithValues: IngestListener.allCases.map { ($0, $0.defaultPort) })
    /// Decoder settings: the frame caps (`WireLimits`) and `isDeviceAllowed`, the device
    /// registry hook (unknown devices get the protocol's reject; return `true` for every
    /// device to auto-register).
    public var wire = WireConfiguration()
    public var limits = IngestLimits()
    /// The server clock, in ms since the Unix epoch (UTC), stamped on fixes as `receivedMs`.
    /// Read once per read burst, not per fix. Injected so tests can pin it.
    public var clock: @Sendable () -> Int64 = WallClock.nowMs

    public init() {}

    /// Every listener on loopback with an ephemeral port: the shape tests use.
    public static func loopback(_ listeners: [IngestListener] = IngestListener.allCases) -> IngestConfiguration {
        var configuration = IngestConfiguration()
        configuration.host = "127.0.0.1"
        configuration.ports = Dictionary(uniqueKeysWithValues: listeners.map { ($0, 0) })
        return configuration
    }
}

/// Caps on what one connection, one peer or one UDP socket may cost (house rule 7). Frame
/// sizes are the decoders' `WireLimits`; these are the transport's.
public struct IngestLimits: Sendable, Hashable {
    /// A TCP connection that sends nothing for this long is closed. Trackers send a heartbeat
    /// every 1-5 minutes (GT06 and JT/T 808 defaults are 3 minutes or less); 10 minutes keeps
    /// a slow heartbeat connected while releasing dead NAT mappings and half-open sockets.
    public var idleTimeout: Duration = .seconds(600)
    /// Open TCP connections from one IP address, over all listeners; more are closed at once and
    /// counted as refused. Generous because mobile carriers put many trackers behind one
    /// carrier-grade NAT address; it only stops one host from exhausting the file descriptors.
    public var maxConnectionsPerIP = 1024
    /// Open TCP connections over all listeners. The bar is 100,000 connected devices;
    /// 200,000 leaves headroom and stays within a raised `ulimit -n`.
    public var maxConnections = 200_000
    /// Bytes one TCP connection may have received but not yet decoded (what arrives while its
    /// previous batch waits for durability). Reads are paused while a batch waits, so this is
    /// at most one read burst; 256 KiB is NIO's largest burst (4 reads of 64 KiB) with margin.
    /// A connection over it is closed.
    public var maxBufferedBytesPerConnection = 256 * 1024
    /// Bytes queued for sending to one device before reading from it pauses (the write-buffer
    /// high-water mark; reading resumes below half of it). A device that does not read its
    /// acks gets no more of its data decoded. Acks are a few bytes per frame: 64 KiB is
    /// thousands of unread acks.
    public var maxPendingWriteBytesPerConnection = 64 * 1024
    /// Consecutive rejected frames after which a TCP connection is closed. A real tracker
    /// sends an occasional corrupt frame; 16 in a row means a wrong protocol on this port or
    /// garbage, and decoding it further only burns CPU. A read that holds any good frame
    /// resets the run.
    public var maxConsecutiveBadFrames = 16
    /// Close a TCP connection on any frame over its protocol's cap (`WireLimits`). On by
    /// default: an oversized frame means broken framing or a hostile peer, and the decoders'
    /// resync after one can mis-frame what follows.
    public var closeOnOversizedFrame = true
    /// Datagrams read per `recvmmsg` call on a UDP socket. 64 is where the toolchain notes
    /// measured NIO's receiver at about 450k datagrams/s on one core.
    public var udpVectorReadCount = 64
    /// The largest datagram read whole; longer ones are truncated by the receive buffer
    /// and rejected by the decoder. Teltonika FMB devices send at most about 1,280 bytes and an
    /// NMEA datagram a few sentences: 2,048 holds both.
    public var udpDatagramMaxBytes = 2048
    /// The kernel receive buffer asked for on each UDP socket (`SO_RCVBUF`); the kernel caps it
    /// at `net.core.rmem_max` (4 MiB here). It absorbs bursts while a batch is being made durable.
    public var udpReceiveBufferBytes = 4 * 1024 * 1024
    /// Batches from one UDP socket waiting on `FixSink.accept` at once. With a group commit
    /// window of a few ms, 4 in flight keeps the sink busy while bounding unacked work.
    public var udpMaxInFlightAccepts = 4
    /// Decoded datagrams waiting for an in-flight slot, per UDP socket; past it datagrams are
    /// shed (read, counted as `datagramsShed`, not decoded). 16,384 is about 80 ms at 200,000
    /// datagrams/s: beyond that the sink is not keeping up and queueing only adds latency.
    public var udpMaxQueuedDatagrams = 16_384
    /// UDP sockets bound per UDP listener with `SO_REUSEPORT`, each on its own event loop (the
    /// kernel spreads senders over them by address hash). 1 by default: one socket takes about
    /// 450k datagrams/s; raise it on machines with more cores.
    public var udpSocketsPerListener = 1
    /// How long `IngestServer.shutdown` waits for batches already handed to the sink (and their
    /// acks) before closing the remaining sockets anyway. 10 s covers many group-commit windows
    /// and a slow disk; past it a device simply resends what was not acked.
    public var drainTimeout: Duration = .seconds(10)

    public init() {}
}
