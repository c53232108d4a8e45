import FieldtraceAnalytics
import FieldtraceCore
import Testing

@testable import FieldtraceStore

@Suite struct EventLogTests {
    static let device = DeviceID("w1")!

    static func event(_ kind: String, at timeMs: Int64, late: Bool = false, device: DeviceID = device) -> AnalyticsEvent
    {
        AnalyticsEvent(
            kind: EventKind(kind), device: device, timeMs: timeMs, confirmedAtMs: timeMs + 1000, subject: "site-1",
            late: late, attributes: [.init("duration_s", .int(60))])
    }

    @Test func appendsInOneBatchAndReadsByCursor() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let log = try EventLog(catalog: store.catalog)
        #expect(log.lastID == 0)
        let new = (0..<25).map { (i: Int) -> NewEvent in
            let tenant = i % 2 == 0 ? "a" : "b"
            return NewEvent(
                tenant: tenant, event: Self.event("stop.start", at: Int64(i)), detectedMs: 7, step: 2 * Int64(i))
        }
        let ids = try log.append(new)
        #expect(ids == Array(1...25) && log.lastID == 25)
        let page = try log.read(after: 10, limit: 5)
        #expect(page.map(\.id) == [11, 12, 13, 14, 15])
        #expect(page[0].payload == new[10].event.jsonLine)
        #expect(page[0].kind == EventKind("stop.start") && page[0].subject == "site-1" && page[0].confirmedMs == 1010)
        #expect(page[0].detectedMs == 7 && page[0].step == 20 && page[0].retracts == nil && !page[0].late)
        #expect(try log.read(after: 0, limit: 100, tenant: "b").map(\.id) == Array(stride(from: 2, through: 24, by: 2)))
        #expect(try log.read(after: 25, limit: 10).isEmpty)
        // A reopened log continues the ids.
        let again = try EventLog(catalog: store.catalog)
        #expect(again.lastID == 25)
    }

    @Test func standingEventsLeaveOutCorrectionsConnectivityAndWithdrawnOnes() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let log = try EventLog(catalog: store.catalog)
        let other = DeviceID("w2")!
        try log.append([
            NewEvent(tenant: "t", event: Self.event("a", at: 1), detectedMs: 0, step: 2),
            NewEvent(tenant: "t", event: Self.event("b", at: 5), detectedMs: 0, step: 10),
            NewEvent(tenant: "t", event: Self.event("device.online", at: 5), detectedMs: 0, step: nil),
            NewEvent(tenant: "t", event: Self.event("c", at: 6), detectedMs: 0, step: 12),
            NewEvent(tenant: "t", event: Self.event("d", at: 6, device: other), detectedMs: 0, step: 12),
        ])
        try log.append(
            [
                NewEvent(
                    tenant: "t", event: Self.event("correction.retract", at: 5), detectedMs: 0, step: 10, retracts: 2)
            ],
            progress: [(Self.device, 40)])
        #expect(try log.standingEvents(device: Self.device, afterStep: 2).map(\.id) == [4])
        #expect(try log.standingEvents(device: Self.device, afterStep: .min).map(\.id) == [1, 4])
        let resume = try log.resumePoint(device: Self.device)
        #expect(resume.step == 40 && resume.connectivity == EventKind("device.online"))
        try log.append([], progress: [(Self.device, 30)])  // progress never goes back
        #expect(try log.resumePoint(device: Self.device).step == 40)
        #expect(try log.resumePoint(device: other).step == 12)
        #expect(try log.resumePoint(device: DeviceID("none")!).step == nil)
    }

    @Test func waitersWakeOnAppendAndOnCancellation() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try TrackStore(directory: dir.path)
        defer { try? store.close() }
        let log = try EventLog(catalog: store.catalog)
        try log.append([NewEvent(tenant: "t", event: Self.event("a", at: 1), detectedMs: 0, step: 2)])
        #expect(await log.waitForEvents(after: 0) == 1, "already there: returns at once")
        let waiter = Task { await log.waitForEvents(after: 1) }
        try await Task.sleep(for: .milliseconds(20))
        try log.append([NewEvent(tenant: "t", event: Self.event("b", at: 2), detectedMs: 0, step: 4)])
        #expect(await waiter.value == 2)
        let cancelled = Task { await log.waitForEvents(after: 2) }
        cancelled.cancel()
        #expect(await cancelled.value == 2, "a cancelled wait returns the current id")
    }
}
