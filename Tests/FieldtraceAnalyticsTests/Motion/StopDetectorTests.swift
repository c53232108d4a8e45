import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct StopDetectorTests {
    let device = DeviceID("w1")!

    func detect(_ track: SyntheticTrack, _ configuration: StopDetector.Configuration = .init()) -> (
        events: [AnalyticsEvent], stops: [Stop]
    ) {
        StopDetector.detect(track.fixes, device: device, configuration: configuration)
    }

    @Test func aDriveWithOneVisitGivesOneStopWithArrivalAndDepartureTimes() {
        var track = SyntheticTrack(seed: 1)
        track.move(east: 3000, north: 0, speed: 12)
        track.stay(600)
        track.move(east: 0, north: 2500, speed: 12)
        let (events, stops) = detect(track)
        #expect(stops.count == 1)
        let truth = track.stops[0]
        let stop = stops[0]
        #expect(abs(stop.startMs - Int64(truth.startS) * 1000) <= 10_000, "arrival \(stop.startMs) vs \(truth.startS)")
        #expect(abs(stop.endMs - Int64(truth.endS) * 1000) <= 10_000, "departure \(stop.endMs) vs \(truth.endS)")
        #expect(stop.endReason == .departure)
        #expect(events.map(\.kind) == [.stopStart, .stopEnd])
        #expect(events[0].timeMs == stop.startMs)
        #expect(events[0].confirmedAtMs >= stop.startMs + 120_000, "confirmed once the minimum duration passed")
        #expect(events[1].timeMs == stop.endMs)
        let p = track.plane.project(latitude: Double(stop.latitudeE7) / 1e7, longitude: Double(stop.longitudeE7) / 1e7)
        #expect(abs(p.eastM - 3000) < 3 && abs(p.northM) < 3, "centroid \(p)")
        #expect(stop.fixCount > 570 && stop.fixCount <= 601)
    }

    @Test func trafficLightPausesAreNeverStops() {
        for seed in UInt64(1)...20 {
            var track = SyntheticTrack(seed: seed)
            for leg in 0..<10 {
                track.move(east: leg % 2 == 0 ? 400 : 0, north: leg % 2 == 0 ? 0 : 400, speed: 10)
                track.stay(20 + Int(track.uniform() * 41), isStop: false)
            }
            let (_, stops) = detect(track)
            #expect(stops.isEmpty, "seed \(seed): \(stops)")
        }
    }

    @Test func walkingPausesAreNotStopsButAWalkingVisitIsOneWithGoodTimes() {
        for seed in UInt64(1)...20 {
            var track = SyntheticTrack(seed: seed)
            track.move(east: 400, north: 0, speed: 1.3)
            track.stay(60, isStop: false)
            track.move(east: 0, north: 300, speed: 1.3)
            track.stay(240)
            track.move(east: -500, north: 0, speed: 1.3)
            let (_, stops) = detect(track)
            #expect(stops.count == 1, "seed \(seed): \(stops)")
            guard let stop = stops.first else { continue }
            let truth = track.stops[0]
            #expect(abs(stop.startMs - Int64(truth.startS) * 1000) <= 20_000, "seed \(seed) arrival \(stop.startMs)")
            #expect(abs(stop.endMs - Int64(truth.endS) * 1000) <= 20_000, "seed \(seed) departure \(stop.endMs)")
        }
    }

    @Test func outliersAndMultipathBurstsDoNotSplitAStop() {
        for seed in UInt64(1)...20 {
            var track = SyntheticTrack(seed: seed, noiseSigmaM: 6)
            track.move(east: 2000, north: 0, speed: 12)
            for _ in 0..<12 {
                track.stay(100)
                track.outlier(distance: 50 + track.uniform() * 250)
                track.stay(60)
                for _ in 0..<20 { track.outlier(distance: 120) }  // a 20 s multipath burst
            }
            track.stay(100)
            track.move(east: 2000, north: 0, speed: 12)
            let (events, stops) = detect(track)
            #expect(stops.count == 1, "seed \(seed): \(stops)")
            #expect(events.filter { $0.kind == .stopStart }.count == 1)
            let first = track.stops.first!.startS
            #expect(abs((stops.first?.startMs ?? 0) - Int64(first) * 1000) <= 10_000, "seed \(seed)")
        }
    }

    @Test func aSignalGapAtTheSamePlaceDoesNotSplitAStopButAVeryLongOneEndsIt() {
        var track = SyntheticTrack(seed: 3)
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(60, isStop: false)
        track.gap(1800)  // indoors: half an hour without a fix
        track.stay(300, isStop: false)
        track.move(east: 1000, north: 0, speed: 10)
        var (_, stops) = detect(track)
        #expect(stops.count == 1)
        #expect(stops.first.map { $0.durationSeconds > 2100 } == true, "\(stops)")

        var configuration = StopDetector.Configuration()
        configuration.maxGapSeconds = 1200
        (_, stops) = detect(track, configuration)
        #expect(stops.count == 1, "the part after the gap is a stop of its own; the 60 s before is not")
        #expect(stops.first?.startMs ?? 0 >= track.fixes.first { $0.timeMs > 1_000_000 }!.timeMs)
    }

    @Test func aStopBeforeAVeryLongGapEndsWithSignalGap() {
        var track = SyntheticTrack(seed: 4)
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(600)
        track.gap(5 * 3600)
        track.stay(600)
        let (_, stops) = detect(track)
        #expect(stops.map(\.endReason) == [.signalGap, .endOfInput])
    }

    @Test func aLongStayIsReportedOnceAtArrivalPlusTheThreshold() {
        var track = SyntheticTrack(seed: 5)
        track.intervalSeconds = 10
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(3 * 3600)
        track.move(east: 1000, north: 0, speed: 10)
        let (events, stops) = detect(track)
        let long = events.filter { $0.kind == .stopLongStay }
        #expect(long.count == 1)
        #expect(long.first?.timeMs == stops.first.map { $0.startMs + 7_200_000 })
        #expect(events.map(\.kind) == [.stopStart, .stopLongStay, .stopEnd])
    }

    @Test func theEndOfInputClosesAnOpenStop() {
        var track = SyntheticTrack(seed: 6)
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(400)
        let (events, stops) = detect(track)
        #expect(stops.count == 1)
        #expect(stops.first?.endReason == .endOfInput)
        #expect(events.last?.attribute("ended_by") == .string("end_of_input"))
    }

    @Test func aShortStayAtTheEndOfInputIsNotAStop() {
        var track = SyntheticTrack(seed: 6)
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(100)
        #expect(detect(track).stops.isEmpty)
    }

    @Test func twoVisitsAFewHundredMetresApartAreTwoStops() {
        var track = SyntheticTrack(seed: 7)
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(300)
        track.move(east: 200, north: 0, speed: 1.4)
        track.stay(300)
        let (_, stops) = detect(track)
        #expect(stops.count == 2)
        #expect(stops.count == 2 && stops[0].endMs < stops[1].startMs)
    }

    @Test func sameInputGivesTheSameEventsAndStreamingMatchesBatch() {
        var track = SyntheticTrack(seed: 8, noiseSigmaM: 8)
        for _ in 0..<6 {
            track.move(east: 800, north: 300, speed: 9)
            track.stay(200 + Int(track.uniform() * 900))
        }
        let a = detect(track)
        let b = detect(track)
        #expect(a.events == b.events && a.stops == b.stops)
        var detector = StopDetector(device: device)
        var streamed: [AnalyticsEvent] = []
        for fix in track.fixes { streamed += detector.process(fix) }
        streamed += detector.finish()
        #expect(streamed == a.events)
        #expect(a.stops.count == 6)
        #expect(detector.drainStops() == a.stops && detector.stops.isEmpty)
    }

    @Test func fixesOutOfOrderOfAnotherDeviceOrFlaggedAreIgnored() {
        var track = SyntheticTrack(seed: 9)
        track.move(east: 1000, north: 0, speed: 10)
        track.stay(400)
        track.move(east: 1000, north: 0, speed: 10)
        var noisy: [Fix] = []
        for (i, fix) in track.fixes.enumerated() {
            noisy.append(fix)
            if i % 7 == 0 {
                var stale = fix
                stale.timeMs -= 5000
                stale.latitudeE7 += 50_000
                noisy.append(stale)
                var other = fix
                other.device = DeviceID("w2")!
                other.latitudeE7 += 50_000
                noisy.append(other)
                var flagged = fix
                flagged.timeMs += 1
                flagged.latitudeE7 += 50_000
                flagged.flags.insert(.outlier)
                noisy.append(flagged)
            }
        }
        #expect(detect(track).events == StopDetector.detect(noisy, device: device).events)
    }
}
