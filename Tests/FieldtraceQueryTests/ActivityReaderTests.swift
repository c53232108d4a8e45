import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Testing

@testable import FieldtraceQuery

@Suite struct ActivityReaderTests {
    static let day = Fixtures.dayStart
    static let hour: Int64 = 3_600_000

    /// An event at `hours` after the day start, confirmed a minute later (its step).
    static func event(
        _ kind: EventKind, _ hours: Double, subject: String? = nil, attributes: [EventAttribute] = [],
        device: DeviceID = Fixtures.device
    ) -> NewEvent {
        let time = day + Int64(hours * Double(hour))
        return NewEvent(
            tenant: "t",
            event: AnalyticsEvent(
                kind: kind, device: device, timeMs: time, confirmedAtMs: time + 60_000, subject: subject,
                attributes: attributes),
            detectedMs: time + 60_000, step: 2 * (time + 60_000))
    }

    static func withLog(_ events: [NewEvent], _ body: (EventLog) throws -> Void) throws {
        let dir = TemporaryDirectory("query")
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let log = try EventLog(catalog: store.catalog)
        try log.append(events)
        try body(log)
    }

    static func range(_ from: Double, _ to: Double) -> Range<Int64> {
        (day + Int64(from * Double(hour)))..<(day + Int64(to * Double(hour)))
    }

