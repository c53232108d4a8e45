import FieldtraceCore
import Testing

@testable import FieldtraceStore

@Suite struct DirectoryDeviceTests {
    @Test func registersUpdatesAndDeletesADevice() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "g", name: "G"))
        let d = try f.directory.createDevice(
            tenant: "a", NewDevice(id: "356938035643809", name: "Van 7", group: "g", kind: "vehicle"))
        #expect(d.tenant == "a" && d.registeredMs == DirectoryFixture.now && d.group == "g")
        #expect(try f.directory.device(tenant: "a", id: "356938035643809") == d)
        #expect(try f.store.catalog.devices().map(\.tenant) == ["a"], "the catalog's devices row carries the tenant")

        let renamed = try f.directory.updateDevice(
            tenant: "a", id: d.id.rawValue, DevicePatch(name: "Van 8", kind: .some(nil)))
        #expect(renamed.name == "Van 8" && renamed.kind == nil && renamed.group == "g")
        #expect(try f.directory.device(tenant: "a", id: d.id.rawValue) == renamed)

        try f.directory.deleteDevice(tenant: "a", id: d.id.rawValue)
        #expect(directoryError { try f.directory.device(tenant: "a", id: d.id.rawValue) }?.isNotFound == true)
        #expect(try f.store.catalog.devices().isEmpty)
    }

    @Test func refusesBadFieldsAndUnknownGroups() throws {
        let f = try DirectoryFixture()
        #expect(
            directoryError { try f.directory.createDevice(tenant: "a", NewDevice(id: "has space")) }?.isInvalid == true)
        #expect(directoryError { try f.directory.createDevice(tenant: "a", NewDevice(id: "")) }?.isInvalid == true)
        #expect(
            directoryError { try f.directory.createDevice(tenant: "a", NewDevice(id: "d", group: "nope")) }?.message
                == "group \"nope\" does not exist")
        #expect(
            directoryError { try f.directory.createDevice(tenant: "a", NewDevice(id: "d", kind: "")) }?.isInvalid
                == true)
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "d"))
        #expect(directoryError { try f.directory.createDevice(tenant: "a", NewDevice(id: "d")) }?.isConflict == true)
        #expect(
            directoryError { try f.directory.updateDevice(tenant: "a", id: "d", DevicePatch(group: "nope")) }?.isInvalid
                == true)
        #expect(try f.directory.device(tenant: "a", id: "d").group == nil)
    }

    @Test func aDeviceSeenOnTheWireIsListedAndCanBeRegisteredByItsTenant() throws {
        let f = try DirectoryFixture()
        let fixes = TrackStoreTests.day(3, seconds: 600)
        try f.store.append(fixes)
        try f.store.flush()  // the first segment creates the devices row (tenant "default")
        let id = fixes[0].device.rawValue
        let seen = try f.directory.device(tenant: "default", id: id)
        #expect(seen.registeredMs == nil && seen.name == nil)
        #expect(try f.directory.devices(tenant: "default").items.map(\.id.rawValue) == [id])
        #expect(directoryError { try f.directory.createDevice(tenant: "a", NewDevice(id: id)) }?.isConflict == true)
        let registered = try f.directory.createDevice(tenant: "default", NewDevice(id: id, name: "Walker"))
        #expect(registered.registeredMs != nil && registered.createdMs == seen.createdMs && registered.name == "Walker")
        // Stored tracks keep the device: deleting it is a conflict that says why.
        let error = directoryError { try f.directory.deleteDevice(tenant: "default", id: id) }
        #expect(error?.isConflict == true && error?.message.contains("track data") == true)
        #expect(try f.store.replay(device: fixes[0].device).count == fixes.count)
    }

    @Test func deletingADeviceDeletesItsAssignments() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createDevice(tenant: "a", NewDevice(id: "d"))
        _ = try f.directory.createRoute(tenant: "a", feature: DirectoryFixture.line("r"))
        _ = try f.directory.createAssignment(
            tenant: "a", route: "r", NewAssignment(device: "d", fromDate: "2026-11-29"))
        try f.directory.deleteDevice(tenant: "a", id: "d")
        #expect(try f.directory.assignments(tenant: "a", route: "r").items.isEmpty)
    }
}
