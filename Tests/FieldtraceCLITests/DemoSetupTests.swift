import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import FieldtraceTestSupport
import Foundation
import Testing

@testable import FieldtraceCLI

/// `fieldtrace demo`: the world as the directory and analytics read it, `demo setup`'s
/// idempotence, the demo clock, and the reply reader.
@Suite struct DemoSetupTests {
    static let fleet = DemoFleet(seed: 1)
    /// Friday 2026-11-27 06:30 in Lyon.
    static let dayStartMs: Int64 = ISO8601.parse("2026-11-27T05:30:00Z".utf8)!

    /// The local date in Lyon `days` days before today.
    static func localDate(daysAgo days: Int64) -> String {
        let zone = try! GroupTimeZone(parsing: DemoFleet.timeZone)
        return zone.localDate(atUTCMs: Int64(Date().timeIntervalSince1970 * 1000)).adding(days: -days).description
    }

    @Test func shiftsTimeZoneFencesAndRoutesParseWithTheDirectoryAndAnalyticsReaders() throws {
        let zone = try GroupTimeZone(parsing: DemoFleet.timeZone)
        #expect(zone == .named("Europe/Paris"))
        for group in Self.fleet.groups {
            let schedule = try WeeklySchedule(json: group.shiftsJSON)
            let shift = WeeklySchedule.Shift(startMinute: group.shiftStartMinute, endMinute: group.shiftEndMinute)
            #expect(schedule.days[0..<5].allSatisfy { $0 == [shift] } && schedule.days[5...].allSatisfy(\.isEmpty))
        }
        let fences = try Geofence.readCollection(Array(Self.fleet.fencesGeoJSON.utf8))
        #expect(fences.map(\.id) == Self.fleet.sites.map(\.id))
        let routes = try PlannedRoute.readCollection(
            Array(Self.fleet.routesGeoJSON(fromMs: Self.dayStartMs, toMs: Self.dayStartMs + 86_400_000).utf8))
        #expect(routes.map(\.id) == ["route-1", "route-2", "route-3"])
        #expect(routes.map(\.device.rawValue) == [0, 4, 8].map { Self.fleet.workers[$0].deviceID })
        #expect(routes.allSatisfy { $0.widthMeters == 60 && $0.points.count > 10 })
    }

    /// An independent check of the visits: the fixes in the middle of each true stay, by the
    /// analytics' own fence geometry, are inside the site's fence.
    @Test(arguments: [0, 3, 7])
    func theFixesOfEveryStayAreInsideItsSite(_ worker: Int) throws {
        let index = GeofenceIndex(fences: try Geofence.readCollection(Array(Self.fleet.fencesGeoJSON.utf8)))
        let day = Self.fleet.day(worker: worker, dayStartMs: Self.dayStartMs)
        for visit in day.visits {
            let fence = try #require(index.position(ofID: visit.site))
            let inner = day.fixes.filter { $0.timeMs > visit.arriveMs + 60_000 && $0.timeMs < visit.departMs - 60_000 }
            let inside = inner.filter {
                index.contains(fence: fence, latitudeE7: $0.latitudeE7, longitudeE7: $0.longitudeE7)
            }
            #expect(inner.count >= 50 && Double(inside.count) >= Double(inner.count) * 0.95, "\(visit.site)")
        }
    }

    @Test func setupWritesTheWorldOnceAndChangesNothingTheSecondTime() throws {
        let data = NSTemporaryDirectory() + "fieldtrace-demo-setup-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let now = ISO8601.parse("2026-11-29T11:00:00Z".utf8)!
        let first = try DemoSetup.run(data: data, tenant: "demo", seed: 1, nowMs: now)
        #expect(
            first.written == [
                "groups": 3, "devices": 50, "geofences": 32, "routes": 3, "assignments": 3, "jobs": 6, "tokens": 1,
            ])
        #expect(first.adminToken.hasPrefix("ft_"))
        let second = try DemoSetup.run(data: data, tenant: "demo", seed: 1, nowMs: now + 3_600_000)
        #expect(second.written.isEmpty && second.kept == 98)
        #expect(second.adminToken == first.adminToken, "the same token while it is active")
        let tokens = try AccessStore(catalog: try Catalog(path: data + "/catalog.sqlite")).tokens(
            tenant: "demo", limit: 10)
        #expect(tokens.count == 1 && tokens[0].role == "admin" && tokens[0].secretHash != first.adminToken)
        let mode = try FileManager.default.attributesOfItem(atPath: data + "/demo/admin-token")[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)

