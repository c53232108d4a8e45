import FieldtraceAPI
import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import HTTPTypes

extension MatrixTables {
    // MARK: tracks (helper query)
    static let trackRows: [MatrixRow] =
        [
            MatrixRow(.get, "/v1/devices/{id}/track", [.admin, .dispatcher, .analyst]) { f in
                (try f.trackURI("track", "&format=geojson"), nil)
            },
            MatrixRow(.get, "/v1/devices/{id}/position", [.admin, .dispatcher, .analyst]) { f in
                ("/v1/devices/\(try f.trackDevice())/position?at=\(APIFixture.trackStart + 15_000)", nil)
            },
            MatrixRow(.get, "/v1/positions/latest", [.admin, .dispatcher, .analyst]),
        ]
        + ["stops", "trips", "visits", "deviations"].map { kind in
            MatrixRow(.get, "/v1/devices/{id}/\(kind)", [.admin, .dispatcher, .analyst, .attendance]) { f in
                (try f.trackURI(kind), nil)
            }
        }
}

extension CrossTenantTables {
    // MARK: tracks (helper query): tenant B's admin naming tenant A's device
    static let trackRows: [CrossTenantRow] =
        [
            CrossTenantRow(method: .get, route: "/v1/devices/{id}/track") { f in (try f.trackURI("track"), nil) },
            CrossTenantRow(method: .get, route: "/v1/devices/{id}/position") { f in
                ("/v1/devices/\(try f.trackDevice())/position?at=\(APIFixture.trackStart)", nil)
            },
        ]
        + ["stops", "trips", "visits", "deviations"].map { kind in
            CrossTenantRow(method: .get, route: "/v1/devices/{id}/\(kind)") { f in (try f.trackURI(kind), nil) }
        }
}

extension APIFixture {
    /// The first fix of `trackDevice`: an hour before the fixture's clock.
    static let trackStart: Int64 = 1_767_222_000_000

    /// Registers device `trk-1` in tenant A, group `crew-a`, with a fix every 10 s for an hour
    /// from `trackStart` (the last 30 still in the WAL buffer) and a closed and an open fence
    /// visit in the event log. Once per fixture.
    @discardableResult
    func trackDevice() throws -> String {
        let id = "trk-1"
        let directory = services.directory
        if (try? directory.device(tenant: APIFixture.tenantA, id: id)) != nil { return id }
        _ = try directory.createGroup(tenant: APIFixture.tenantA, NewGroup(id: "crew-a", name: "Crew A"))
        _ = try directory.createDevice(tenant: APIFixture.tenantA, NewDevice(id: id, group: "crew-a"))
        let device = DeviceID(id)!
        let fixes = (0..<360).map { i in
            Fix(
                device: device, timeMs: Self.trackStart + Int64(i) * 10_000, latitudeE7: 525_000_000 + Int32(i) * 100,
                longitudeE7: 134_000_000, accuracyM: 5)
        }
        try store.append(Array(fixes[..<330]))
        try store.flush()
        try store.append(Array(fixes[330...]))
        func event(_ kind: EventKind, _ offsetMs: Int64) -> NewEvent {
            let time = Self.trackStart + offsetMs
            return NewEvent(
                tenant: APIFixture.tenantA,
                event: AnalyticsEvent(kind: kind, device: device, timeMs: time, confirmedAtMs: time, subject: "site-1"),
                detectedMs: time, step: 2 * time)
        }
        try services.eventLog.append([
            event(.geofenceEnter, 600_000), event(.geofenceExit, 1_200_000), event(.geofenceEnter, 3_000_000),
        ])
        return id
    }

    /// `/v1/devices/trk-1/<what>?from=…&to=…` over the track's hour (ISO times).
    func trackURI(_ what: String, _ extra: String = "") throws -> String {
        let id = try trackDevice()
        return "/v1/devices/\(id)/\(what)?from=2025-12-31T23:00:00Z&to=2026-01-01T00:00:00Z\(extra)"
    }
}
