import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct OverspeedDetectorTests {
    let device = DeviceID("w1")!
    let limit50 = OverspeedDetector.Limit.constant(metersPerSecond: 50 / 3.6)

    @Test func aSustainedRunAboveTheLimitIsOneStretchWithItsTimesAndMaximum() {
        for withSpeed in [false, true] {
            var track = SyntheticTrack(seed: 1, noiseSigmaM: 1.5)
            track.withSpeed = withSpeed
            track.move(east: 1200, north: 0, speed: 12)
            let startS = track.timeS
            track.move(east: 1200, north: 0, speed: 20)
            let endS = track.timeS
            track.move(east: 1200, north: 0, speed: 12)
            let events = OverspeedDetector.detect(track.fixes, device: device, limit: limit50)
            #expect(events.map(\.kind) == [.overspeedStart, .overspeedEnd], "withSpeed \(withSpeed)")
            guard events.count == 2 else { continue }
            let slack: Int64 = withSpeed ? 2000 : 12_000
            #expect(abs(events[0].timeMs - Int64(startS) * 1000) <= slack, "start \(events[0].timeMs) vs \(startS)")
            #expect(abs(events[1].timeMs - Int64(endS) * 1000) <= slack, "end \(events[1].timeMs) vs \(endS)")
            #expect(events[0].confirmedAtMs >= events[0].timeMs + 10_000)
            if case .double(let v) = events[1].attribute("max_speed_kmh") {
                #expect(abs(v - 72) < 4, "max \(v)")
            } else {
                Issue.record("no max_speed_kmh")
            }
            #expect(events[1].attribute("limit_kmh") == .double(50))
        }
    }

    @Test func aShortBurstOrASingleBadFixIsNoOverspeed() {
        var track = SyntheticTrack(seed: 2, noiseSigmaM: 1.5)
        track.withSpeed = true
        track.move(east: 600, north: 0, speed: 12)
        track.move(east: 100, north: 0, speed: 20)  // 5 s
        track.move(east: 600, north: 0, speed: 12)
        track.fixes[20].speedMps = 60
        #expect(OverspeedDetector.detect(track.fixes, device: device, limit: limit50).isEmpty)

        var positional = SyntheticTrack(seed: 3, noiseSigmaM: 1.5)
        positional.move(east: 600, north: 0, speed: 12)
        positional.outlier(distance: 300)
        positional.move(east: 600, north: 0, speed: 12)
        #expect(OverspeedDetector.detect(positional.fixes, device: device, limit: limit50).isEmpty)
    }

    @Test func aPerFixLimitAppliesWhereItIsSetAndNowhereElse() {
        var track = SyntheticTrack(seed: 4, noiseSigmaM: 1)
        track.withSpeed = true
        track.move(east: 1200, north: 0, speed: 12)  // 43 km/h everywhere
        let plane = track.plane
        // A 30 km/h zone east of 600 m.
        let zone = OverspeedDetector.Limit.lookup { fix in
            plane.project(latitude: fix.latitude, longitude: fix.longitude).eastM > 600 ? 30 / 3.6 : nil
        }
        let events = OverspeedDetector.detect(track.fixes, device: device, limit: zone)
        #expect(events.map(\.kind) == [.overspeedStart, .overspeedEnd])
        #expect(abs((events.first?.timeMs ?? 0) - 50_000) <= 2000)
        #expect(events.last?.attribute("limit_kmh") == .double(30))
    }

    @Test func aShortDipDoesNotSplitAStretch() {
        var track = SyntheticTrack(seed: 5, noiseSigmaM: 1)
        track.withSpeed = true
        track.move(east: 600, north: 0, speed: 20)
        track.move(east: 36, north: 0, speed: 12)  // 3 s dip
        track.move(east: 600, north: 0, speed: 20)
        let events = OverspeedDetector.detect(track.fixes, device: device, limit: limit50)
        #expect(events.map(\.kind) == [.overspeedStart, .overspeedEnd])
    }
}