        let directory = Directory(catalog: try Catalog(path: data + "/catalog.sqlite"))
        let groups = try directory.groups(tenant: "demo").items
        #expect(groups.map(\.id) == ["nurses", "repair", "sales"])
        #expect(groups.allSatisfy { $0.timeZone == .named("Europe/Paris") && $0.schedule.days[0].count == 1 })
        let devices = try directory.devices(tenant: "demo").items
        #expect(devices.count == 50 && devices.allSatisfy { $0.group != nil && $0.registeredMs != nil })
        #expect(try directory.geofences(tenant: "demo").items.count == 32)
        let worker4 = Self.fleet.workers[4]
        let assignments = try directory.assignments(tenant: "demo", route: "route-2").items
        #expect(assignments.count == 1 && assignments[0].target == .device(DeviceID(worker4.deviceID)!))
        #expect(
            assignments[0].fromDate.description == "2026-11-22" && assignments[0].toDate.description == "2026-12-06")
        #expect(try directory.groups(tenant: "other").items.isEmpty)
        // The jobs of the demo day (Friday 2026-11-27 on that Sunday), at its workers' sites.
        let jobs = try directory.jobs(tenant: "demo").items
        #expect(jobs.map(\.id) == Self.fleet.jobs.map { "demo-2026-11-27-\($0.key)" }.sorted())
        #expect(jobs.allSatisfy { $0.assignedMs > Self.dayStartMs && $0.assignedMs < Self.dayStartMs + 43_200_000 })

        // Ten days later the assignment no longer covers the week: one more is added, nothing else.
        let later = try DemoSetup.run(data: data, tenant: "demo", seed: 1, nowMs: now + 10 * 86_400_000)
        #expect(later.written == ["assignments": 3, "jobs": 6], "and the jobs of the new demo day")
        // A revoked token is replaced.
        _ = try AccessStore(catalog: try Catalog(path: data + "/catalog.sqlite")).revokeToken(
            id: tokens[0].id, tenant: "demo", atMs: now + 11 * 86_400_000)
        let renewed = try DemoSetup.run(data: data, tenant: "demo", seed: 1, nowMs: now + 12 * 86_400_000)
        #expect(renewed.written == ["tokens": 1, "jobs": 6] && renewed.adminToken != first.adminToken)
    }

    @Test func aDeviceOfAnotherTenantIsAClearError() throws {
        let data = NSTemporaryDirectory() + "fieldtrace-demo-conflict-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let directory = Directory(catalog: try Catalog(path: data + "/catalog.sqlite"))
        _ = try directory.createDevice(tenant: "acme", NewDevice(id: Self.fleet.workers[7].deviceID))
        #expect(throws: DemoSetup.SetupError.self) {
            try DemoSetup.run(data: data, tenant: "demo", seed: 1, nowMs: Self.dayStartMs)
        }
    }

    @Test func theDemoDayIsTheLatestWeekdayWhoseWindowHasStarted() throws {
        let zone = try GroupTimeZone(parsing: "Europe/Paris")
        func date(_ iso: String) -> String {
            DemoClock.demoDate(nowMs: ISO8601.parse(iso.utf8)!, zone: zone).description
        }
        #expect(date("2026-11-29T11:00:00Z") == "2026-11-27", "Sunday: Friday")
        #expect(date("2026-11-25T09:00:00Z") == "2026-11-25", "Wednesday 10:00: today")
        #expect(date("2026-11-25T05:00:00Z") == "2026-11-24", "Wednesday 06:00: yesterday")
        #expect(date("2026-11-30T04:00:00Z") == "2026-11-27", "Monday 05:00: Friday")
        #expect(date("2026-07-01T04:45:00Z") == "2026-07-01", "summer time: 06:45 local")
    }

    @Test func simulatedTimeRunsFastNeverPassesRealTimeThenGoesLive() throws {
        let zone = try GroupTimeZone(parsing: "Europe/Paris")
        // Wednesday 10:00 local: the morning (3.5 h) catches up at 40x in 5.4 minutes.
        let now = ISO8601.parse("2026-11-25T09:00:00Z".utf8)!
        let clock = DemoClock(nowMs: now, speed: 40, zone: zone)
        #expect(clock.dayStartMs == ISO8601.parse("2026-11-25T05:30:00Z".utf8)!)
        #expect(clock.simulatedMs(realMs: now) == clock.dayStartMs)
        #expect(clock.simulatedMs(realMs: now + 60_000) == clock.dayStartMs + 2_400_000)
        for r in stride(from: now, to: now + 86_400_000, by: 7_000) { #expect(clock.simulatedMs(realMs: r) <= r) }
        #expect(clock.simulatedMs(realMs: now + 600_000) == now + 600_000, "caught up: live")
        // Sunday: Friday is replayed whole in 11.5 h / 40, then the time line jumps to now.
        let sunday = ISO8601.parse("2026-11-29T11:00:00Z".utf8)!
        let replay = DemoClock(nowMs: sunday, speed: 40, zone: zone)
        let end = sunday + Int64(DemoFleet.windowSeconds) * 1000 / 40
        #expect(replay.simulatedMs(realMs: end - 1000) < replay.dayEndMs)
        #expect(replay.simulatedMs(realMs: end + 1000) == end + 1000)
        #expect(DemoClock.localClock(replay.dayStartMs, zone: zone) == "06:30")
    }

    @Test func aRerunResumesAfterTheNewestStoredFix() throws {
        let zone = try GroupTimeZone(parsing: "Europe/Paris")
        let sunday = ISO8601.parse("2026-11-29T11:00:00Z".utf8)!
        let first = DemoClock(nowMs: sunday, speed: 40, zone: zone)
        let stoppedAt = first.dayStartMs + 3 * 3_600_000
        let clock = DemoClock(nowMs: sunday, speed: 40, zone: zone, resumeMs: stoppedAt)
        #expect(clock.simulatedMs(realMs: sunday) == stoppedAt)
        #expect(clock.simulatedMs(realMs: sunday + 1000) == stoppedAt + 40_000)
        let fresh = DemoTracker(worker: Self.fleet.workers[1], fleet: Self.fleet, clock: clock)
        let resumed = DemoTracker(
            worker: Self.fleet.workers[1], fleet: Self.fleet, clock: clock, resumeAfterMs: stoppedAt)
        fresh.collect(realMs: sunday, limit: 100_000)
        resumed.collect(realMs: sunday, limit: 100_000)
        #expect(fresh.queue.first?.timeMs == first.dayStartMs && fresh.queue.last?.timeMs == stoppedAt)
        #expect(resumed.queue.isEmpty, "nothing after the stored fix is due yet")
        resumed.collect(realMs: sunday + 1000, limit: 100_000)
        #expect(resumed.queue.first.map { $0.timeMs > stoppedAt } == true)
        #expect(resumed.queue.last.map { $0.timeMs <= stoppedAt + 40_000 } == true)
        // A finished day: straight to live, parked fixes a minute apart from real time on.
        let done = DemoClock(nowMs: sunday, speed: 40, zone: zone, resumeMs: first.dayEndMs + 60_000)
        let parked = DemoTracker(
            worker: Self.fleet.workers[1], fleet: Self.fleet, clock: done, resumeAfterMs: first.dayEndMs + 60_000)
        parked.collect(realMs: sunday, limit: 100_000)
        #expect(parked.queue.count == 1 && parked.queue[0].timeMs == sunday && parked.queue[0].speedMps == 0)
    }

    @Test func replyReaderCutsAcksOfEveryProtocol() {
        var gt06 = DemoReplyReader(.gt06)
        let ack = GT06Encoder.ack(protocolNumber: 0x22, serial: 513)
        gt06.append(ack.prefix(4))
        #expect(gt06.next() == nil)
        gt06.append(ack.dropFirst(4) + GT06Encoder.ack(protocolNumber: 0x01, serial: 1))
        #expect(gt06.next() == .gt06Ack(protocolNumber: 0x22, serial: 513))
        #expect(gt06.next() == .gt06Ack(protocolNumber: 0x01, serial: 1))
        var teltonika = DemoReplyReader(.teltonika)
        teltonika.append([1, 0, 0, 0, 25])
        #expect(teltonika.next() == .teltonikaHandshake(accepted: true) && teltonika.next() == .teltonikaCount(25))
        var jt808 = DemoReplyReader(.jt808)
        let encoder = JT808Encoder(phone: "013900000001")
        jt808.append(encoder.generalReply(platformSerial: 9, replySerial: 7, replyID: 0x0704, result: 0))
        jt808.append(encoder.registrationReply(platformSerial: 10, replySerial: 1, result: 0, authCode: "K1"))
        #expect(jt808.next() == .jt808General(serial: 7, messageID: 0x0704, result: 0))
        #expect(jt808.next() == .jt808Registration(result: 0, authCode: Array("K1".utf8)))
        #expect(DemoFleetRun.grouped(31200) == "31,200" && DemoFleetRun.grouped(999) == "999")
    }
}
