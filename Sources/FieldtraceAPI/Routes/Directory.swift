import FieldtraceAnalytics
import FieldtraceCore
import FieldtraceStore
import Hummingbird

/// `/v1/groups`, `/v1/devices`, `/v1/geofences`, `/v1/routes` and `/v1/routes/{id}/assignments`:
/// the tenant's directory (`FieldtraceStore.Directory`). Reads need `directory.read`, changes
/// `directory.write`, assignments `assignments.write`. Geofences and routes are GeoJSON Features
/// in and out; lists are `{"items", "next_cursor"}`, or a FeatureCollection with `?format=geojson`.
///
/// A token scoped to a group sees that group, its devices and the fences of no group or of it;
/// it may not change groups, devices, fences or routes, and may assign routes only within its group.
public func addDirectoryRoutes(to group: RouterGroup<APIRequestContext>, services: APIServices) {
    let directory = services.directory
    addGroupRoutes(to: group, directory: directory)
    addDeviceRoutes(to: group, directory: directory)
    addFeatureRoutes(to: group, directory: directory)
    addAssignmentRoutes(to: group, directory: directory)
}

// MARK: Groups

func addGroupRoutes(to group: RouterGroup<APIRequestContext>, directory: Directory) {
    group.get("groups", permission: .directoryRead) { request, _, identity in
        let page = try PageRequest(request)
        if let scope = identity.groupScope {
            // One group at most: the scope's.
            let own = page.after == nil ? try? directory.group(tenant: identity.tenant, id: scope) : nil
            return try DirectoryJSON.page(own.map { [DirectoryJSON.group($0)] } ?? [], nextAfter: nil)
        }
        let result = try mapped { try directory.groups(tenant: identity.tenant, page: page.store) }
        return try DirectoryJSON.page(result.items.map(DirectoryJSON.group), nextAfter: result.nextAfter)
    }
    group.get("groups/{id}", permission: .directoryRead) { _, context, identity in
        let id = try context.parameters.require("id")
        try DirectoryScope.checkGroup(id, identity)
        return DirectoryJSON.response(
            DirectoryJSON.group(try mapped { try directory.group(tenant: identity.tenant, id: id) }))
    }
    group.post("groups", permission: .directoryWrite) { request, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let body = try await JSONObjectBody(request, context: context, allowed: ["id", "name", "time_zone", "shifts"])
        let new = NewGroup(
            id: try body.string("id"), name: try body.requiredString("name"),
            timeZone: try body.string("time_zone") ?? "UTC", shifts: try body.object("shifts") ?? "{}")
        let created = try mapped { try directory.createGroup(tenant: identity.tenant, new) }
        return DirectoryJSON.response(DirectoryJSON.group(created), status: .created)
    }
    for method in [HTTPRequest.Method.put, .patch] {
        group.on("groups/{id}", method: method, permission: .directoryWrite) { request, context, identity in
            try DirectoryScope.refuseWrites(identity)
            let id = try context.parameters.require("id")
            let body = try await JSONObjectBody(
                request, context: context, allowed: ["id", "name", "time_zone", "shifts"])
            try body.checkID(id)
            var patch = GroupPatch(
                name: try body.string("name"), timeZone: try body.string("time_zone"), shifts: try body.object("shifts")
            )
            if method == .put {  // a replacement: what is absent takes its default
                guard patch.name != nil else { throw APIError.badRequest("name: required") }
                patch.timeZone = patch.timeZone ?? "UTC"
                patch.shifts = patch.shifts ?? "{}"
            }
            let updated = try mapped { try directory.updateGroup(tenant: identity.tenant, id: id, patch) }
            return DirectoryJSON.response(DirectoryJSON.group(updated))
        }
    }
    group.delete("groups/{id}", permission: .directoryWrite) { _, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let id = try context.parameters.require("id")
        try mapped { try directory.deleteGroup(tenant: identity.tenant, id: id) }
        return Response(status: .noContent)
    }
}

// MARK: Devices

