/// When a failed webhook delivery is tried again: exponential backoff with jitter, up to a
/// horizon measured from the batch's first failure.
///
/// The n-th failure (n = 1, 2, …) waits `min(initialDelay × multiplier^(n-1), maxDelay)` scaled
/// by a factor drawn uniformly from `[1 - jitter, 1]`, so subscriptions that failed together
/// (a receiver restart) do not retry in lockstep. With the defaults: about 1 s, 2 s, 4 s, …,
/// 256 s, then every 5 min, for 24 h: roughly 300 attempts per batch before giving up.
public struct RetryPolicy: Sendable, Hashable {
    /// Wait after the first failure (default 1 s: a receiver that blipped is retried at once,
    /// in human terms).
    public var initialDelay: Duration = .seconds(1)
    /// Longest wait between attempts (default 5 min: a receiver back from an outage gets its
    /// events within minutes, and a dead one costs 12 requests an hour).
    public var maxDelay: Duration = .seconds(300)
    /// Total time spent retrying one batch, from its first failure (default 24 h: outlasts a
    /// weekend night's outage of the receiver; beyond it the subscription is marked failing).
    public var horizon: Duration = .seconds(86_400)
    /// Growth of the wait per failure (default 2).
    public var multiplier: Double = 2
    /// Share of the wait that is random (default 0.5: "equal jitter"; half fixed, half random).
    public var jitter: Double = 0.5

    public init() {}

    public init(
        initialDelay: Duration, maxDelay: Duration, horizon: Duration, multiplier: Double = 2, jitter: Double = 0.5
    ) {
        precondition(initialDelay > .zero && maxDelay >= initialDelay && horizon >= .zero, "bad retry policy")
        precondition(multiplier >= 1 && (0...1).contains(jitter), "multiplier >= 1, jitter in [0, 1]")
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.horizon = horizon
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The wait after failure `n` (1-based) before jitter.
    public func baseDelay(afterFailure n: Int) -> Duration {
        precondition(n >= 1, "failures count from 1")
        let initial = initialDelay.seconds
        let growth = pow2(multiplier, n - 1)
        return min(.seconds(initial * growth), maxDelay)
    }

    /// The wait after failure `n` with jitter; `unit` is a random number in `[0, 1)`.
    public func delay(afterFailure n: Int, unit: Double) -> Duration {
        let base = baseDelay(afterFailure: n)
        return base * (1 - jitter * min(max(unit, 0), 1))
    }

    public enum Decision: Sendable, Hashable {
        /// Try again after this wait.
        case retry(after: Duration)
        /// The next attempt would start beyond the horizon: give up.
        case giveUp
    }

    /// What to do after failure `n` of a batch whose first failure was at `firstFailureMs`.
    public func decide(afterFailure n: Int, firstFailureMs: Int64, nowMs: Int64, unit: Double) -> Decision {
        let wait = delay(afterFailure: n, unit: unit)
        let elapsed = Duration.milliseconds(max(0, nowMs - firstFailureMs))
        return elapsed + wait <= horizon ? .retry(after: wait) : .giveUp
    }

    private func pow2(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(exponent, 64) {
            result *= base
            if result > 1e12 { break }
        }
        return result
    }
}

extension Duration {
    /// Seconds as a `Double`.
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
