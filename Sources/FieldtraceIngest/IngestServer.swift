import FieldtraceCore
import FieldtraceWire
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The tracker-facing listeners: one TCP or UDP socket per enabled `IngestListener`, each
/// connection or datagram decoded by its protocol's `WireDecoder`, fixes handed to the
/// `FixSink` in batches, acks written only after the sink made them durable.
///
/// Life cycle:
/// ```swift
/// let server = IngestServer(configuration: configuration, sink: engine, logger: logger)
/// try await server.start()              // binds every listener (throws if one cannot bind)
/// server.address(of: .teltonikaTCP)      // the bound address (port 0 = ephemeral)
/// try await server.run()                // waits until shut down; throws the sink's failure
/// server.shutdown()                     // from anywhere: stop accepting, drain, close
/// await server.stop()                   // shutdown() and wait for it
/// server.counters()                     // counters by listener
/// ```
/// `run()` starts the server if needed, returns after a shutdown finished, and throws
/// `IngestError.sinkFailed` when a `FixSink.accept` threw (which also shuts the server down
/// when `stopsOnSinkFailure`). Task cancellation of `run()` shuts down. With
/// swift-service-lifecycle: `try await withGracefulShutdownHandler { try await server.run() }
/// onGracefulShutdown: { server.shutdown() }`.
///
/// Shutdown: listening sockets close first (no new connection); every connection and UDP
/// socket then stops reading, finishes the batch it has in flight (writing its acks) and
/// closes; after `IngestLimits.drainTimeout` whatever is still open is closed. `stop()` and
/// `run()` return once every socket closed and every batch handed to the sink was answered.
public final class IngestServer: Sendable {
    public let configuration: IngestConfiguration
    /// Shut down when a `FixSink.accept` throws (the engine cannot make data durable, so
    /// nothing more should be read). On by default.
    public let stopsOnSinkFailure: Bool
    let coordinator: IngestCoordinator
    let group: any EventLoopGroup
    let logger: Logger
    private let state = Mutex(State())
    private let stopped = Latch()

    struct State {
        enum Phase { case idle, starting, running, stopping, stopped }
        var phase = Phase.idle
        var listening: [(listener: IngestListener, channel: any Channel)] = []
    }

    /// - Parameters:
    ///   - eventLoopGroup: where sockets live; NIO's shared singleton (one loop per core) by default.
    ///   - logger: the server logs with it (connection events at debug, sink failures at error).
    public init(
        configuration: IngestConfiguration, sink: any FixSink,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, stopsOnSinkFailure: Bool = true,
        logger: Logger
    ) {
        self.configuration = configuration
        self.stopsOnSinkFailure = stopsOnSinkFailure
        self.group = eventLoopGroup
        self.logger = logger
        self.coordinator = IngestCoordinator(sink: sink, configuration: configuration, logger: logger)
    }

    // MARK: Public API

    /// Binds every listener in `configuration.ports`. Throws (after closing what it bound)
    /// if one cannot bind, or if the server was already started.
    public func start() async throws {
        try state.withLock { state in
            guard state.phase == .idle else { throw IngestError.alreadyStarted }
            state.phase = .starting
        }
        coordinator.setSinkFailureHandler { [weak self] error in
            guard let self, self.stopsOnSinkFailure else { return }
            self.logger.error("sink failure: shutting ingest down", metadata: ["error": "\(error)"])
            self.shutdown()
        }
        var bound: [(IngestListener, any Channel)] = []
        do {
            for listener in IngestListener.allCases {
                guard let port = configuration.ports[listener] else { continue }
                switch listener.transport {
                case .tcp:
                    bound.append((listener, try await bindTCP(listener, port: port)))
                case .udp:
                    for channel in try await bindUDP(listener, port: port) { bound.append((listener, channel)) }
                }
            }
        } catch {
            for (_, channel) in bound { try? await channel.close() }
            state.withLock { $0.phase = .stopped }
            stopped.open()
            throw error
        }
        let shuttingDown = state.withLock { state in
            state.listening = bound.map { (listener: $0.0, channel: $0.1) }
            guard state.phase == .starting else { return true }
            state.phase = .running
            return false
        }
        for (listener, channel) in bound {
            logger.info(
                "listening",
                metadata: [
                    "wire.protocol": "\(listener)", "ingest.address": "\(channel.localAddress.map { "\($0)" } ?? "?")",
                ])
        }
        if shuttingDown { drain() }
    }