func addDeviceRoutes(to group: RouterGroup<APIRequestContext>, directory: Directory) {
    group.get("devices", permission: .directoryRead) { request, _, identity in
        let page = try PageRequest(request)
        var filter = request.uri.queryParameters["group"].map(String.init)
        if let scope = identity.groupScope {
            if let filter, filter != scope { return try DirectoryJSON.page([], nextAfter: nil) }
            filter = scope
        }
        let result = try mapped { try directory.devices(tenant: identity.tenant, group: filter, page: page.store) }
        return try DirectoryJSON.page(result.items.map(DirectoryJSON.device), nextAfter: result.nextAfter)
    }
    group.get("devices/{id}", permission: .directoryRead) { _, context, identity in
        let id = try context.parameters.require("id")
        let device = try mapped { try directory.device(tenant: identity.tenant, id: id) }
        try DirectoryScope.checkDevice(device, identity)
        return DirectoryJSON.response(DirectoryJSON.device(device))
    }
    group.post("devices", permission: .directoryWrite) { request, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let body = try await JSONObjectBody(request, context: context, allowed: ["id", "name", "group", "kind"])
        let new = NewDevice(
            id: try body.requiredString("id"), name: try body.optionalString("name"),
            group: try body.optionalString("group"), kind: try body.optionalString("kind"))
        let created = try mapped { try directory.createDevice(tenant: identity.tenant, new) }
        return DirectoryJSON.response(DirectoryJSON.device(created), status: .created)
    }
    for method in [HTTPRequest.Method.put, .patch] {
        group.on("devices/{id}", method: method, permission: .directoryWrite) { request, context, identity in
            try DirectoryScope.refuseWrites(identity)
            let id = try context.parameters.require("id")
            let body = try await JSONObjectBody(request, context: context, allowed: ["id", "name", "group", "kind"])
            try body.checkID(id)
            let patch: DevicePatch
            if method == .put {  // a replacement: absent fields are cleared
                patch = DevicePatch(
                    name: .some(try body.optionalString("name")), group: .some(try body.optionalString("group")),
                    kind: .some(try body.optionalString("kind")))
            } else {
                patch = DevicePatch(
                    name: try body.nullableString("name"), group: try body.nullableString("group"),
                    kind: try body.nullableString("kind"))
            }
            let updated = try mapped { try directory.updateDevice(tenant: identity.tenant, id: id, patch) }
            return DirectoryJSON.response(DirectoryJSON.device(updated))
        }
    }
    group.delete("devices/{id}", permission: .directoryWrite) { _, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let id = try context.parameters.require("id")
        try mapped { try directory.deleteDevice(tenant: identity.tenant, id: id) }
        return Response(status: .noContent)
    }
}

// MARK: Geofences and routes

func addFeatureRoutes(to group: RouterGroup<APIRequestContext>, directory: Directory) {
    group.get("geofences", permission: .directoryRead) { request, _, identity in
        let page = try PageRequest(request)
        let geojson = try DirectoryJSON.wantsGeoJSON(request)
        let result = try mapped { try directory.geofences(tenant: identity.tenant, page: page.store) }
        let visible = result.items.filter { DirectoryScope.sees(fenceGroup: $0.group, identity) }
        return DirectoryJSON.features(visible.map(\.feature), nextAfter: result.nextAfter, geojson: geojson)
    }
    group.get("geofences/{id}", permission: .directoryRead) { _, context, identity in
        let id = try context.parameters.require("id")
        let fence = try mapped { try directory.geofence(tenant: identity.tenant, id: id) }
        guard DirectoryScope.sees(fenceGroup: fence.group, identity) else {
            throw APIError.notFound("geofence \"\(id.prefix(64))\"")
        }
        return DirectoryJSON.feature(fence.feature)
    }
    group.post("geofences", permission: .directoryWrite) { request, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let bytes = try await DirectoryJSON.bodyBytes(request, context: context)
        let fence = try mapped { try directory.createGeofence(tenant: identity.tenant, feature: bytes) }
        return DirectoryJSON.feature(fence.feature, status: .created)
    }
    for method in [HTTPRequest.Method.put, .patch] {
        group.on("geofences/{id}", method: method, permission: .directoryWrite) { request, context, identity in
            try DirectoryScope.refuseWrites(identity)
            let id = try context.parameters.require("id")
            let bytes = try await DirectoryJSON.bodyBytes(request, context: context)
            let fence = try mapped { try directory.updateGeofence(tenant: identity.tenant, id: id, feature: bytes) }
            return DirectoryJSON.feature(fence.feature)
        }
    }
    group.delete("geofences/{id}", permission: .directoryWrite) { _, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let id = try context.parameters.require("id")
        try mapped { try directory.deleteGeofence(tenant: identity.tenant, id: id) }
        return Response(status: .noContent)
    }

    group.get("routes", permission: .directoryRead) { request, _, identity in
        let page = try PageRequest(request)
        let geojson = try DirectoryJSON.wantsGeoJSON(request)
        let result = try mapped { try directory.routes(tenant: identity.tenant, page: page.store) }
        return DirectoryJSON.features(result.items.map(\.feature), nextAfter: result.nextAfter, geojson: geojson)
    }
    group.get("routes/{id}", permission: .directoryRead) { _, context, identity in
        let id = try context.parameters.require("id")
        return DirectoryJSON.feature(try mapped { try directory.route(tenant: identity.tenant, id: id) }.feature)
    }
    group.post("routes", permission: .directoryWrite) { request, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let bytes = try await DirectoryJSON.bodyBytes(request, context: context)
        let route = try mapped { try directory.createRoute(tenant: identity.tenant, feature: bytes) }
        return DirectoryJSON.feature(route.feature, status: .created)
    }
    for method in [HTTPRequest.Method.put, .patch] {
        group.on("routes/{id}", method: method, permission: .directoryWrite) { request, context, identity in
            try DirectoryScope.refuseWrites(identity)
            let id = try context.parameters.require("id")
            let bytes = try await DirectoryJSON.bodyBytes(request, context: context)
            let route = try mapped { try directory.updateRoute(tenant: identity.tenant, id: id, feature: bytes) }
            return DirectoryJSON.feature(route.feature)
        }
    }
    group.delete("routes/{id}", permission: .directoryWrite) { _, context, identity in
        try DirectoryScope.refuseWrites(identity)
        let id = try context.parameters.require("id")
        try mapped { try directory.deleteRoute(tenant: identity.tenant, id: id) }
        return Response(status: .noContent)
    }
}

