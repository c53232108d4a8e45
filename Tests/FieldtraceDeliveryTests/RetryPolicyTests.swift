import FieldtraceDelivery
import Testing

@Suite struct RetryPolicyTests {
    @Test func baseDelaysDoubleFromOneSecondUpToFiveMinutes() {
        let p = RetryPolicy()
        let base = (1...12).map { p.baseDelay(afterFailure: $0) }
        #expect(base == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300].map { Duration.seconds($0) })
        #expect(p.baseDelay(afterFailure: 10_000) == .seconds(300), "no overflow for huge counts")
    }

    @Test func jitterKeepsTheDelayBetweenHalfAndAllOfTheBase() {
        let p = RetryPolicy()
        #expect(p.delay(afterFailure: 4, unit: 0) == .seconds(8))
        #expect(p.delay(afterFailure: 4, unit: 0.5) == .seconds(6))
        #expect(p.delay(afterFailure: 4, unit: 0.999_999) > .seconds(4))
        for unit in stride(from: 0.0, to: 1.0, by: 0.01) {
            let d = p.delay(afterFailure: 20, unit: unit)
            #expect(d <= .seconds(300) && d > .seconds(150))
        }
    }

    @Test func givesUpWhenTheNextAttemptWouldPassTheHorizon() {
        let p = RetryPolicy()
        let first: Int64 = 1_000_000
        let day: Int64 = 86_400_000
        #expect(p.decide(afterFailure: 1, firstFailureMs: first, nowMs: first, unit: 0) == .retry(after: .seconds(1)))
        #expect(
            p.decide(afterFailure: 300, firstFailureMs: first, nowMs: first + day - 300_000, unit: 0)
                == .retry(after: .seconds(300)))
        #expect(p.decide(afterFailure: 300, firstFailureMs: first, nowMs: first + day - 299_999, unit: 0) == .giveUp)
        #expect(p.decide(afterFailure: 2, firstFailureMs: first, nowMs: first + day + 1, unit: 0.5) == .giveUp)
    }

    @Test func aDayOfFailuresIsAboutThreeHundredAttempts() {
        // Simulated time: each attempt fails at once, then the policy's wait passes.
        let p = RetryPolicy()
        var now: Int64 = 0
        var failures = 0
        while true {
            failures += 1
            guard case .retry(let wait) = p.decide(afterFailure: failures, firstFailureMs: 0, nowMs: now, unit: 0)
            else { break }
            now += wait.components.seconds * 1000
        }
        #expect(now <= 86_400_000 && now > 86_400_000 - 300_000)
        #expect((290...300).contains(failures))
    }
}
