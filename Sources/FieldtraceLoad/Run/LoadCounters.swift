/// What happened to the fixes of one protocol. Each shard keeps its own; merged at the end.
public struct LoadCounters: Sendable, Equatable {
    /// Fixes the devices recorded on their schedule (`dropped` and a refused device's included).
    public var recorded = 0
    /// Fixes not recorded because the generator's buffers were full (`maxBufferedFixes`).
    public var dropped = 0
    /// Fixes sent for the first time, and the frames that carried them.
    public var sent = 0
    public var framesSent = 0
    /// Fixes sent again (after a timeout, a dropped connection or a negative ack), and frames.
    public var resent = 0
    public var framesResent = 0
    /// Fixes the server acknowledged (each counted once, whatever the resends).
    public var acked = 0
    /// Fixes the server refused for good: a refused device's fixes, or a frame still refused
    /// after its resends.
    public var rejected = 0
    /// Negative acks (result not ok, count short of the records sent).
    public var nacks = 0
    /// Fixes sent as backlog (recorded while offline) with the protocol's late marker.
    public var backlogSent = 0
    /// Fixes never acked when the run ended (protocols with acks).
    public var unacked = 0
    /// Acks that came too late (their frame was already resent or given up).
    public var staleAcks = 0
    public var timeouts = 0
    public var connects = 0
    public var connectFailures = 0
    public var disconnects = 0
    public var bytesSent = 0
    public var unparsedReplies = 0

    public init() {}

    public mutating func merge(_ o: LoadCounters) {
        recorded += o.recorded
        dropped += o.dropped
        sent += o.sent
        framesSent += o.framesSent
        resent += o.resent
        framesResent += o.framesResent
        acked += o.acked
        rejected += o.rejected
        nacks += o.nacks
        backlogSent += o.backlogSent
        unacked += o.unacked
        staleAcks += o.staleAcks
        timeouts += o.timeouts
        connects += o.connects
        connectFailures += o.connectFailures
        disconnects += o.disconnects
        bytesSent += o.bytesSent
        unparsedReplies += o.unparsedReplies
    }
}
