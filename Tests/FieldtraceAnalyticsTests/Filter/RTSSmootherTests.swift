import FieldtraceAnalytics
import FieldtraceCore
import Testing

@Suite struct RTSSmootherTests {
    typealias F = FilterFixtures
    static let positionOnly = KalmanTracker.Configuration(useReportedVelocity: false)

    static func moved(_ fixes: [Fix], north: Double) -> [Fix] {
        fixes.map { fix in
            var moved = fix
            moved.latitudeE7 += CoordinateE7.fromDegrees(north / F.plane.metersPerDegreeLatitude)
            return moved
        }
    }

    @Test func smoothingBeatsFilteringOnADrive() {
        let track = FilterSyntheticTrack.make(seed: 21, .init(seconds: 20_000))
        for configuration in [KalmanTracker.Configuration(), Self.positionOnly] {
            let online = KalmanTracker.filter(track.fixes, configuration: configuration)
            let smoothed = RTSSmoother.smooth(track.fixes, configuration: configuration)
            #expect(smoothed.count == track.fixes.count)
            let o = TrackError.rms(online, truth: track.truth)
            let s = TrackError.rms(smoothed, truth: track.truth)
            #expect(s < 0.8 * o, "rts \(s) m vs online \(o) m")
            #expect(zip(smoothed, online).allSatisfy { $0.status == $1.status || $1.status == .reset })
        }
    }

    @Test func theLastFixOfASegmentIsTheFilteredOneAndSigmasShrink() {
        let track = FilterSyntheticTrack.make(seed: 22, .init(seconds: 3_000))
        let online = KalmanTracker.filter(track.fixes)
        let smoothed = RTSSmoother.smooth(track.fixes)
        let last = track.fixes.count - 1
        #expect(smoothed[last].latitudeE7 == online[last].latitudeE7)
        #expect(smoothed[last].longitudeE7 == online[last].longitudeE7)
        #expect(smoothed[last].positionSigmaM == online[last].positionSigmaM)
        #expect(zip(smoothed, online).allSatisfy { $0.positionSigmaM <= $1.positionSigmaM + 1e-9 })
    }

    @Test func segmentsAcrossAGapAreSmoothedIndependently() {
        // Standing at the origin for 300 s, a 10-minute gap, then standing 2 km north.
        let (first, _) = KalmanTrackerTests.line(count: 300)
        let (second, _) = KalmanTrackerTests.line(count: 300, seed: 3, start: 900)
        let fixes = first + Self.moved(second, north: 2_000)
        let smoothed = RTSSmoother.smooth(fixes, configuration: Self.positionOnly)
        #expect(smoothed[300].status == .started)
        for i in 290..<300 {
            #expect(
                F.distance(latitudeE7: smoothed[i].latitudeE7, longitudeE7: smoothed[i].longitudeE7, east: 0, north: 0)
                    < 6)
        }
        for i in 300..<310 {
            let d = F.distance(
                latitudeE7: smoothed[i].latitudeE7, longitudeE7: smoothed[i].longitudeE7, east: 0, north: 2_000)
            #expect(d < 6, "not pulled towards the other segment")
        }
    }

    @Test func afterAResetTheRejectedRunIsRecovered() {
        // Standing at the origin, then (no gap) standing 500 m north: online, the first fixes
        // there are gated out; smoothed, the segment restarts at the first of them.
        let (first, _) = KalmanTrackerTests.line(count: 100)
        let (second, _) = KalmanTrackerTests.line(count: 30, seed: 2, start: 100)
        let fixes = first + Self.moved(second, north: 500)
        let online = KalmanTracker.filter(fixes, configuration: Self.positionOnly)
        let smoothed = RTSSmoother.smooth(fixes, configuration: Self.positionOnly)
        #expect(online[100].status == .gatedOut)
        #expect(smoothed[100].status == .started)
        #expect(smoothed[101...].allSatisfy { $0.status == .updated })
        for i in 100..<130 {
            let d = F.distance(
                latitudeE7: smoothed[i].latitudeE7, longitudeE7: smoothed[i].longitudeE7, east: 0, north: 500)
            #expect(d < 6, "fix \(i) is \(d) m off")
        }
        for i in 90..<100 {
            #expect(
                F.distance(latitudeE7: smoothed[i].latitudeE7, longitudeE7: smoothed[i].longitudeE7, east: 0, north: 0)
                    < 4)
        }
    }

    @Test func gatedOutliersGetTheSmoothedPosition() {
        var (fixes, truth) = KalmanTrackerTests.line(count: 120, velocity: (10, 0))
        fixes[60] = F.fix(60, east: 600 + 150, hdop: 1)
        let smoothed = RTSSmoother.smooth(fixes, configuration: Self.positionOnly)
        #expect(smoothed[60].status == .gatedOut)
        let d = F.distance(
            latitudeE7: smoothed[60].latitudeE7, longitudeE7: smoothed[60].longitudeE7, east: truth[60].east, north: 0)
        #expect(d < 4)
    }

    @Test func aReusedSmootherGivesFreshResults() {
        let long = FilterSyntheticTrack.make(seed: 23, .init(seconds: 4_000)).fixes
        let short = FilterSyntheticTrack.make(seed: 24, .init(seconds: 1_000)).fixes
        var smoother = RTSSmoother()
        var out: [KalmanEstimate] = []
        smoother.smooth(long, into: &out)
        #expect(out == RTSSmoother.smooth(long))
        smoother.smooth(short, into: &out)
        #expect(out == RTSSmoother.smooth(short))
        smoother.smooth([], into: &out)
        #expect(out.isEmpty)
    }

    @Test func leadingSkippedFixesPassThrough() {
        let (line, _) = KalmanTrackerTests.line(count: 20)
        var fixes = [F.fix(-2, east: 50, valid: false), F.fix(-1, east: 60, valid: false)]
        fixes += line
        let smoothed = RTSSmoother.smooth(fixes)
        #expect(smoothed[0].latitudeE7 == fixes[0].latitudeE7 && smoothed[0].longitudeE7 == fixes[0].longitudeE7)
        #expect(smoothed[0].status == .skipped && smoothed[0].positionSigmaM == .infinity)
        #expect(smoothed[2].status == .started)
        let single = RTSSmoother.smooth([line[0]])
        #expect(single.count == 1 && single[0].latitudeE7 == line[0].latitudeE7)
    }

    @Test func anEarlierFixInsideASegmentTakesItsNeighboursEstimate() {
        var (fixes, _) = KalmanTrackerTests.line(count: 40, velocity: (5, 0))
        fixes.insert(F.fix(10.5, east: 400, hdop: 1), at: 21)  // earlier than fix 20 (t = 20 s)
        let smoothed = RTSSmoother.smooth(fixes, configuration: Self.positionOnly)
        #expect(smoothed[21].status == .skipped)
        #expect(smoothed[21].latitudeE7 == smoothed[20].latitudeE7)
        #expect(smoothed[21].longitudeE7 == smoothed[20].longitudeE7)
    }
}
