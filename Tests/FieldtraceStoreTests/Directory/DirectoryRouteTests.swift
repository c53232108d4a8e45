import FieldtraceCore
import Testing

@testable import FieldtraceStore

@Suite struct DirectoryRouteTests {
    @Test func storesARouteAndItsAssignments() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "g", name: "G", timeZone: "+02:00"))
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "d1", group: "g"))
        let route = try f.directory.createRoute(
            tenant: "a", feature: DirectoryFixture.line("r1", extra: #","name":"Loop""#))
        #expect(route.widthMeters == 50 && route.name == "Loop")
        let planned = try route.planned(device: DeviceID("d1")!, fromMs: 10, toMs: 20)
        #expect(planned.points.count == 2 && planned.points[1].longitude == 13.45 && planned.widthMeters == 50)

        let one = try f.directory.createAssignment(
            tenant: "a", route: "r1", NewAssignment(device: "d1", fromDate: "2026-11-29"))
        #expect(one.target == .device(DeviceID("d1")!) && one.fromDate == one.toDate)
        let range = try f.directory.createAssignment(
            tenant: "a", route: "r1", NewAssignment(group: "g", fromDate: "2026-11-30", toDate: "2026-12-04"))
        #expect(range.target == .group("g") && range.toDate.daysSinceEpoch - range.fromDate.daysSinceEpoch == 4)
        #expect(try f.directory.assignment(tenant: "a", route: "r1", id: one.id) == one)
        #expect(try f.directory.assignments(tenant: "a", route: "r1").items == [one, range])

        let moved = try f.directory.updateAssignment(
            tenant: "a", route: "r1", id: one.id, AssignmentPatch(group: "g", toDate: "2026-11-30"))
        #expect(moved.target == .group("g") && moved.toDate.description == "2026-11-30")
        try f.directory.deleteAssignment(tenant: "a", route: "r1", id: one.id)
        #expect(directoryError { try f.directory.assignment(tenant: "a", route: "r1", id: one.id) }?.isNotFound == true)

        let widened = try f.directory.updateRoute(tenant: "a", id: "r1", feature: DirectoryFixture.line(nil, width: 80))
        #expect(widened.widthMeters == 80 && widened.name == nil)
        try f.directory.deleteRoute(tenant: "a", id: "r1")
        #expect(directoryError { try f.directory.route(tenant: "a", id: "r1") }?.isNotFound == true)
        #expect(directoryError { try f.directory.assignments(tenant: "a", route: "r1") }?.isNotFound == true)
        #expect(
            try f.directory.assignments(
                tenant: "a", overlapping: LocalDate(daysSinceEpoch: 0), LocalDate(daysSinceEpoch: 99_999)
            ).isEmpty,
            "assignments went with their route")
    }

    static let badRoutes: [(String, String)] = [
        (
            #"{"type":"Feature","id":"r","geometry":{"type":"Point","coordinates":[13,52]},"properties":{"width_m":5}}"#,
            "LineString"
        ),
        (
            #"{"type":"Feature","id":"r","geometry":{"type":"LineString","coordinates":[[13,52],[13.1,52]]},"properties":{}}"#,
            "width_m"
        ),
        (
            #"{"type":"Feature","id":"r","geometry":{"type":"LineString","coordinates":[[13,52]]},"properties":{"width_m":5}}"#,
            "at least 2"
        ),
        (
            #"{"type":"Feature","id":"r","geometry":{"type":"LineString","coordinates":[[13,52],[13.1,52]]},"properties":{"width_m":5,"device":"d"}}"#,
            "assignments"
        ),
        (#"{"type":"FeatureCollection","features":[]}"#, "expected one GeoJSON Feature"),
    ]

    @Test(arguments: 0..<badRoutes.count)
    func refusesAnInvalidRoute(index: Int) throws {
        let f = try DirectoryFixture()
        let (text, expected) = Self.badRoutes[index]
        let error = directoryError { try f.directory.createRoute(tenant: "a", feature: Array(text.utf8)) }
        #expect(error?.isInvalid == true && error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func refusesBadAssignments() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "d1"))
        _ = try f.directory.createRoute(tenant: "a", feature: DirectoryFixture.line("r"))
        let cases: [(NewAssignment, String)] = [
            (NewAssignment(fromDate: "2026-11-29"), "exactly one"),
            (NewAssignment(device: "d1", group: "g", fromDate: "2026-11-29"), "exactly one"),
            (NewAssignment(device: "d1", fromDate: "29.11.2026"), "from_date"),
            (NewAssignment(device: "d1", fromDate: "2026-11-29", toDate: "2026-11-28"), "before"),
            (NewAssignment(device: "d1", fromDate: "2026-01-01", toDate: "2027-01-02"), "at most 366"),
            (NewAssignment(device: "ghost", fromDate: "2026-11-29"), "does not exist"),
            (NewAssignment(group: "ghost", fromDate: "2026-11-29"), "does not exist"),
        ]
        for (input, expected) in cases {
            let error = directoryError { try f.directory.createAssignment(tenant: "a", route: "r", input) }
            #expect(error?.isInvalid == true && error?.message.contains(expected) == true, "\(input)")
        }
        #expect(
            directoryError {
                try f.directory.createAssignment(
                    tenant: "a", route: "nope", NewAssignment(device: "d1", fromDate: "2026-11-29"))
            }?.isNotFound == true)
        #expect(try f.directory.assignments(tenant: "a", route: "r").items.isEmpty)
    }
}
