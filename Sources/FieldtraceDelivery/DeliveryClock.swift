#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Time for the webhook deliverer: the wall clock (signature timestamps, log rows) and sleeping
/// (backoff). Injected so tests run a day of retries without waiting.
public protocol DeliveryClock: Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    func nowMs() -> Int64
    /// Sleeps; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock: `CLOCK_REALTIME` and `Task.sleep`.
public struct SystemDeliveryClock: DeliveryClock {
    public init() {}

    public func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
