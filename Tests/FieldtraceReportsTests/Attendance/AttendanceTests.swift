import FieldtraceReports
import Testing

@Suite struct AttendanceTests {
    /// 2025-11-28 00:00 UTC, and minutes after it.
    static let midnight: Int64 = 1_764_288_000_000
    static func at(_ hours: Int, _ minutes: Int = 0) -> Int64 { midnight + Int64(hours * 60 + minutes) * 60_000 }
    static let day = Attendance.Window(startMs: at(0), endMs: at(24))
    static let shift = Attendance.Window(startMs: at(8), endMs: at(17))

    @Test func sitesAndTheFlagsOfAnOrdinaryDay() {
        let visits = [
            Attendance.Visit(site: "A", enterMs: Self.at(8, 3), exitMs: Self.at(12)),
            Attendance.Visit(site: "A", enterMs: Self.at(12, 40), exitMs: Self.at(16, 50)),
            Attendance.Visit(site: "shop", enterMs: Self.at(12, 10), exitMs: Self.at(12, 30)),
        ]
        let r = Attendance.report(day: Self.day, visits: visits, assignedSites: ["A"], shifts: [Self.shift])
        #expect(r.sites.map(\.site) == ["A", "shop"])
        #expect(r.sites[0].firstArrivalMs == Self.at(8, 3) && r.sites[0].lastDepartureMs == Self.at(16, 50))
        #expect(r.sites[0].visits == 2 && r.sites[0].onSiteMinutes == 237 + 250)
        #expect(r.sites[1].onSiteMinutes == 20)
        #expect(r.flags.map(\.kind) == [.leftPost, .earlyDeparture], "3 minutes late is within the grace")
        #expect(r.flags[0].timeMs == Self.at(12) && r.flags[0].amount == 40, "the shop is not the post")
        #expect(r.flags[1].amount == 10)
        #expect(r.shiftMinutes == 540 && r.onSiteInShiftMinutes == 487)
    }

    @Test func lateAbsentAndAnOpenVisit() {
        let late = Attendance.report(
            day: Self.day, visits: [Attendance.Visit(site: "A", enterMs: Self.at(8, 20), exitMs: nil)],
            assignedSites: [], shifts: [Self.shift])
        #expect(late.flags.map(\.kind) == [.lateArrival, .outsideHours] && late.flags[0].amount == 20)
        #expect(late.flags[1].timeMs == Self.at(17, 15), "still on site after the shift and its tolerance")
        #expect(late.sites[0].lastDepartureMs == nil, "still there at the end of the day")
        #expect(late.sites[0].onSiteMinutes == Double(24 * 60 - 8 * 60 - 20))
        // The same day seen at 15:00: the visit lasts until now, the shift is still running.
        let today = Attendance.report(
            day: Self.day, visits: [Attendance.Visit(site: "A", enterMs: Self.at(8, 20), exitMs: nil)],
            assignedSites: [], shifts: [Self.shift], nowMs: Self.at(15))
        #expect(today.flags.map(\.kind) == [.lateArrival])
        #expect(today.sites[0].onSiteMinutes == 400 && today.shiftMinutes == 420)
        let notYet = Attendance.report(
            day: Self.day, visits: [], assignedSites: ["A"], shifts: [Self.shift], nowMs: Self.at(8, 2))
        #expect(notYet.flags.isEmpty, "2 minutes into the shift is within the grace")
        let absent = Attendance.report(day: Self.day, visits: [], assignedSites: ["A"], shifts: [Self.shift])
        #expect(absent.flags.map(\.kind) == [.absent] && absent.flags[0].amount == 540)
        let elsewhere = Attendance.report(
            day: Self.day, visits: [Attendance.Visit(site: "B", enterMs: Self.at(8), exitMs: Self.at(17))],
            assignedSites: ["A"], shifts: [Self.shift])
        #expect(elsewhere.flags.map(\.kind) == [.absent], "a site that is not the worker's post")
    }

    @Test func nightShiftAcrossMidnight() {
        let night = Attendance.Window(startMs: Self.at(22), endMs: Self.at(30))  // 22:00 to 06:00 next day
        let visits = [Attendance.Visit(site: "depot", enterMs: Self.at(21, 58), exitMs: Self.at(30, 1))]
        let r = Attendance.report(day: Self.day, visits: visits, assignedSites: ["depot"], shifts: [night])
        #expect(r.flags.isEmpty, "\(r.flags)")
        #expect(r.onSiteInShiftMinutes == 480 && r.shiftMinutes == 480)
        #expect(r.sites[0].onSiteMinutes == 122, "counted within the day")
        #expect(r.sites[0].lastDepartureMs == nil, "the departure is on the next day")
    }

    @Test func activityOutsideHoursBeyondTheTolerance() {
        let visits = [Attendance.Visit(site: "A", enterMs: Self.at(8), exitMs: Self.at(17))]
        let movement = [
            Attendance.Window(startMs: Self.at(6), endMs: Self.at(7, 30)),  // 105 min before 07:45
            Attendance.Window(startMs: Self.at(17), endMs: Self.at(17, 10)),  // within the tolerance
            Attendance.Window(startMs: Self.at(23), endMs: Self.at(25)),  // until midnight only
        ]
        let r = Attendance.report(
            day: Self.day, visits: visits, assignedSites: ["A"], shifts: [Self.shift], movement: movement)
        #expect(r.flags.map(\.kind) == [.outsideHours, .outsideHours])
        #expect(r.flags.map(\.amount) == [90, 60])
        let dayOff = Attendance.report(
            day: Self.day, visits: [], assignedSites: ["A"], shifts: [], movement: [movement[0]])
        #expect(dayOff.flags.map(\.kind) == [.outsideHours] && dayOff.flags[0].detail.contains("without a shift"))
    }

    @Test func claimsAwayFromEverySite() {
        let claims = [
            Attendance.Claim(timeMs: Self.at(9), site: "A", distanceToNearestSiteM: 0, uncertaintyM: 10),
            Attendance.Claim(timeMs: Self.at(10), site: "A", distanceToNearestSiteM: 150, uncertaintyM: 80),
            Attendance.Claim(timeMs: Self.at(11), site: "A", distanceToNearestSiteM: 2400, uncertaintyM: 30),
            Attendance.Claim(timeMs: Self.at(12), site: "A", distanceToNearestSiteM: nil, uncertaintyM: nil),
        ]
        let visits = [Attendance.Visit(site: "A", enterMs: Self.at(8), exitMs: Self.at(17))]
        let r = Attendance.report(
            day: Self.day, visits: visits, assignedSites: ["A"], shifts: [Self.shift], claims: claims)
        #expect(r.flags.map(\.kind) == [.claimAwayFromSite] && r.flags[0].timeMs == Self.at(11))
        #expect(r.flags[0].amount == 2400)
    }
}
