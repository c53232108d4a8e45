import Testing

@testable import FieldtraceStore

@Suite struct DirectoryGroupTests {
    @Test func createsReadsUpdatesAndDeletesAGroup() throws {
        let f = try DirectoryFixture()
        let shifts = #"{"mon":[{"start":"08:00","end":"17:00"}],"fri":[{"start":"22:00","end":"06:00"}]}"#
        let created = try f.directory.createGroup(
            tenant: "a", NewGroup(id: "north", name: "North crew", timeZone: "Europe/Berlin", shifts: shifts))
        #expect(created.timeZone == .named("Europe/Berlin") && created.createdMs == DirectoryFixture.now)
        #expect(created.schedule.days[0] == [WeeklySchedule.Shift(startMinute: 480, endMinute: 1020)])
        #expect(created.schedule.days[4].first?.durationMinutes == 480, "a night shift ends the next day")
        #expect(try f.directory.group(tenant: "a", id: "north") == created)

        f.clock.set(DirectoryFixture.now + 5000)
        let updated = try f.directory.updateGroup(tenant: "a", id: "north", GroupPatch(timeZone: "+08:00"))
        #expect(updated.timeZone == .utcOffset(minutes: 480) && updated.name == "North crew")
        #expect(updated.updatedMs == DirectoryFixture.now + 5000 && updated.createdMs == DirectoryFixture.now)
        #expect(try f.directory.group(tenant: "a", id: "north").timeZone.description == "+08:00")

        try f.directory.deleteGroup(tenant: "a", id: "north")
        #expect(directoryError { try f.directory.group(tenant: "a", id: "north") }?.isNotFound == true)
        #expect(directoryError { try f.directory.deleteGroup(tenant: "a", id: "north") }?.isNotFound == true)
    }

    @Test func generatesAnIdAndRefusesADuplicate() throws {
        let f = try DirectoryFixture()
        let g = try f.directory.createGroup(tenant: "a", NewGroup(name: "Anonymous"))
        #expect(g.id.hasPrefix("grp_") && g.id.count == 20 && g.timeZone == .utcOffset(minutes: 0))
        _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "x", name: "X"))
        #expect(
            directoryError { try f.directory.createGroup(tenant: "a", NewGroup(id: "x", name: "Y")) }?.isConflict
                == true)
    }

    @Test(arguments: [
        NewGroup(id: "a b", name: "n"), NewGroup(id: "", name: "n"), NewGroup(id: "g", name: ""),
        NewGroup(id: "g", name: "line\nbreak"), NewGroup(id: "g", name: "n", timeZone: "Mars/Olympus"),
        NewGroup(id: "g", name: "n", timeZone: "+25:00"), NewGroup(id: "g", name: "n", shifts: "[]"),
        NewGroup(id: "g", name: "n", shifts: #"{"mon":[{"start":"08:00"}]}"#),
        NewGroup(id: "g", name: "n", shifts: #"{"xyz":[]}"#),
        NewGroup(id: "g", name: "n", shifts: #"{"mon":[{"start":"08:00","end":"08:00"}]}"#),
        NewGroup(id: "g", name: "n", shifts: #"{"mon":[{"start":"25:00","end":"08:00"}]}"#),
        NewGroup(id: "g", name: "n", shifts: "{not json"),
    ])
    func refusesBadInputWithAMessage(input: NewGroup) throws {
        let f = try DirectoryFixture()
        let error = directoryError { try f.directory.createGroup(tenant: "a", input) }
        #expect(error?.isInvalid == true)
        #expect(error?.message.isEmpty == false)
        #expect(try f.directory.groups(tenant: "a").items.isEmpty)
    }

    @Test func aGroupInUseCannotBeDeleted() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "g", name: "G"))
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "d1", group: "g"))
        _ = try f.directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle("f1", extra: #","group":"g""#))
        let error = directoryError { try f.directory.deleteGroup(tenant: "a", id: "g") }
        #expect(error?.isConflict == true)
        #expect(error?.message.contains("1 devices") == true && error?.message.contains("1 geofences") == true)
        _ = try f.directory.updateDevice(tenant: "a", id: "d1", DevicePatch(group: .some(nil)))
        try f.directory.deleteGeofence(tenant: "a", id: "f1")
        try f.directory.deleteGroup(tenant: "a", id: "g")
    }

    @Test func timeZonesMapLocalDatesToInstants() throws {
        let date = try #require(LocalDate(parsing: "2026-07-01"))
        #expect(date.description == "2026-07-01" && date.weekday == 2)
        let berlin = try GroupTimeZone(parsing: "Europe/Berlin")
        // Summer: UTC+2, so local midnight is 22:00 UTC the day before.
        #expect(berlin.utcMs(of: date) == date.daysSinceEpoch * 86_400_000 - 2 * 3_600_000)
        let winter = try #require(LocalDate(parsing: "2026-01-15"))
        #expect(berlin.utcMs(of: winter) == winter.daysSinceEpoch * 86_400_000 - 3_600_000)
        #expect(try GroupTimeZone(parsing: "-05:30").utcMs(of: date) == date.daysSinceEpoch * 86_400_000 + 330 * 60_000)
        #expect(berlin.localDate(atUTCMs: berlin.utcMs(of: date)) == date)
        #expect(LocalDate(parsing: "2026-02-30") == nil && LocalDate(parsing: "2026-2-3") == nil)
    }

    @Test func scheduleJSONRoundTrips() throws {
        let text = #"{"sun":[{"start":"09:00","end":"13:00"}],"mon":[{"start":"08:00","end":"24:00"}]}"#
        let schedule = try WeeklySchedule(json: text)
        #expect(schedule.json == #"{"mon":[{"start":"08:00","end":"24:00"}],"sun":[{"start":"09:00","end":"13:00"}]}"#)
        #expect(try WeeklySchedule(json: schedule.json) == schedule)
        let sunday = try #require(LocalDate(parsing: "2026-11-29"))
        #expect(schedule.shifts(on: sunday) == [WeeklySchedule.Shift(startMinute: 540, endMinute: 780)])
    }
}
