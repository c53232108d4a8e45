import FieldtraceCore
import FieldtraceDelivery
import FieldtraceStore
import Foundation
import NIOCore
import Synchronization
import Testing

@Suite struct EventBroadcasterTests {
    static func settings(buffer: Int = 20_000, ring: Int = 10_000, page: Int = 1000) -> EventBroadcaster.Settings {
        var s = EventBroadcaster.Settings()
        s.subscriberBufferEvents = buffer
        s.ringEvents = ring
        s.pageEvents = page
        return s
    }

    /// Takes events from `subscription` until `count` arrived; returns their ids.
    static func take(_ count: Int, from subscription: EventSubscription) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await item in subscription {
            if case .events(let chunk) = item { ids += chunk.entries.map(\.id) }
            if ids.count >= count { break }
        }
        return ids
    }

    @Test func manySubscribersEachGetEveryEventOfTheirTenantOnce() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let broadcaster = EventBroadcaster(eventLog: data.log, settings: Self.settings(page: 7), logger: testLogger)
        try await whileRunning(broadcaster.run) {
            try await expectEventually { broadcaster.isRunning }
            let subscribers = try (0..<100).map { i in
                try broadcaster.subscribe(EventFilter(tenant: i % 2 == 0 ? "t1" : "t2"))
            }
            var t1: [Int64] = []
            var t2: [Int64] = []
            for round in 0..<10 {
                t1 += try data.append(5, tenant: "t1", device: "w\(round)")
                t2 += try data.append(3, tenant: "t2")
            }
            let (all1, all2) = (t1, t2)
            try await withThrowingTaskGroup(of: (Int, [Int64]).self) { group in
                for (i, s) in subscribers.enumerated() {
                    group.addTask { (i, try await Self.take(i % 2 == 0 ? all1.count : all2.count, from: s)) }
                }
                for try await (i, ids) in group {
                    #expect(ids == (i % 2 == 0 ? all1 : all2), "subscriber \(i)")
                }
            }
        }
    }

    @Test func framesAreSSEWithTheEventJSON() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let broadcaster = EventBroadcaster(eventLog: data.log, logger: testLogger)
        try await whileRunning(broadcaster.run) {
            try await expectEventually { broadcaster.isRunning }
            let s = try broadcaster.subscribe(EventFilter(tenant: "t1"))
            try data.append(2, detectedMs: 1_700_000_000_123)
            var frames = ""
            var got = 0
            for try await item in s {
                guard case .events(let chunk) = item else { continue }
                frames += String(buffer: chunk.sse)
                got += chunk.count
                if got == 2 { break }
            }
            let first = try #require(frames.components(separatedBy: "\n\n").first)
            let lines = first.components(separatedBy: "\n")
            #expect(lines[0] == "id: 1" && lines[1] == "event: stop.start")
            #expect(
                lines[2].hasPrefix(
                    #"data: {"id":1,"tenant":"t1","detected_at":"2023-11-14T22:13:20.123Z","kind":"stop.start","device":"w1","#
                ))
            let json = try JSONSerialization.jsonObject(with: Data(lines[2].dropFirst(6).utf8)) as? [String: Any]
            #expect(json?["subject"] as? String == "site-1" && json?["duration_s"] as? Int == 0)
            #expect(frames.hasSuffix("\n\n") && frames.components(separatedBy: "id: ").count == 3)
        }
    }

    @Test func resumesFromAnIdInTheRingAndFromTheLog() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let old = try data.append(30)  // before the broadcaster: only in the log
        let broadcaster = EventBroadcaster(
            eventLog: data.log, settings: Self.settings(ring: 20, page: 8), logger: testLogger)
        try await whileRunning(broadcaster.run) {
            try await expectEventually { broadcaster.isRunning }
            let live = try broadcaster.subscribe(EventFilter(tenant: "t1"))
            let recent = try data.append(30, tenant: "t1")
            #expect(try await Self.take(30, from: live) == recent)
            // From the log (older than the broadcaster), across pages, then live, no gap or repeat.
            let fromLog = try broadcaster.subscribe(EventFilter(tenant: "t1"), after: 11)
            let later = try data.append(5)
            #expect(try await Self.take(49 + 5, from: fromLog) == Array(old[11...]) + recent + later)
            // From an id in the ring.
            let fromRing = try broadcaster.subscribe(EventFilter(tenant: "t1"), after: recent[25])
            #expect(try await Self.take(9, from: fromRing) == Array(recent[26...]) + later)
            #expect(fromRing.lastEventID == later.last)
        }
    }

    @Test func filtersByTenantKindsAndDevices() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let broadcaster = EventBroadcaster(eventLog: data.log, logger: testLogger)
        try await whileRunning(broadcaster.run) {
            try await expectEventually { broadcaster.isRunning }
            let fences = try broadcaster.subscribe(EventFilter(tenant: "t1", kinds: ["geofence.*"]))
            let w2 = try broadcaster.subscribe(EventFilter(tenant: "t1", devices: [DeviceID("w2")!]))
            try data.append(3, tenant: "t2", kind: "geofence.enter", device: "w2")
            let enter = try data.append(2, kind: "geofence.enter", device: "w1")
            let stops = try data.append(2, kind: "stop.start", device: "w2")
            let exit = try data.append(1, kind: "geofence.exit", device: "w2")
            #expect(try await Self.take(3, from: fences) == enter + exit)
            #expect(try await Self.take(3, from: w2) == stops + exit)
        }
    }

    @Test func aSlowSubscriberIsDroppedWithAReasonAndOthersGoOn() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let broadcaster = EventBroadcaster(
            eventLog: data.log, settings: Self.settings(buffer: 50, ring: 0, page: 10), logger: testLogger)
        try await whileRunning(broadcaster.run) {
            try await expectEventually { broadcaster.isRunning }
            let slow = try broadcaster.subscribe(EventFilter(tenant: "t1"))
            let fast = try broadcaster.subscribe(EventFilter(tenant: "t1"))
            let reader = Task { try await Self.take(120, from: fast) }
            var all: [Int64] = []
            for _ in 0..<12 {
                all += try data.append(10)
                // One batch per append, and the fast reader keeps up.
                try await expectEventually { fast.lastEventID == all.last }
            }
            #expect(try await reader.value == all)
            try await expectEventually("the slow one is detached at once") { broadcaster.subscriberCount == 1 }
            // The slow one's buffer was freed; it learns why and where to resume.
            await #expect {
                for try await _ in slow {}
            } throws: { error in
                guard case .tooSlow(let buffered, let limit, let last) = error as? EventStreamError else {
                    return false
                }
                return buffered > 50 && limit == 50 && last == 0
            }
        }
    }

    @Test func withoutARunningBroadcasterStreamsReadTheLog() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        var settings = Self.settings()
        settings.keepAliveInterval = .milliseconds(20)
        let broadcaster = EventBroadcaster(eventLog: data.log, settings: settings, logger: testLogger)
        let s = try broadcaster.subscribe(EventFilter(tenant: "t1"), after: 0)
        let iterator = s.makeAsyncIterator()
        guard case .keepAlive = try await iterator.next() else {
            Issue.record("expected a keep-alive while the log is empty")
            return
        }
        let ids = try data.append(3)
        #expect(try await Self.take(3, from: s) == ids)
        #expect(broadcaster.subscriberCount == 0)
    }

    @Test func anIdleSubscriberGetsKeepAlivesAndShutdownEndsStreams() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        var settings = Self.settings()
        settings.keepAliveInterval = .milliseconds(20)
        let broadcaster = EventBroadcaster(eventLog: data.log, settings: settings, logger: testLogger)
        let ended = Mutex(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await broadcaster.run() }
            let s = try broadcaster.subscribe(EventFilter(tenant: "t1"))
            let iterator = s.makeAsyncIterator()
            guard case .keepAlive = try await iterator.next() else {
                Issue.record("expected a keep-alive")
                return
            }
            group.cancelAll()
            while let item = try await iterator.next() {
                if case .events = item { Issue.record("no events were appended") }
            }
            ended.withLock { $0 = true }
        }
        #expect(ended.withLock { $0 })
        #expect(throws: EventStreamError.shutDown) { try broadcaster.subscribe(EventFilter(tenant: "t1")) }
    }

    @Test func aDroppedSubscriptionDetaches() async throws {
        let data = try TestData()
        defer { data.directory.remove() }
        let broadcaster = EventBroadcaster(eventLog: data.log, logger: testLogger)
        try await whileRunning(broadcaster.run) {
            try await expectEventually { broadcaster.isRunning }
            var s: EventSubscription? = try broadcaster.subscribe(EventFilter(tenant: "t1"))
            #expect(broadcaster.subscriberCount == 1 && s != nil)
            s = nil
            #expect(broadcaster.subscriberCount == 0)
        }
    }
}
