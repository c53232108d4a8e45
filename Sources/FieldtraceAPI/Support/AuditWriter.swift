import FieldtraceStore
import Synchronization

/// Group commit for the audit log: concurrent requests' rows are written in one transaction
/// (one WAL sync) instead of one each. The first appender to find no write in progress leads:
/// it writes its row with every row waiting, resumes their requests, then hands the lead to
/// the oldest row that arrived meanwhile (so no request keeps writing for others forever). A
/// request returns once its own row is durable, or throws the write's error.
public final class AuditWriter: Sendable {
    let access: AccessStore
    /// Most rows per transaction: bounds a transaction's time under a flood.
    let maxBatch = 512

    enum Outcome {
        case written
        case lead
    }

    struct State {
        var leading = false
        var waiting: [(record: AuditRecord, continuation: CheckedContinuation<Outcome, any Error>)] = []
    }

    private let state = Mutex(State())

    public init(access: AccessStore) {
        self.access = access
    }

    /// Appends `record` to the chained log; returns once it is written.
    public func append(_ record: AuditRecord) async throws {
        let outcome = try await withCheckedThrowingContinuation { (c: CheckedContinuation<Outcome, any Error>) in
            let leadNow = state.withLock { s -> Bool in
                if s.leading {
                    s.waiting.append((record, c))
                    return false
                }
                s.leading = true
                return true
            }
            if leadNow { c.resume(returning: .lead) }
        }
        if case .lead = outcome { try await lead(record) }
    }

    private func lead(_ own: AuditRecord) async throws {
        let batch = state.withLock { s in
            let count = min(s.waiting.count, maxBatch - 1)
            defer { s.waiting.removeFirst(count) }
            return Array(s.waiting.prefix(count))
        }
        do {
            try await access.appendAudit([own] + batch.map(\.record), chain: AuditChain.link)
        } catch {
            for waiter in batch { waiter.continuation.resume(throwing: error) }
            handOver()
            throw error
        }
        for waiter in batch { waiter.continuation.resume(returning: .written) }
        handOver()
    }

    private func handOver() {
        let next = state.withLock { s -> CheckedContinuation<Outcome, any Error>? in
            guard !s.waiting.isEmpty else {
                s.leading = false
                return nil
            }
            return s.waiting.removeFirst().continuation
        }
        next?.resume(returning: .lead)
    }
}
