import FieldtraceCore
import Testing

@testable import FieldtraceStore

/// Tenant B never sees or changes tenant A's rows, through any operation.
@Suite struct DirectoryTenantIsolationTests {
    /// Tenant A's rows: group g, device d (in g), fence f (scoped to g), route r, assignment of r to d.
    static func tenantA(_ d: Directory) throws -> Int64 {
        _ = try d.createGroup(tenant: "a", NewGroup(id: "g", name: "A's group"))
        _ = try d.createDevice(tenant: "a", NewDevice(id: "d", name: "A's device", group: "g"))
        _ = try d.createGeofence(tenant: "a", feature: DirectoryFixture.circle("f", extra: #","group":"g""#))
        _ = try d.createRoute(tenant: "a", feature: DirectoryFixture.line("r"))
        return try d.createAssignment(tenant: "a", route: "r", NewAssignment(device: "d", fromDate: "2026-11-29")).id
    }

    /// A snapshot of everything tenant A has.
    static func snapshot(_ d: Directory) throws -> String {
        "\(try d.groups(tenant: "a").items) \(try d.devices(tenant: "a").items) \(try d.geofences(tenant: "a").items) "
            + "\(try d.routes(tenant: "a").items) \(try d.assignments(tenant: "a", route: "r").items)"
    }

    @Test func everyReadAndWriteOfAnotherTenantsIdIsNotFound() throws {
        let f = try DirectoryFixture()
        let d = f.directory
        let assignment = try Self.tenantA(d)
        let before = try Self.snapshot(d)
        let attempts: [(String, () throws -> Any)] = [
            ("group get", { try d.group(tenant: "b", id: "g") }),
            ("group update", { try d.updateGroup(tenant: "b", id: "g", GroupPatch(name: "stolen")) }),
            ("group delete", { try d.deleteGroup(tenant: "b", id: "g") }),
            ("device get", { try d.device(tenant: "b", id: "d") }),
            ("device update", { try d.updateDevice(tenant: "b", id: "d", DevicePatch(name: "stolen")) }),
            ("device delete", { try d.deleteDevice(tenant: "b", id: "d") }),
            ("fence get", { try d.geofence(tenant: "b", id: "f") }),
            ("fence update", { try d.updateGeofence(tenant: "b", id: "f", feature: DirectoryFixture.circle("f")) }),
            ("fence delete", { try d.deleteGeofence(tenant: "b", id: "f") }),
            ("route get", { try d.route(tenant: "b", id: "r") }),
            ("route update", { try d.updateRoute(tenant: "b", id: "r", feature: DirectoryFixture.line("r")) }),
            ("route delete", { try d.deleteRoute(tenant: "b", id: "r") }),
            ("assignments list", { try d.assignments(tenant: "b", route: "r") }),
            ("assignment get", { try d.assignment(tenant: "b", route: "r", id: assignment) }),
            (
                "assignment update",
                {
                    try d.updateAssignment(
                        tenant: "b", route: "r", id: assignment, AssignmentPatch(fromDate: "2026-12-01"))
                }
            ),
            ("assignment delete", { try d.deleteAssignment(tenant: "b", route: "r", id: assignment) }),
            (
                "assignment create",
                { try d.createAssignment(tenant: "b", route: "r", NewAssignment(device: "d", fromDate: "2026-11-29")) }
            ),
        ]
        for (name, attempt) in attempts {
            let error = directoryError { try attempt() }
            #expect(error?.isNotFound == true, "\(name): \(String(describing: error))")
            #expect(error?.message.contains("A's") == false, "\(name) leaks nothing")
        }
        #expect(try Self.snapshot(d) == before, "tenant A's rows are unchanged")
    }

    @Test func listsShowOnlyTheTenantsRowsAndReferencesStayInside() throws {
        let f = try DirectoryFixture()
        let d = f.directory
        _ = try Self.tenantA(d)
        #expect(try d.groups(tenant: "b").items.isEmpty && d.devices(tenant: "b").items.isEmpty)
        #expect(try d.geofences(tenant: "b").items.isEmpty && d.routes(tenant: "b").items.isEmpty)
        #expect(try d.devices(tenant: "b", group: "g").items.isEmpty)

        // B may use the same ids for its own groups, fences and routes: they are separate rows.
        _ = try d.createGroup(tenant: "b", NewGroup(id: "g", name: "B's group"))
        _ = try d.createGeofence(tenant: "b", feature: DirectoryFixture.circle("f", radius: 7))
        _ = try d.createRoute(tenant: "b", feature: DirectoryFixture.line("r", width: 9))
        #expect(
            try d.group(tenant: "a", id: "g").name == "A's group" && d.group(tenant: "b", id: "g").name == "B's group")
        #expect(try d.route(tenant: "a", id: "r").widthMeters == 50 && d.route(tenant: "b", id: "r").widthMeters == 9)
        try d.deleteGeofence(tenant: "b", id: "f")
        #expect(try d.geofence(tenant: "a", id: "f").group == "g")

        // A device id is global: B cannot register A's device, and cannot point at it.
        let taken = directoryError { try d.createDevice(tenant: "b", NewDevice(id: "d")) }
        #expect(taken?.isConflict == true && taken?.message == "device \"d\" is registered to another tenant")
        let foreign = directoryError {
            try d.createAssignment(tenant: "b", route: "r", NewAssignment(device: "d", fromDate: "2026-11-29"))
        }
        #expect(foreign?.isInvalid == true)
        #expect(try d.assignments(tenant: "b", route: "r").items.isEmpty)
        // B's device cannot join A's group (B's group "g" is another row, so use a name only A has).
        _ = try d.createGroup(tenant: "a", NewGroup(id: "only-a", name: "A's other"))
        #expect(
            directoryError { try d.createDevice(tenant: "b", NewDevice(id: "e", group: "only-a")) }?.isInvalid == true)
        #expect(
            directoryError {
                try d.createGeofence(tenant: "b", feature: DirectoryFixture.circle("h", extra: #","group":"only-a""#))
            }?.isInvalid == true)
    }
}
