import FieldtraceDelivery
import Synchronization

/// A transport that answers from a script (the n-th request, 0-based), recording each request.
final class ScriptedTransport: WebhookTransport {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "connection refused (scripted)" }
    }

    let script: Mutex<@Sendable (Int) -> Int?>
    let sent = Mutex<[WebhookRequest]>([])

    /// `script` returns a status, or nil for "no answer" (the post throws).
    init(_ script: @escaping @Sendable (Int) -> Int?) { self.script = Mutex(script) }

    var requests: [WebhookRequest] { sent.withLock { $0 } }

    func answer(with script: @escaping @Sendable (Int) -> Int?) { self.script.withLock { $0 = script } }

    func post(_ request: WebhookRequest, timeout: Duration) async throws -> Int {
        let n = sent.withLock { s -> Int in
            s.append(request)
            return s.count - 1
        }
        guard let status = script.withLock({ $0 })(n) else { throw Failure() }
        return status
    }
}

/// Runs `service.run()` beside `body`, then cancels it and waits for it to end.
func whileRunning(_ run: @escaping @Sendable () async throws -> Void, _ body: () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await run() }
        do {
            try await body()
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
        try await group.waitForAll()
    }
}
