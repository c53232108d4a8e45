import FieldtraceAnalytics
import Testing

@testable import FieldtraceStore

@Suite struct DirectoryGeofenceTests {
    @Test func storesAFenceAsCanonicalGeoJSONAndReadsItBack() throws {
        let f = try DirectoryFixture()
        _ = try f.directory.createGroup(tenant: "a", NewGroup(id: "g", name: "G"))
        let record = try f.directory.createGeofence(
            tenant: "a",
            feature: DirectoryFixture.circle("depot", extra: #","name":"Depot","group":"g","dwell_s":30,"color":"red""#)
        )
        #expect(record.id == "depot" && record.name == "Depot" && record.group == "g")
        let fence = try record.geofence()
        #expect(fence.id == "depot" && fence.dwellS == 30)
        #expect(fence.shape == .circle(center: GeoPosition(longitude: 13.4, latitude: 52.5), radiusM: 100))
        #expect(record.feature.hasPrefix(#"{"type":"Feature","id":"depot","geometry":{"type":"Point""#))
        #expect(record.feature.contains(#""color":"red""#) && record.feature.contains(#""group":"g""#))
        #expect(try f.directory.geofence(tenant: "a", id: "depot") == record)

        f.clock.set(DirectoryFixture.now + 1)
        let moved = try f.directory.updateGeofence(
            tenant: "a", id: "depot", feature: DirectoryFixture.circle(nil, radius: 250))
        #expect(
            try moved.geofence().shape == .circle(center: GeoPosition(longitude: 13.4, latitude: 52.5), radiusM: 250))
        #expect(
            moved.group == nil && moved.createdMs == DirectoryFixture.now && moved.updatedMs == DirectoryFixture.now + 1
        )
        try f.directory.deleteGeofence(tenant: "a", id: "depot")
        #expect(directoryError { try f.directory.geofence(tenant: "a", id: "depot") }?.isNotFound == true)
    }

    @Test func aFeatureWithoutAnIdGetsOne() throws {
        let f = try DirectoryFixture()
        let record = try f.directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle(nil))
        #expect(record.id.hasPrefix("fence_") && record.feature.contains(#""id":"\#(record.id)""#))
    }

    static let bad: [(String, String)] = [
        ("{", "not valid JSON"),
        (#"{"type":"FeatureCollection","features":[]}"#, "expected one GeoJSON Feature"),
        (#"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[13,52]},"properties":{}}"#, "radius_m"),
        (
            #"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[200,52]},"properties":{"radius_m":5}}"#,
            "out of range"
        ),
        (
            #"{"type":"Feature","id":"x","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]},"properties":{}}"#,
            "not closed"
        ),
        (#"{"type":"Feature","id":"x","geometry":null,"properties":{}}"#, "needs a geometry"),
        (
            #"{"type":"Feature","id":"x y","geometry":{"type":"Point","coordinates":[13,52]},"properties":{"radius_m":5}}"#,
            "geofence id"
        ),
        (
            #"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[13,52]},"properties":{"radius_m":5,"group":7}}"#,
            "\"group\" must be a string"
        ),
        (
            #"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[13,52]},"properties":{"radius_m":5,"group":"none"}}"#,
            "group \"none\" does not exist"
        ),
        (
            #"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[13,52]},"properties":{"radius_m":5,"active_hours":"8-5"}}"#,
            "active_hours"
        ),
    ]

    @Test(arguments: 0..<bad.count)
    func refusesAnInvalidFenceWithAClearMessage(index: Int) throws {
        let f = try DirectoryFixture()
        let (text, expected) = Self.bad[index]
        let error = directoryError { try f.directory.createGeofence(tenant: "a", feature: Array(text.utf8)) }
        #expect(error?.isInvalid == true)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.message.contains("feature 0") == false, "no collection index in a one-feature message")
        #expect(try f.directory.geofences(tenant: "a").items.isEmpty)
    }

    @Test func refusesOversizedFeaturesDuplicatesAndIdMismatches() throws {
        let f = try DirectoryFixture()
        let huge = Array(repeating: UInt8(ascii: " "), count: Directory.maxFeatureBytes + 1)
        #expect(
            directoryError { try f.directory.createGeofence(tenant: "a", feature: huge) }?.message.contains("larger")
                == true)
        _ = try f.directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle("f"))
        #expect(
            directoryError { try f.directory.createGeofence(tenant: "a", feature: DirectoryFixture.circle("f")) }?
                .isConflict == true)
        let mismatch = directoryError {
            try f.directory.updateGeofence(tenant: "a", id: "f", feature: DirectoryFixture.circle("other"))
        }
        #expect(mismatch?.isInvalid == true && mismatch?.message.contains("differs") == true)
        #expect(
            directoryError {
                try f.directory.updateGeofence(tenant: "a", id: "nope", feature: DirectoryFixture.circle(nil))
            }?.isNotFound == true)
    }
}
