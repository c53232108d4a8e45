import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

/// The bar: the maximum error never exceeds the tolerance, on 1,000 seeded random tracks, for
/// Douglas-Peucker, TD-TR and the streaming simplifier, checked by brute force
/// (`SimplificationChecks`, independent of the implementation). Each failure prints its seed:
/// `RandomTrack.make(seed:)` rebuilds the track.
@Suite struct SimplificationPropertyTests {
    static let seeds: ClosedRange<UInt64> = 1...1000

    /// A tolerance per seed, from 0 (keep everything not exactly on the track) to 200 m.
    static func tolerance(seed: UInt64) -> Double {
        let choices = [0, 0.5, 1, 2.5, 5, 5, 10, 20, 50, 200.0]
        return choices[Int(seed % UInt64(choices.count))]
    }

    /// Runs `simplify` on every seed's track and checks it; returns the failures (at most 10 kept).
    static func failures(
        _ name: String, simplify: ([Fix], Double) -> [Int],
        error: ([Fix], [Int]) -> (meters: Double, index: Int)
    ) -> [String] {
        var failures: [String] = []
        var worstRatio = 0.0
        for seed in seeds {
            let fixes = RandomTrack.make(seed: seed)
            let tolerance = tolerance(seed: seed)
            let kept = simplify(fixes, tolerance)
            if let problem = SimplificationChecks.structuralProblem(kept, count: fixes.count) {
                failures.append("\(name) seed \(seed) (\(fixes.count) fixes, \(tolerance) m): \(problem)")
                continue
            }
            let (meters, index) = error(fixes, kept)
            if tolerance > 0 { worstRatio = max(worstRatio, meters / tolerance) }
            if meters > tolerance {
                failures.append(
                    "\(name) seed \(seed) (\(fixes.count) fixes, \(tolerance) m): fix \(index) is \(meters) m off")
            }
        }
        // The bound is tight, not vacuous: somewhere a dropped point comes close to the tolerance.
        if worstRatio < 0.9 { failures.append("\(name): worst error only \(worstRatio) x tolerance, checker suspect") }
        return Array(failures.prefix(10))
    }

    @Test func douglasPeuckerNeverExceedsTheTolerance() {
        let failures = Self.failures("DP") {
            DouglasPeucker.keptIndices($0, toleranceMeters: $1)
        } error: {
            SimplificationChecks.maxSegmentErrorMeters($0, kept: $1)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func timeAwareNeverExceedsTheTolerance() {
        let failures = Self.failures("TD-TR") {
            TimeAwareSimplifier.keptIndices($0, toleranceMeters: $1)
        } error: {
            SimplificationChecks.maxSynchronizedErrorMeters($0, kept: $1)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func streamingNeverExceedsTheTolerance() {
        let failures = Self.failures("streaming") {
            StreamingSimplifier.keptIndices($0, toleranceMeters: $1, maxIntervalSeconds: 120)
        } error: {
            SimplificationChecks.maxSynchronizedErrorMeters($0, kept: $1)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func rawColumnsGiveTheSameResultAsFixes() {
        for seed in Self.seeds.prefix(200) {
            let fixes = RandomTrack.make(seed: seed)
            let tolerance = Self.tolerance(seed: seed)
            let lat = fixes.map(\.latitudeE7)
            let lon = fixes.map(\.longitudeE7)
            let time = fixes.map(\.timeMs)
            let dp = lat.withUnsafeBufferPointer { la in
                lon.withUnsafeBufferPointer {
                    DouglasPeucker.keptIndices(latitudeE7: la, longitudeE7: $0, toleranceMeters: tolerance)
                }
            }
            let tdtr = lat.withUnsafeBufferPointer { la in
                lon.withUnsafeBufferPointer { lo in
                    time.withUnsafeBufferPointer {
                        TimeAwareSimplifier.keptIndices(
                            latitudeE7: la, longitudeE7: lo, timeMs: $0, toleranceMeters: tolerance)
                    }
                }
            }
            #expect(dp == DouglasPeucker.keptIndices(fixes, toleranceMeters: tolerance), "seed \(seed)")
            #expect(tdtr == TimeAwareSimplifier.keptIndices(fixes, toleranceMeters: tolerance), "seed \(seed)")
        }
    }
}