    @Test func visitsPairEnterAndExitPerFenceAndStayOpenWithoutAnExit() throws {
        try Self.withLog([
            Self.event(.geofenceEnter, -200, subject: "old"),  // beyond the 7-day look-back, never closed
            Self.event(.geofenceEnter, 1, subject: "depot"),
            Self.event(.geofenceEnter, 2, subject: "site"),
            Self.event(.geofenceExit, 3, subject: "depot", attributes: [.init("duration_s", .double(7200))]),
            Self.event(.geofenceExit, 5, subject: "site"),
            Self.event(.geofenceEnter, 9, subject: "depot"),
            Self.event(.geofenceEnter, 9, subject: "elsewhere", device: DeviceID("w2")!),
        ]) { log in
            let reader = ActivityReader(log: log)
            let visits = try reader.intervals(.visits, device: Fixtures.device, range: Self.range(0, 24))
            #expect(visits.map(\.subject) == ["depot", "site", "depot"])
            #expect(visits.map(\.startMs) == [1, 2, 9].map { Self.day + $0 * Self.hour })
            #expect(visits.map(\.endMs) == [Self.day + 3 * Self.hour, Self.day + 5 * Self.hour, nil])
            #expect(visits.map(\.isOpen) == [false, false, true])
            #expect(visits[0].startEvent?.kind == .geofenceEnter && visits[0].endEvent?.kind == .geofenceExit)
            // Overlap: the range 4 h - 6 h sees only the site visit (2 h - 5 h).
            #expect(
                try reader.intervals(.visits, device: Fixtures.device, range: Self.range(4, 6)).map(\.subject) == [
                    "site"
                ])
            // A range after the exit but before the next enter: nothing; after it: the open visit.
            #expect(try reader.intervals(.visits, device: Fixtures.device, range: Self.range(6, 8)).isEmpty)
            #expect(
                try reader.intervals(.visits, device: Fixtures.device, range: Self.range(30, 31)).map(\.isOpen) == [
                    true
                ])
        }
    }

    @Test func aClosingEventWithoutItsOpenerTakesTheStartItRecords() throws {
        try Self.withLog([
            Self.event(.stopEnd, 2, attributes: [.init("started_at", .time(Self.day - 8 * 24 * Self.hour))]),
            Self.event(.geofenceExit, 3, subject: "site", attributes: [.init("duration_s", .double(9 * 86_400))]),
            Self.event(
                .trip, 5,
                attributes: [.init("started_at", .time(Self.day + 4 * Self.hour)), .init("distance_m", .double(12.5))]),
        ]) { log in
            let reader = ActivityReader(log: log)
            let stop = try reader.intervals(.stops, device: Fixtures.device, range: Self.range(0, 24))
            #expect(stop.map(\.startMs) == [Self.day - 8 * 24 * Self.hour] && stop[0].startEvent == nil)
            let visit = try reader.intervals(.visits, device: Fixtures.device, range: Self.range(0, 24))
            #expect(visit.map(\.startMs) == [Self.day + 3 * Self.hour - 9 * 86_400_000])
            let trips = try reader.intervals(.trips, device: Fixtures.device, range: Self.range(4.5, 4.6))
            #expect(
                trips.map(\.startMs) == [Self.day + 4 * Self.hour] && trips.map(\.endMs) == [Self.day + 5 * Self.hour])
            // A trip ending after the range but starting in it is listed with its end.
            #expect(try reader.intervals(.trips, device: Fixtures.device, range: Self.range(3, 4.5)).count == 1)
            #expect(try reader.intervals(.trips, device: Fixtures.device, range: Self.range(5.5, 6)).isEmpty)
        }
    }

    @Test func withdrawnEventsAndOtherKindsAreLeftOut() throws {
        try Self.withLog([
            Self.event(.deviationStart, 1, subject: "r1"),
            Self.event(.deviationEnd, 2, subject: "r1"),
            Self.event(.deviationStart, 3, subject: "r1"),
            Self.event(.stopStart, 3),
        ]) { log in
            // Late data withdrew the second deviation.
            let withdrawn = try log.read(after: 0, limit: 10)[2]
            var retract = Self.event(EventKind("correction.retract"), 3)
            retract.retracts = withdrawn.id
            try log.append([retract])
            let reader = ActivityReader(log: log)
            let deviations = try reader.intervals(.deviations, device: Fixtures.device, range: Self.range(0, 24))
            #expect(deviations.count == 1 && deviations[0].subject == "r1" && !deviations[0].isOpen)
            #expect(
                try reader.intervals(.stops, device: Fixtures.device, range: Self.range(0, 24)).map(\.isOpen) == [true])
        }
    }

    @Test func theListIsJSONWithTheEventsAndTheirIds() throws {
        try Self.withLog([
            Self.event(
                .stopStart, 1,
                attributes: [.init("position", .position(latitudeE7: 312_300_000, longitudeE7: 1_214_700_000))]),
            Self.event(.stopEnd, 1.5, attributes: [.init("started_at", .time(Self.day + Self.hour))]),
            Self.event(.stopStart, 2),
        ]) { log in
            let intervals = try ActivityReader(log: log).intervals(
                .stops, device: Fixtures.device, range: Self.range(0, 24))
            let json = try ParseBack.json(QueryJSON.activity(intervals))
            let items = json["items"]?.arrayValue ?? []
            #expect(items.count == 2 && json["next_cursor"] == .null)
            #expect(items[0]["kind"]?.stringValue == "stop" && items[0]["duration_s"]?.doubleValue == 1800)
            #expect(items[0]["start"]?.stringValue == "2025-11-29T01:00:00.000Z" && items[0]["open"] == .bool(false))
            #expect(items[0]["start_event"]?["id"]?.doubleValue == 1 && items[0]["end_event"]?["id"]?.doubleValue == 2)
            #expect(items[0]["start_event"]?["position"]?.arrayValue?.map(\.doubleValue) == [121.47, 31.23])
            #expect(items[1]["end"] == .null && items[1]["duration_s"] == .null && items[1]["open"] == .bool(true))
            #expect(items[1]["subject"] == .null)
        }
    }

    @Test func rangesAreCheckedAgainstTheQuarterCap() {
        let ok = QueryParameters(["from": "2025-01-01T00:00:00Z", "to": "2025-04-03T00:00:00Z"])
        #expect(throws: Never.self) { try ok.range(maxMs: ActivityReader.maxRangeMs) }
        let long = QueryParameters(["from": "2025-01-01T00:00:00Z", "to": "2025-04-03T00:00:00.001Z"])
        #expect(throws: QueryError.self) { try long.range(maxMs: ActivityReader.maxRangeMs) }
    }
}
