import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct SanityFilterTests {
    static let device = FilterFixtures.device
    static let t0 = FilterFixtures.t0

    static func fix(
        _ second: Double, east: Double = 0, north: Double = 0, receivedMs: Int64? = nil, accuracyM: Double? = nil,
        valid: Bool = true
    ) -> Fix {
        FilterFixtures.fix(second, east: east, north: north, receivedMs: receivedMs, accuracyM: accuracyM, valid: valid)
    }

    static func reasons(_ fixes: [Fix], _ configuration: SanityFilter.Configuration = .init()) -> [SanityRejection?] {
        SanityFilter.filter(fixes, configuration: configuration).map(\.rejection)
    }

    @Test func invalidAndOutOfRangeFixesAreRejected() {
        var filter = SanityFilter()
        #expect(filter.judge(Self.fix(0, valid: false)) == .invalid)
        var outOfRange = Self.fix(1)
        outOfRange.latitudeE7 = 900_000_001
        #expect(filter.judge(outOfRange) == .invalid)
        #expect(filter.judge(Self.fix(2)) == nil)
    }

    @Test func nullIslandIsRejectedButTheEquatorIsNot() {
        var filter = SanityFilter()
        let zero = Fix(device: Self.device, timeMs: Self.t0, latitudeE7: 0, longitudeE7: 0)
        let nearZero = Fix(device: Self.device, timeMs: Self.t0 + 1000, latitudeE7: 350, longitudeE7: -9_000)
        let equator = Fix(device: Self.device, timeMs: Self.t0 + 2000, latitudeE7: 0, longitudeE7: 366_000_000)
        #expect(filter.judge(zero) == .zeroCoordinates)
        #expect(filter.judge(nearZero) == .zeroCoordinates)
        #expect(filter.judge(equator) == nil)
    }

    @Test func futureTimeUsesTheReceiveTimeOrTheGivenReference() {
        var filter = SanityFilter()
        let tolerance = SanityFilter.Configuration().futureToleranceMs
        #expect(filter.judge(Self.fix(0, receivedMs: Self.t0 - tolerance - 1)) == .futureTime)
        #expect(filter.judge(Self.fix(1, receivedMs: Self.t0 + 1000 - tolerance)) == nil)
        // An explicit reference wins over the receive time.
        #expect(
            filter.judge(Self.fix(2, receivedMs: Self.t0 + 5000), referenceTimeMs: Self.t0 - 3_600_000) == .futureTime)
        // Without either, there is nothing to compare with.
        #expect(filter.judge(Self.fix(3_600)) == nil)
    }

    @Test func ancientTimesAreRejected() {
        var filter = SanityFilter()
        var rolledOver = Self.fix(0)
        rolledOver.timeMs -= GPSWeekRollover.periodMs * 2  // before 1999-08-22
        #expect(filter.judge(rolledOver) == .ancientTime)
        let ninetyOneDaysMs: Int64 = 91 * 86_400_000
        #expect(filter.judge(Self.fix(0, receivedMs: Self.t0 + ninetyOneDaysMs)) == .ancientTime)
        #expect(filter.judge(Self.fix(0, receivedMs: Self.t0 + 30 * 86_400_000)) == nil)
        var noAge = SanityFilter(configuration: .init(maxAgeMs: nil))
        #expect(noAge.judge(Self.fix(0, receivedMs: Self.t0 + ninetyOneDaysMs)) == nil)
    }

    @Test func duplicatesAndOutOfOrderFixes() {
        let fixes = [
            Self.fix(0), Self.fix(1, east: 5), Self.fix(1, east: 9),  // same time as the accepted one
            Self.fix(0.5, east: 3),  // earlier than the accepted one
            Self.fix(2, east: 5_000), Self.fix(2, east: 5_000),  // a rejected jump, retransmitted
            Self.fix(3, east: 15),
        ]
        #expect(Self.reasons(fixes) == [nil, nil, .duplicate, .outOfOrder, .impossibleSpeed, .duplicate, nil])
    }

    @Test func aJumpIsRejectedAndDoesNotBecomeTheReference() {
        var fixes = (0..<10).map { Self.fix(Double($0), east: Double($0) * 10) }
        fixes[5] = Self.fix(5, east: 2_000)
        let reasons = Self.reasons(fixes)
        #expect(reasons[5] == .impossibleSpeed)
        #expect(reasons.enumerated().allSatisfy { $0.offset == 5 || $0.element == nil })
        let verdicts = SanityFilter.filter(fixes)
        #expect(verdicts[5].fix.flags.contains(.outlier))
        #expect(!verdicts[6].fix.flags.contains(.outlier))
    }

    @Test func theSpeedLimitScalesWithTimeAndTheAllowanceWithAccuracy() {
        // 70 m/s for 10 s is 700 m; with 5 m sigmas the allowance is 5 x 7.07 = 35 m.
        #expect(Self.reasons([Self.fix(0), Self.fix(10, east: 730)]) == [nil, nil])
        #expect(Self.reasons([Self.fix(0), Self.fix(10, east: 740)]) == [nil, .impossibleSpeed])
        // Sub-second steps count as one second.
        #expect(Self.reasons([Self.fix(0), Self.fix(0.2, east: 100)]) == [nil, nil])
        // A 300 m jump in 1 s is plausible between two fixes reporting 150 m accuracy (sigma 99 m).
        let coarse = [Self.fix(0, accuracyM: 150), Self.fix(1, east: 300, accuracyM: 150)]
        #expect(Self.reasons(coarse) == [nil, nil])
        #expect(Self.reasons([Self.fix(0), Self.fix(1, east: 300)]) == [nil, .impossibleSpeed])
        // A slower limit for walkers.
        let walker = SanityFilter.Configuration(maxSpeedMetersPerSecond: 15)
        #expect(Self.reasons([Self.fix(0), Self.fix(10, east: 400)], walker) == [nil, .impossibleSpeed])
    }

    @Test func aWrongFirstFixIsLeftBehindAfterThreeConsistentFixes() {
        var fixes = [Self.fix(0, east: 900_000)]
        fixes += (1..<10).map { Self.fix(Double($0), east: Double($0) * 10) }
        let reasons = Self.reasons(fixes)
        #expect(reasons[1] == .impossibleSpeed && reasons[2] == .impossibleSpeed)
        #expect(reasons[3...].allSatisfy { $0 == nil }, "re-anchored on the third consistent fix: \(reasons)")
    }

    @Test func aClockThatWasAheadIsLeftBehind() {
        var fixes = [Self.fix(3_600)]
        fixes += (1..<6).map { Self.fix(Double($0), east: Double($0) * 10) }
        #expect(Self.reasons(fixes) == [nil, .outOfOrder, .outOfOrder, nil, nil, nil])
    }

    @Test func twoAgreeingOutliersDoNotMoveTheReference() {
        var fixes = (0..<8).map { Self.fix(Double($0), east: Double($0) * 10) }
        fixes[3] = Self.fix(3, east: 1_000)
        fixes[4] = Self.fix(4, east: 1_010)
        let reasons = Self.reasons(fixes)
        #expect(reasons == [nil, nil, nil, .impossibleSpeed, .impossibleSpeed, nil, nil, nil])
    }

    @Test func inconsistentRejectionsNeverReanchor() {
        // Alternating wild fixes far apart never agree with each other.
        var fixes = [Self.fix(0)]
        for i in 1..<20 { fixes.append(Self.fix(Double(i), east: i.isMultiple(of: 2) ? 5_000 : -5_000)) }
        #expect(Self.reasons(fixes).dropFirst().allSatisfy { $0 == .impossibleSpeed })
    }

    @Test func anAcceptedFixLosesAnEarlierOutlierFlag() {
        var flagged = Self.fix(0)
        flagged.flags.insert(.outlier)
        var filter = SanityFilter()
        let verdict = filter.process(flagged)
        #expect(verdict.isAccepted && !verdict.fix.flags.contains(.outlier))
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func honestNoiseIsNeverFlaggedAndBigJumpsAlwaysAre(seed: UInt64) {
        for walking in [false, true] {
            var options = FilterSyntheticTrack.Options()
            options.seconds = 20_000
            options.walking = walking
            options.outlierMinM = 150
            options.outlierMaxM = 300
            let track = FilterSyntheticTrack.make(seed: seed, options)
            let outliers = Set(track.outlierIndices)
            #expect(outliers.count > 50)
            let reasons = Self.reasons(track.fixes)
            let falseRejections = reasons.indices.filter { reasons[$0] != nil && !outliers.contains($0) }
            let missed = track.outlierIndices.filter { reasons[$0] == nil }
            #expect(falseRejections.isEmpty, "seed \(seed) walking \(walking): \(falseRejections.prefix(5))")
            #expect(missed.isEmpty, "seed \(seed) walking \(walking): \(missed.prefix(5))")
        }
    }

    @Test func batchAndOnlineGiveTheSameVerdicts() {
        let track = FilterSyntheticTrack.make(seed: 9, .init(seconds: 3_000))
        var filter = SanityFilter()
        let online = track.fixes.map { filter.process($0) }
        #expect(online == SanityFilter.filter(track.fixes))
    }
}