// MARK: Assignments

func addAssignmentRoutes(to group: RouterGroup<APIRequestContext>, directory: Directory) {
    let fields: Set<String> = ["device", "group", "from_date", "to_date"]
    group.get("routes/{id}/assignments", permission: .directoryRead) { request, context, identity in
        let route = try context.parameters.require("id")
        let page = try PageRequest(request)
        let result = try mapped { try directory.assignments(tenant: identity.tenant, route: route, page: page.store) }
        let visible = try result.items.filter { try DirectoryScope.sees(assignment: $0, identity, directory) }
        return try DirectoryJSON.page(visible.map(DirectoryJSON.assignment), nextAfter: result.nextAfter)
    }
    group.get("routes/{id}/assignments/{assignment}", permission: .directoryRead) { _, context, identity in
        let route = try context.parameters.require("id")
        let id = try DirectoryJSON.assignmentID(context)
        let a = try mapped { try directory.assignment(tenant: identity.tenant, route: route, id: id) }
        guard try DirectoryScope.sees(assignment: a, identity, directory) else {
            throw APIError.notFound("assignment \(id)")
        }
        return DirectoryJSON.response(DirectoryJSON.assignment(a))
    }
    group.post("routes/{id}/assignments", permission: .assignmentsWrite) { request, context, identity in
        let route = try context.parameters.require("id")
        let body = try await JSONObjectBody(request, context: context, allowed: fields)
        let new = NewAssignment(
            device: try body.string("device"), group: try body.string("group"),
            fromDate: try body.requiredString("from_date"), toDate: try body.string("to_date"))
        try DirectoryScope.checkTarget(device: new.device, group: new.group, identity, directory)
        let created = try mapped { try directory.createAssignment(tenant: identity.tenant, route: route, new) }
        return DirectoryJSON.response(DirectoryJSON.assignment(created), status: .created)
    }
    for method in [HTTPRequest.Method.put, .patch] {
        group.on("routes/{id}/assignments/{assignment}", method: method, permission: .assignmentsWrite) {
            request, context, identity in
            let route = try context.parameters.require("id")
            let id = try DirectoryJSON.assignmentID(context)
            let body = try await JSONObjectBody(request, context: context, allowed: fields)
            var patch = AssignmentPatch(
                device: try body.string("device"), group: try body.string("group"),
                fromDate: try body.string("from_date"), toDate: try body.string("to_date"))
            if method == .put {
                guard let from = patch.fromDate else { throw APIError.badRequest("from_date: required") }
                guard patch.device != nil || patch.group != nil else {
                    throw APIError.badRequest("device or group: one is required")
                }
                patch.toDate = patch.toDate ?? from
            }
            let current = try mapped { try directory.assignment(tenant: identity.tenant, route: route, id: id) }
            guard try DirectoryScope.sees(assignment: current, identity, directory) else {
                throw APIError.notFound("assignment \(id)")
            }
            if patch.device != nil || patch.group != nil {
                try DirectoryScope.checkTarget(device: patch.device, group: patch.group, identity, directory)
            }
            let updated = try mapped {
                try directory.updateAssignment(tenant: identity.tenant, route: route, id: id, patch)
            }
            return DirectoryJSON.response(DirectoryJSON.assignment(updated))
        }
    }
    group.delete("routes/{id}/assignments/{assignment}", permission: .assignmentsWrite) { _, context, identity in
        let route = try context.parameters.require("id")
        let id = try DirectoryJSON.assignmentID(context)
        let current = try mapped { try directory.assignment(tenant: identity.tenant, route: route, id: id) }
        guard try DirectoryScope.sees(assignment: current, identity, directory) else {
            throw APIError.notFound("assignment \(id)")
        }
        try mapped { try directory.deleteAssignment(tenant: identity.tenant, route: route, id: id) }
        return Response(status: .noContent)
    }
}

/// Runs a directory call, answering its `DirectoryError` as 404, 409 or 400.
func mapped<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DirectoryError {
        switch error {
        case .notFound(let m): throw APIError.notFound(m)
        case .conflict(let m): throw APIError.conflict(m)
        case .invalid(let m): throw APIError.badRequest(m)
        }
    }
}

extension PageRequest {
    /// The directory's page for this request (the API's cursor carries the directory's key).
    var store: FieldtraceStore.PageRequest { FieldtraceStore.PageRequest(limit: limit, after: after) }
}
