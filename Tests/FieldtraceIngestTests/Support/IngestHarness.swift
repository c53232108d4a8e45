import FieldtraceCore
import FieldtraceIngest
import Logging

/// A silent logger (the server's `listening` lines would clutter the test output).
let quietLogger = Logger(label: "fieldtrace.ingest.test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Starts a server for `listeners` on loopback (ephemeral ports) with `sink`, runs `body`,
/// then opens the sink's gate and stops the server, also when `body` throws.
func withServer(
    _ listeners: [IngestListener], sink: GatedSink, configure: (inout IngestConfiguration) -> Void = { _ in },
    _ body: (IngestServer) async throws -> Void
) async throws {
    var configuration = IngestConfiguration.loopback(listeners)
    configure(&configuration)
    let server = IngestServer(configuration: configuration, sink: sink, logger: quietLogger)
    try await server.start()
    do {
        try await body(server)
    } catch {
        sink.open()
        await server.stop()
        throw error
    }
    sink.open()
    await server.stop()
}

extension IngestServer {
    /// The bound port of an enabled listener (a test precondition).
    func boundPort(_ listener: IngestListener) -> Int {
        guard let port = port(of: listener) else { preconditionFailure("\(listener) is not bound") }
        return port
    }
}
