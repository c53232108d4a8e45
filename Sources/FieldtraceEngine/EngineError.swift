/// Why the engine refused a batch.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `start()` was not called, or `shutdown()` was: nothing is accepted.
    case notRunning
    /// The engine stopped after a failure of the store or the event log (fail-stop): this batch
    /// and every later one are refused, so nothing is acknowledged that is not durable.
    case failed(String)

    public var description: String {
        switch self {
        case .notRunning: "engine not running"
        case .failed(let cause): "engine stopped after a failure: \(cause)"
        }
    }
}
