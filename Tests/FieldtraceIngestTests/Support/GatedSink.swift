import FieldtraceCore
import Synchronization

/// A `FixSink` for tests: records every batch as it arrives, then waits at a gate (closed:
/// `accept` does not return until `open()`), optionally sleeps, then returns or throws.
final class GatedSink: FixSink {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "simulated fsync failure" }
    }

    private struct State {
        var received: [[Fix]] = []
        var returned = 0
        var isOpen: Bool
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>
    private let fails: Bool
    private let delay: Duration

    init(open: Bool = true, fails: Bool = false, delay: Duration = .zero) {
        state = Mutex(State(isOpen: open))
        self.fails = fails
        self.delay = delay
    }

    func accept(_ batch: [Fix]) async throws -> FixReceipt {
        state.withLock { $0.received.append(batch) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        if fails { throw Failure() }
        state.withLock { $0.returned += 1 }
        return FixReceipt(accepted: batch.count)
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Batches that reached `accept` (returned or not).
    var batches: [[Fix]] { state.withLock { $0.received } }
    var fixes: [Fix] { batches.flatMap { $0 } }
    /// Batches whose `accept` returned.
    var returned: Int { state.withLock { $0.returned } }
}
