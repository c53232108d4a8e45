import FieldtraceCore
import Logging
import NIOCore
import Synchronization

/// What every handler of one server shares: the sink, the configuration, the counters, the
/// registry of open channels (for the per-IP cap and for draining) and the count of batches
/// waiting on the sink. Locks are taken per connection or per batch, never per fix.
final class IngestCoordinator: Sendable {
    let sink: any FixSink
    let configuration: IngestConfiguration
    let logger: Logger
    let counters: [IngestListener: IngestCounterBox]
    private let state = Mutex(State())

    struct State {
        /// Open channels: accepted TCP connections and bound UDP sockets.
        var channels: [ObjectIdentifier: any Channel] = [:]
        /// Open TCP connections by peer IP address.
        var connectionsByIP: [String: Int] = [:]
        var connections = 0
        /// Batches handed to the sink and not yet answered.
        var acceptsInFlight = 0
        /// Called once when `acceptsInFlight` reaches zero (draining).
        var whenIdle: (@Sendable () -> Void)?
        var draining = false
        var sinkFailure: (any Error)?
        var onSinkFailure: (@Sendable (any Error) -> Void)?
    }

    init(sink: any FixSink, configuration: IngestConfiguration, logger: Logger) {
        self.sink = sink
        self.configuration = configuration
        self.logger = logger
        counters = Dictionary(uniqueKeysWithValues: IngestListener.allCases.map { ($0, IngestCounterBox()) })
    }

    var limits: IngestLimits { configuration.limits }

    func counterBox(_ listener: IngestListener) -> IngestCounterBox {
        guard let box = counters[listener] else { preconditionFailure("every listener has a counter box") }
        return box
    }

    // MARK: Connections

    /// Why a connection was not admitted.
    enum Refusal: String {
        case perIP = "per_ip_cap"
        case total = "connection_cap"
        case shuttingDown = "shutting_down"
    }

    /// Registers an accepted TCP connection, or says why it must be closed at once.
    func admit(_ channel: any Channel, ip: String?) -> Refusal? {
        let limits = self.limits
        return state.withLock { state in
            if state.draining { return .shuttingDown }
            if state.connections >= limits.maxConnections { return .total }
            if let ip, state.connectionsByIP[ip, default: 0] >= limits.maxConnectionsPerIP { return .perIP }
            state.connections += 1
            if let ip { state.connectionsByIP[ip, default: 0] += 1 }
            state.channels[ObjectIdentifier(channel)] = channel
            return nil
        }
    }

    /// Unregisters a TCP connection that `admit` accepted.
    func release(_ channel: any Channel, ip: String?) {
        state.withLock { state in
            state.channels[ObjectIdentifier(channel)] = nil
            state.connections -= 1
            if let ip {
                let left = state.connectionsByIP[ip, default: 1] - 1
                state.connectionsByIP[ip] = left > 0 ? left : nil
            }
        }
    }

    /// Registers a bound UDP socket (drained and closed on shutdown).
    func register(_ channel: any Channel) {
        state.withLock { $0.channels[ObjectIdentifier(channel)] = channel }
    }

    func unregister(_ channel: any Channel) {
        state.withLock { _ = $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var isDraining: Bool { state.withLock { $0.draining } }

    /// Starts draining: no connection is admitted from now on. Returns the channels open now,
    /// or `nil` when draining had already started.
    func beginDrain() -> [any Channel]? {
        state.withLock { state in
            guard !state.draining else { return nil }
            state.draining = true
            return Array(state.channels.values)
        }
    }

    /// Channels still open.
    var openChannels: [any Channel] { state.withLock { Array($0.channels.values) } }

    // MARK: Batches in flight

    func beginAccept() {
        state.withLock { $0.acceptsInFlight += 1 }
    }

    func endAccept() {
        let idle: (@Sendable () -> Void)? = state.withLock { state in
            state.acceptsInFlight -= 1
            guard state.acceptsInFlight == 0, let body = state.whenIdle else { return nil }
            state.whenIdle = nil
            return body
        }
        idle?()
    }

    /// Calls `body` once no batch is in flight (at once if none is).
    func whenIdle(_ body: @escaping @Sendable () -> Void) {
        let now = state.withLock { state in
            if state.acceptsInFlight == 0 { return true }
            state.whenIdle = body
            return false
        }
        if now { body() }
    }

    // MARK: Sink failure

    /// The first error `FixSink.accept` threw, if any.
    var sinkFailure: (any Error)? { state.withLock { $0.sinkFailure } }

    func setSinkFailureHandler(_ body: @escaping @Sendable (any Error) -> Void) {
        state.withLock { $0.onSinkFailure = body }
    }

    /// Records a sink failure; the first one is passed to the server's handler.
    func reportSinkFailure(_ error: any Error) {
        let handler: (@Sendable (any Error) -> Void)? = state.withLock { state in
            guard state.sinkFailure == nil else { return nil }
            state.sinkFailure = error
            return state.onSinkFailure
        }
        handler?(error)
    }
}

/// Sent down a channel's pipeline when the server shuts down: stop reading, finish the batch
/// in flight (and write its acks), then close.
struct IngestDrainEvent: Sendable {}
