import FieldtraceEngine
import FieldtraceIngest
import Logging
import ServiceLifecycle

/// The tracker listeners as a service: graceful shutdown stops accepting, lets every batch in
/// flight become durable and be acked, then closes the sockets (`IngestServer.shutdown`).
/// Throws when the engine failed to make a batch durable, which ends the group (exit 1).
struct IngestService: Service {
    let server: IngestServer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: {
            server.shutdown()
        }
    }
}

/// The engine's clock work as a service: `tick` every interval (reorder release, offline
/// events, sealing by idleness and age, WAL checkpoint); on graceful shutdown, which comes
/// after the ingest service has drained (the group stops services in reverse order),
/// `Engine.shutdown` drains the shards, writes events, seals every buffered fix and
/// checkpoints the WAL.
struct EngineService: Service {
    let engine: AnalyticsEngine
    let tickInterval: Duration
    let logger: Logger
    /// Runs after every tick (the directory's day roll-over of route windows).
    var afterTick: @Sendable () -> Void = {}

    func run() async throws {
        while true {
            do {
                try await cancelWhenGracefulShutdown { [tickInterval] in try await Task.sleep(for: tickInterval) }
            } catch is CancellationError {
                break
            }
            try await engine.tick()
            afterTick()
        }
        logger.info("engine draining: sealing segments, checkpointing the WAL")
        try await engine.shutdown()
        logger.info("engine stopped")
    }
}