    /// Starts if needed, then waits until the server has shut down. Throws
    /// `IngestError.sinkFailed` if a batch's `accept` threw. Cancelling the task shuts down.
    public func run() async throws {
        if state.withLock({ $0.phase == .idle }) { try await start() }
        await withTaskCancellationHandler {
            await stopped.wait()
        } onCancel: {
            shutdown()
        }
        if let failure = coordinator.sinkFailure { throw IngestError.sinkFailed(failure) }
    }

    /// Begins a graceful shutdown (see the type's documentation) and returns at once.
    /// Idempotent; safe from any thread.
    public func shutdown() {
        let proceed = state.withLock { state -> Bool in
            switch state.phase {
            case .idle:
                state.phase = .stopped
                return false
            case .starting:
                state.phase = .stopping  // `start` drains once its sockets are bound
                return false
            case .running:
                state.phase = .stopping
                return true
            case .stopping, .stopped:
                return false
            }
        }
        if proceed { drain() }
        if state.withLock({ $0.phase == .stopped }) { stopped.open() }
    }

    /// Shuts down and waits until every socket closed and every batch was answered.
    public func stop() async {
        shutdown()
        await stopped.wait()
    }

    /// Where a listener is bound (the first socket for a UDP listener with several), or `nil`
    /// when it is not enabled or not started.
    public func address(of listener: IngestListener) -> SocketAddress? {
        state.withLock { state in state.listening.first { $0.listener == listener }?.channel.localAddress }
    }

    /// The bound port of a listener (what port 0 became).
    public func port(of listener: IngestListener) -> Int? { address(of: listener)?.port }

    /// A copy of every listener's counters.
    public func counters() -> IngestCountersSnapshot {
        var snapshot = IngestCountersSnapshot()
        for (listener, box) in coordinator.counters where configuration.ports[listener] != nil {
            snapshot.listeners[listener] = box.value
        }
        return snapshot
    }

    /// The first error a `FixSink.accept` threw, if any.
    public var sinkFailure: (any Error)? { coordinator.sinkFailure }

    // MARK: Shutdown

    /// Closes the listening sockets, drains every channel, then marks the server stopped.
    private func drain() {
        let listening = state.withLock { $0.listening }
        let loop = group.next()
        for (listener, channel) in listening where listener.transport == .tcp {
            channel.close(promise: nil)
        }
        let open = coordinator.beginDrain() ?? []
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(IngestDrainEvent())
        }
        let closeFutures = listening.map(\.channel.closeFuture) + open.map(\.closeFuture)
        let timeout = loop.scheduleTask(in: TimeAmount(configuration.limits.drainTimeout)) {
            [self, coordinator, logger] in
            let left = coordinator.openChannels
            logger.warning(
                "drain timeout: closing what is open, not waiting for the sink",
                metadata: ["ingest.open": "\(left.count)"])
            let closes = left.map { $0.close() } + listening.map { $0.channel.close() }
            EventLoopFuture.andAllComplete(closes, on: loop).whenComplete { _ in self.finishStop() }
        }
        EventLoopFuture.andAllComplete(closeFutures, on: loop).whenComplete { [coordinator, logger] _ in
            coordinator.whenIdle { [self] in
                timeout.cancel()
                logger.info("ingest stopped")
                self.finishStop()
            }
        }
    }

    private func finishStop() {
        state.withLock { $0.phase = .stopped }
        stopped.open()
    }
}

/// Errors of the ingest server's life cycle.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    case alreadyStarted
    /// `FixSink.accept` threw: the engine could not make fixes durable. No ack was sent for them.
    case sinkFailed(any Error)

    public var description: String {
        switch self {
        case .alreadyStarted: "the ingest server was already started"
        case .sinkFailed(let error): "the fix sink failed: \(error)"
        }
    }
}
