import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceTestSupport
import Testing

@Suite struct TripBuilderTests {
    let device = DeviceID("w1")!

    @Test func tripsRunBetweenStopsAndTheLastOneIsClosedByTheEndOfInput() {
        var track = SyntheticTrack(seed: 1, noiseSigmaM: 1.5)
        track.move(east: 3000, north: 0, speed: 12)
        track.stay(600)
        track.move(east: 0, north: 2400, speed: 15)
        track.stay(900)
        track.move(east: -1000, north: 0, speed: 8)
        let (events, stops, trips) = TripBuilder.build(track.fixes, device: device)
        #expect(stops.count == 2)
        #expect(trips.count == 3)
        guard trips.count == 3, stops.count == 2 else { return }
        #expect(trips.map(\.endReason) == [.stop, .stop, .endOfInput])
        #expect(trips[0].startMs == 0 && trips[0].endMs == stops[0].startMs)
        #expect(trips[1].startMs == stops[0].endMs && trips[1].endMs == stops[1].startMs)
        #expect(trips[2].startMs == stops[1].endMs && trips[2].endMs == track.fixes.last!.timeMs)
        for (trip, (length, speed)) in zip(trips, [(3000.0, 12.0), (2400, 15), (1000, 8)]) {
            #expect(abs(trip.distanceMeters - length) < length * 0.05 + 30, "\(trip.distanceMeters) vs \(length)")
            #expect(abs(trip.maxSpeedMps - speed) < 1, "max \(trip.maxSpeedMps) vs \(speed)")
            #expect(trip.averageSpeedMps < speed + 0.5 && trip.averageSpeedMps > speed * 0.8)
        }
        // Each trip comes right before the stop.start that ends it, at the arrival time.
        let kinds = events.map(\.kind)
        #expect(kinds == [.trip, .stopStart, .stopEnd, .trip, .stopStart, .stopEnd, .trip])
        #expect(events[0].timeMs == events[1].timeMs)
        #expect(events[0].attribute("ended_by") == .string("stop"))
    }

    @Test func aSignalGapClosesATripAndTheNextOneStartsAfterIt() {
        var track = SyntheticTrack(seed: 2, noiseSigmaM: 1.5)
        track.move(east: 2000, north: 0, speed: 12)
        let lastBeforeGap = Int64(track.timeS - 1) * 1000
        track.gap(900)
        track.east += 5000  // reappears elsewhere, still driving
        let firstAfterGap = Int64(track.timeS) * 1000
        track.move(east: 2000, north: 0, speed: 12)
        let (_, stops, trips) = TripBuilder.build(track.fixes, device: device)
        #expect(stops.isEmpty)
        #expect(trips.map(\.endReason) == [.signalGap, .endOfInput])
        #expect(trips.first?.endMs == lastBeforeGap && trips.last?.startMs == firstAfterGap)
        #expect(trips.allSatisfy { abs($0.distanceMeters - 2000) < 60 }, "the jump across the gap is no trip distance")
    }

    @Test func aGapDuringAStopAtTheSamePlaceMakesNoTrip() {
        var track = SyntheticTrack(seed: 3, noiseSigmaM: 1.5)
        track.move(east: 2000, north: 0, speed: 12)
        track.stay(200)
        track.gap(1800)
        track.stay(200)
        track.move(east: 2000, north: 0, speed: 12)
        let (_, stops, trips) = TripBuilder.build(track.fixes, device: device)
        #expect(stops.count == 1)
        #expect(trips.count == 2)
    }

    @Test func aSpeedSpikeOrAnOutlierDoesNotMakeTheMaximumSpeed() {
        var track = SyntheticTrack(seed: 4, noiseSigmaM: 1.5)
        track.move(east: 1500, north: 0, speed: 10)
        track.outlier(distance: 200)
        track.move(east: 1500, north: 0, speed: 10)
        var trips = TripBuilder.build(track.fixes, device: device).trips
        #expect(trips.count == 1)
        #expect(abs((trips.first?.maxSpeedMps ?? 0) - 10) < 1, "positional: \(trips)")

        var reported = SyntheticTrack(seed: 4, noiseSigmaM: 1.5)
        reported.withSpeed = true
        reported.move(east: 3000, north: 0, speed: 10)
        reported.fixes[100].speedMps = 70
        trips = TripBuilder.build(reported.fixes, device: device).trips
        #expect(trips.first?.maxSpeedMps == 10, "reported: \(trips)")
    }

    @Test func streamingMatchesBatchAndIsDeterministic() {
        var track = SyntheticTrack(seed: 5, noiseSigmaM: 2)
        for _ in 0..<5 {
            track.move(east: 900, north: -400, speed: 11)
            track.stay(300 + Int(track.uniform() * 600))
        }
        let batch = TripBuilder.build(track.fixes, device: device)
        var builder = TripBuilder(device: device)
        var events: [AnalyticsEvent] = []
        for fix in track.fixes { events += builder.process(fix) }
        events += builder.finish()
        #expect(events == batch.events)
        #expect(builder.drainTrips() == batch.trips && builder.trips.isEmpty)
        #expect(batch.trips.count == 5 && batch.stops.count == 5)
    }
}
