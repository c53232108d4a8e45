import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Testing

@Suite struct LongPollTests {
    @Test func returnsTheFilteredEventsAfterTheCursorAtOnce() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let a = try data.append(5, kind: "geofence.enter")
        try data.append(3, tenant: "t2", kind: "geofence.enter")
        try data.append(4, kind: "stop.start")
        let b = try data.append(2, kind: "geofence.exit")
        let filter = EventFilter(tenant: "t1", kinds: ["geofence.*"])
        let page1 = try await LongPoll.events(log: data.log, filter: filter, after: 0, limit: 3, wait: .seconds(30))
        #expect(page1.events.map(\.id) == Array(a[0..<3]) && page1.nextCursor == a[2])
        let page2 = try await LongPoll.events(
            log: data.log, filter: filter, after: page1.nextCursor, limit: 10, wait: .seconds(30))
        #expect(page2.events.map(\.id) == Array(a[3...]) + b && page2.nextCursor == b.last)
    }

    @Test func waitsForTheFirstNewEventThenAnswers() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        try data.append(2)
        let poll = Task {
            try await LongPoll.events(
                log: data.log, filter: EventFilter(tenant: "t1", devices: [DeviceID("w9")!]), after: 2, limit: 10,
                wait: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(50))
        try data.append(2, tenant: "t2", device: "w9")  // another tenant: keeps waiting
        try data.append(1, device: "w1")  // another device: keeps waiting
        let wanted = try data.append(1, device: "w9")
        let answer = try await poll.value
        #expect(answer.events.map(\.id) == wanted && answer.nextCursor == wanted[0])
    }

    @Test func answersEmptyAtTheDeadlineWithACursorOfTheTenantsOwn() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let mine = try data.append(2, kind: "stop.start")
        try data.append(3, tenant: "t2")
        let answer = try await LongPoll.events(
            log: data.log, filter: EventFilter(tenant: "t1", kinds: ["trip"]), after: 0, limit: 10,
            wait: .milliseconds(30))
        #expect(answer.events.isEmpty)
        #expect(answer.nextCursor == mine.last, "skipped its own events, never another tenant's ids")
        let none = try await LongPoll.events(
            log: data.log, filter: EventFilter(tenant: "t3"), after: 0, limit: 10, wait: .zero)
        #expect(none.events.isEmpty && none.nextCursor == 0)
    }

    @Test func aCancelledPollReturnsPromptly() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let poll = Task {
            try await LongPoll.events(
                log: data.log, filter: EventFilter(tenant: "t1"), after: 0, limit: 10, wait: .seconds(60))
        }
        try await Task.sleep(for: .milliseconds(30))
        poll.cancel()
        #expect(try await poll.value.events.isEmpty)
    }
}
