import FieldtraceAPI
import FieldtraceStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite struct DirectoryRoutesTests {
    @Test func groupsAreCreatedReadChangedListedAndDeleted() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let created = try await client.call(
                .post, "/v1/groups", as: .admin,
                body:
                    #"{"id":"north","name":"North","time_zone":"Europe/Berlin","shifts":{"mon":[{"start":"08:00","end":"17:00"}]}}"#
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["time_zone"] as? String == "Europe/Berlin")
            #expect(created.json["created_at"] as? String == "2026-01-01T00:00:00.000Z")
            let shifts = created.json["shifts"] as? [String: Any]
            #expect((shifts?["mon"] as? [[String: String]])?.first?["end"] == "17:00")

            let patched = try await client.call(
                .patch, "/v1/groups/north", as: .admin, body: #"{"time_zone":"+02:00"}"#)
            #expect(patched.json["time_zone"] as? String == "+02:00" && patched.json["name"] as? String == "North")
            let replaced = try await client.call(.put, "/v1/groups/north", as: .admin, body: #"{"name":"N"}"#)
            #expect(replaced.json["time_zone"] as? String == "+00:00", "a replacement resets what it omits")
            #expect((replaced.json["shifts"] as? [String: Any])?.isEmpty == true)

            let read = try await client.call(.get, "/v1/groups/north", as: .analyst)
            #expect(read.status == .ok && read.json["name"] as? String == "N")
            let list = try await client.call(.get, "/v1/groups", as: .attendance)
            #expect((list.json["items"] as? [[String: Any]])?.count == 1 && list.json["next_cursor"] is NSNull)

            let bad = try await client.call(
                .post, "/v1/groups", as: .admin, body: #"{"name":"x","time_zone":"Mars/Base"}"#)
            #expect(bad.status == .badRequest && bad.errorCode == "bad_request" && bad.text.contains("time_zone"))
            let unknown = try await client.call(.post, "/v1/groups", as: .admin, body: #"{"name":"x","colour":"red"}"#)
            #expect(unknown.status == .badRequest && unknown.text.contains("colour: unknown field"))
            // Fields whose schema says string or object refuse null and other types (schemathesis
            // found `"time_zone": null` accepted).
            for body in [
                #"{"name":"x","time_zone":null}"#, #"{"name":"x","shifts":null}"#, #"{"name":"x","shifts":[]}"#,
                #"{"id":null,"name":"x"}"#, #"{"name":null}"#,
            ] {
                let refused = try await client.call(.post, "/v1/groups", as: .admin, body: body)
                #expect(refused.status == .badRequest && refused.errorCode == "bad_request", "\(body): \(refused.text)")
                for method in [HTTPRequest.Method.put, .patch] {
                    let changed = try await client.call(method, "/v1/groups/north", as: .admin, body: body)
                    #expect(changed.status == .badRequest, "\(method) \(body): \(changed.text)")
                }
            }
            let duplicate = try await client.call(.post, "/v1/groups", as: .admin, body: #"{"id":"north","name":"x"}"#)
            #expect(duplicate.status == .conflict && duplicate.errorCode == "conflict")

            let deleted = try await client.call(.delete, "/v1/groups/north", as: .admin)
            #expect(deleted.status == .noContent)
            let gone = try await client.call(.get, "/v1/groups/north", as: .admin)
            #expect(gone.status == .notFound && gone.errorCode == "not_found")
        }
    }

    @Test func devicesPatchClearsWithNullAndPutReplaces() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            _ = try await client.call(.post, "/v1/groups", as: .admin, body: #"{"id":"g","name":"G"}"#)
            let created = try await client.call(
                .post, "/v1/devices", as: .admin,
                body: #"{"id":"356938035643809","name":"Van","group":"g","kind":"vehicle"}"#)
            #expect(created.status == .created && created.json["registered"] as? Bool == true, "\(created.text)")
            let patched = try await client.call(
                .patch, "/v1/devices/356938035643809", as: .admin, body: #"{"kind":null}"#)
            #expect(patched.json["kind"] is NSNull && patched.json["group"] as? String == "g")
            let replaced = try await client.call(
                .put, "/v1/devices/356938035643809", as: .admin, body: #"{"name":"V2"}"#)
            #expect(replaced.json["group"] is NSNull && replaced.json["name"] as? String == "V2")
            let filtered = try await client.call(.get, "/v1/devices?group=g", as: .dispatcher)
            #expect((filtered.json["items"] as? [Any])?.isEmpty == true)
            let badGroup = try await client.call(
                .patch, "/v1/devices/356938035643809", as: .admin, body: #"{"group":"nope"}"#)
            #expect(badGroup.status == .badRequest && badGroup.text.contains("does not exist"))
            let mismatch = try await client.call(
                .put, "/v1/devices/356938035643809", as: .admin, body: #"{"id":"other"}"#)
            #expect(mismatch.status == .badRequest)
            let nullID = try await client.call(
                .put, "/v1/devices/356938035643809", as: .admin, body: #"{"id":null,"name":"V3"}"#)
            #expect(nullID.status == .badRequest && nullID.text.contains("id: expected a string"), "\(nullID.text)")
            let nullNames = try await client.call(
                .post, "/v1/devices", as: .admin, body: #"{"id":"356938035643810","name":null,"kind":null}"#)
            #expect(nullNames.status == .created && nullNames.json["name"] is NSNull, "\(nullNames.text)")

            // Device ids are global: tenant B cannot register A's device, and learns nothing else.
            let taken = try await client.call(
                .post, "/v1/devices", as: .admin, tenant: APIFixture.tenantB, body: #"{"id":"356938035643809"}"#)
            #expect(taken.status == .conflict && !taken.text.contains("V2") && !taken.text.contains(APIFixture.tenantA))
        }
    }

    @Test func geofencesAreGeoJSONInAndOut() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let feature =
                #"{"type":"Feature","id":"depot","geometry":{"type":"Point","coordinates":[13.4,52.5]},"properties":{"name":"Depot","radius_m":80}}"#
            let created = try await client.call(.post, "/v1/geofences", as: .admin, body: feature)
            #expect(created.status == .created && created.headers[.contentType] == "application/geo+json")
            #expect(created.json["id"] as? String == "depot" && created.json["type"] as? String == "Feature")
            let read = try await client.call(.get, "/v1/geofences/depot", as: .attendance)
            #expect(read.text == created.text)
            #expect((read.json["properties"] as? [String: Any])?["radius_m"] as? Double == 80)

            let items = try await client.call(.get, "/v1/geofences", as: .analyst)
            #expect((items.json["items"] as? [[String: Any]])?.first?["id"] as? String == "depot")
            let collection = try await client.call(.get, "/v1/geofences?format=geojson", as: .analyst)
            #expect(
                collection.json["type"] as? String == "FeatureCollection" && collection.json["next_cursor"] is NSNull)
            #expect((collection.json["features"] as? [[String: Any]])?.count == 1)
            let badFormat = try await client.call(.get, "/v1/geofences?format=kml", as: .analyst)
            #expect(badFormat.status == .badRequest)

            let invalid = try await client.call(
                .post, "/v1/geofences", as: .admin,
                body: #"{"type":"Feature","geometry":{"type":"Point","coordinates":[13.4,52.5]},"properties":{}}"#)
            #expect(invalid.status == .badRequest && invalid.text.contains("radius_m"), "\(invalid.text)")
            let collectionIn = try await client.call(
                .post, "/v1/geofences", as: .admin, body: #"{"type":"FeatureCollection","features":[]}"#)
            #expect(collectionIn.status == .badRequest && collectionIn.text.contains("one GeoJSON Feature"))

            let moved = try await client.call(
                .put, "/v1/geofences/depot", as: .admin,
                body:
                    #"{"type":"Feature","geometry":{"type":"Point","coordinates":[13.5,52.5]},"properties":{"radius_m":90}}"#
            )
            #expect(moved.status == .ok && moved.json["id"] as? String == "depot")
            #expect(try await client.call(.delete, "/v1/geofences/depot", as: .admin).status == .noContent)
            #expect(try await client.call(.get, "/v1/geofences/depot", as: .admin).status == .notFound)
        }
    }

    @Test func listsPageWithOpaqueCursors() async throws {
        let fixture = try APIFixture()
        for i in 0..<5 {
            _ = try fixture.services.directory.createRoute(
                tenant: APIFixture.tenantA,
                feature: Array(
                    #"{"type":"Feature","id":"r\#(i)","geometry":{"type":"LineString","coordinates":[[13.4,52.5],[13.5,52.5]]},"properties":{"width_m":40}}"#
                        .utf8))
        }
        try await fixture.test { client in
            var ids: [String] = []
            var uri = "/v1/routes?limit=2"
            var pages = 0
            while pages < 10 {
                let page = try await client.call(.get, uri, as: .dispatcher)
                pages += 1
                ids += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                guard let next = page.json["next_cursor"] as? String else { break }
                uri = "/v1/routes?limit=2&cursor=\(next)"
            }
            #expect(ids == ["r0", "r1", "r2", "r3", "r4"] && pages == 3)
            let geo = try await client.call(.get, "/v1/routes?limit=2&format=geojson", as: .dispatcher)
            #expect((geo.json["features"] as? [Any])?.count == 2 && geo.json["next_cursor"] is String)
            #expect(try await client.call(.get, "/v1/routes?limit=0", as: .admin).status == .badRequest)
            #expect(try await client.call(.get, "/v1/routes?cursor=@@", as: .admin).status == .badRequest)
        }
    }

    @Test func routesAreAssignedByDispatchers() async throws {
        let fixture = try APIFixture()
        try await fixture.test { client in
            let line =
                #"{"type":"Feature","id":"loop","geometry":{"type":"LineString","coordinates":[[13.4,52.5],[13.5,52.5]]},"properties":{"width_m":40}}"#
            #expect(try await client.call(.post, "/v1/routes", as: .admin, body: line).status == .created)
            _ = try await client.call(.post, "/v1/devices", as: .admin, body: #"{"id":"w1"}"#)
            let assigned = try await client.call(
                .post, "/v1/routes/loop/assignments", as: .dispatcher,
                body: #"{"device":"w1","from_date":"2026-01-05","to_date":"2026-01-09"}"#)
            #expect(assigned.status == .created, "\(assigned.text)")
            let id = try #require(assigned.json["id"] as? Int)
            #expect(assigned.json["route"] as? String == "loop" && assigned.json["group"] is NSNull)
            let moved = try await client.call(
                .patch, "/v1/routes/loop/assignments/\(id)", as: .dispatcher, body: #"{"to_date":"2026-01-06"}"#)
            #expect(
                moved.json["to_date"] as? String == "2026-01-06" && moved.json["from_date"] as? String == "2026-01-05")
            let list = try await client.call(.get, "/v1/routes/loop/assignments", as: .analyst)
            #expect((list.json["items"] as? [[String: Any]])?.count == 1)
            let backwards = try await client.call(
                .put, "/v1/routes/loop/assignments/\(id)", as: .dispatcher,
                body: #"{"device":"w1","from_date":"2026-01-06","to_date":"2026-01-01"}"#)
            #expect(backwards.status == .badRequest && backwards.text.contains("before"))
            #expect(try await client.call(.get, "/v1/routes/loop/assignments/abc", as: .admin).status == .notFound)
            let deleted = try await client.call(.delete, "/v1/routes/loop/assignments/\(id)", as: .dispatcher)
            #expect(deleted.status == .noContent)
            #expect(try await client.call(.get, "/v1/routes/loop/assignments/\(id)", as: .admin).status == .notFound)
            // Routes themselves are admin's.
            #expect(try await client.call(.delete, "/v1/routes/loop", as: .dispatcher).status == .forbidden)
        }
    }

    @Test func aGroupScopedTokenSeesItsGroupAndAssignsOnlyWithinIt() async throws {
        let fixture = try APIFixture()
        let d = fixture.services.directory
        let a = APIFixture.tenantA
        _ = try d.createGroup(tenant: a, NewGroup(id: "north", name: "N"))
        _ = try d.createGroup(tenant: a, NewGroup(id: "south", name: "S"))
        _ = try d.createDevice(tenant: a, NewDevice(id: "n1", group: "north"))
        _ = try d.createDevice(tenant: a, NewDevice(id: "s1", group: "south"))
        _ = try d.createGeofence(
            tenant: a,
            feature: Array(
                #"{"type":"Feature","id":"south-site","geometry":{"type":"Point","coordinates":[13.4,52.5]},"properties":{"radius_m":80,"group":"south"}}"#
                    .utf8))
        _ = try d.createRoute(
            tenant: a,
            feature: Array(
                #"{"type":"Feature","id":"r","geometry":{"type":"LineString","coordinates":[[13.4,52.5],[13.5,52.5]]},"properties":{"width_m":40}}"#
                    .utf8))
        let (_, secret) = try TokenIssuer.issue(
            access: fixture.services.access, tenant: a, role: .dispatcher, group: "north", nowMs: fixture.clock.now)
        try await fixture.test { client in
            let devices = try await client.call(.get, "/v1/devices", secret: secret)
            #expect((devices.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["n1"])
            #expect(try await client.call(.get, "/v1/devices/s1", secret: secret).status == .notFound)
            #expect(try await client.call(.get, "/v1/groups/south", secret: secret).status == .notFound)
            #expect(try await client.call(.get, "/v1/geofences/south-site", secret: secret).status == .notFound)
            let groups = try await client.call(.get, "/v1/groups", secret: secret)
            #expect((groups.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["north"])
            let outside = try await client.call(
                .post, "/v1/routes/r/assignments", secret: secret, body: #"{"device":"s1","from_date":"2026-01-02"}"#)
            #expect(outside.status == .badRequest)
            let inside = try await client.call(
                .post, "/v1/routes/r/assignments", secret: secret, body: #"{"group":"north","from_date":"2026-01-02"}"#)
            #expect(inside.status == .created)
        }
    }

    @Test func everyChangeThroughTheAPIReachesTheDirectorysObservers() async throws {
        let fixture = try APIFixture()
        let heard = Mutex<[String]>([])
        fixture.services.directory.observeChanges { tenant in heard.withLock { $0.append(tenant) } }
        try await fixture.test { client in
            _ = try await client.call(.post, "/v1/groups", as: .admin, body: #"{"id":"g","name":"G"}"#)
            _ = try await client.call(
                .post, "/v1/geofences", as: .admin, tenant: APIFixture.tenantB, body: APIFixture.circle)
            _ = try await client.call(.get, "/v1/groups", as: .admin)
        }
        #expect(heard.withLock { $0 } == [APIFixture.tenantA, APIFixture.tenantB], "writes notify, reads do not")
    }
}
