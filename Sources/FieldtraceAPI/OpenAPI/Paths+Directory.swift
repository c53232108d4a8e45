extension OpenAPIDocument {
    // MARK: directory (helper directory): groups, devices, geofences, routes, assignments
    // Schemas are one-line flow mappings, interpolated where used (components belong to helper api).

    static let shiftList =
        #"{type: array, maxItems: 8, items: {type: object, required: [start, end], additionalProperties: false, properties: {start: {type: string, pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$"}, end: {type: string, pattern: "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"}}}}"#
    static var shiftsSchema: String {
        #"{type: object, additionalProperties: false, description: "Weekly shifts in the group's local time; an end not after its start is the next day.", properties: {"#
            + ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { "\($0): \(shiftList)" }.joined(separator: ", ")
            + "}}"
    }
    static let directoryID = #"{type: string, pattern: "^[A-Za-z0-9._~:@-]{1,64}$"}"#
    static let deviceIDSchema = #"{type: string, pattern: "^[!-~]{1,64}$"}"#
    static let nullableName = #"{type: [string, "null"], minLength: 1, maxLength: 200}"#
    static let timeZone =
        #"{type: string, description: "IANA time zone (Europe/Berlin) or UTC offset (+08:00, -05:30, Z, UTC)"}"#
    static var groupSchema: String {
        #"{type: object, required: [id, name, time_zone, shifts, created_at, updated_at], properties: {id: {type: string}, name: {type: string}, time_zone: {type: string}, shifts: \#(shiftsSchema), created_at: {type: string, format: date-time}, updated_at: {type: string, format: date-time}}}"#
    }
    static let deviceSchema =
        #"{type: object, required: [id, name, group, kind, registered, created_at, registered_at, updated_at], properties: {id: {type: string}, name: {type: [string, "null"]}, group: {type: [string, "null"]}, kind: {type: [string, "null"]}, registered: {type: boolean, description: "false for a device only seen on the wire (auto-registered)"}, created_at: {type: string, format: date-time}, registered_at: {type: [string, "null"], format: date-time}, updated_at: {type: [string, "null"], format: date-time}}}"#
    static let featureSchema =
        #"{type: object, required: [type, geometry, properties], properties: {type: {const: Feature}, id: {type: [string, number]}, geometry: {type: [object, "null"]}, properties: {type: [object, "null"]}}}"#
    static let assignmentSchema =
        #"{type: object, required: [id, route, device, group, from_date, to_date, created_at, updated_at], properties: {id: {type: integer}, route: {type: string}, device: {type: [string, "null"]}, group: {type: [string, "null"]}, from_date: {type: string, format: date}, to_date: {type: string, format: date}, created_at: {type: string, format: date-time}, updated_at: {type: string, format: date-time}}}"#
    static func listOf(_ item: String) -> String {
        #"{type: object, required: [items, next_cursor], properties: {items: {type: array, items: \#(item)}, next_cursor: {type: [string, "null"]}}}"#
    }
    static let featureCollection =
        #"{type: object, required: [type, features, next_cursor], properties: {type: {const: FeatureCollection}, features: {type: array, items: {type: object}}, next_cursor: {type: [string, "null"]}}}"#
    static let format =
        #"{name: format, in: query, required: false, schema: {type: string, enum: [json, geojson], default: json}, description: "geojson: a FeatureCollection (next_cursor as a foreign member)"}"#

    /// The error responses of an operation, by status.
    static func errors(_ codes: [Int]) -> String {
        codes.map { ##"        "\##($0)": {$ref: "#/components/responses/Error"}"## }.joined(separator: "\n")
    }
    static let readErrors = errors([400, 401, 403, 429])
    static let oneErrors = errors([401, 403, 404, 429])
    static let createErrors = errors([400, 401, 403, 409, 413, 429])
    static let updateErrors = errors([400, 401, 403, 404, 409, 413, 429])
    static let deleteErrors = errors([401, 403, 404, 409, 429])

    static func json(_ schema: String) -> String { #"{application/json: {schema: \#(schema)}}"# }
    static func geo(_ schema: String) -> String {
        #"{application/geo+json: {schema: \#(schema)}, application/json: {schema: \#(schema)}}"#
    }

    static var groupBody: String {
        #"{type: object, additionalProperties: false, required: [name], properties: {id: \#(directoryID), name: {type: string, minLength: 1, maxLength: 200}, time_zone: \#(timeZone), shifts: \#(shiftsSchema)}}"#
    }
    static var groupPatch: String {
        #"{type: object, additionalProperties: false, properties: {id: \#(directoryID), name: {type: string, minLength: 1, maxLength: 200}, time_zone: \#(timeZone), shifts: \#(shiftsSchema)}}"#
    }
    static var deviceBody: String {
        #"{type: object, additionalProperties: false, required: [id], properties: {id: \#(deviceIDSchema), name: \#(nullableName), group: {type: [string, "null"]}, kind: \#(nullableName)}}"#
    }
    static var devicePatch: String {
        #"{type: object, additionalProperties: false, properties: {id: \#(deviceIDSchema), name: \#(nullableName), group: {type: [string, "null"]}, kind: \#(nullableName)}}"#
    }
    static let assignmentBody =
        #"{type: object, additionalProperties: false, properties: {device: {type: string}, group: {type: string}, from_date: {type: string, format: date}, to_date: {type: string, format: date}}, description: "exactly one of device and group; to_date defaults to from_date; at most 366 days"}"#

    /// GET one, PUT, PATCH, DELETE of a resource at `path` (its id parameter declared).
    static func item(
        _ path: String, what: String, schema: String, put: String, patch: String, content: (String) -> String,
        writePermission: String = "directory.write",
        parameters: String = ##"      - {$ref: "#/components/parameters/Id"}"##
    ) -> String {
        """
          \(path):
            parameters:
        \(parameters)
            get:
              summary: One \(what) of the tenant.
              x-permission: directory.read
              responses:
                "200": {description: the \(what), content: \(content(schema))}
        \(oneErrors)
            put:
              summary: Replace a \(what).
              x-permission: \(writePermission)
              requestBody: {required: true, content: \(content(put))}
              responses:
                "200": {description: the \(what), content: \(content(schema))}
        \(updateErrors)
            patch:
              summary: Change fields of a \(what).
              x-permission: \(writePermission)
              requestBody: {required: true, content: \(content(patch))}
              responses:
                "200": {description: the \(what), content: \(content(schema))}
        \(updateErrors)
            delete:
              summary: Delete a \(what).
              x-permission: \(writePermission)
              responses:
                "204": {description: deleted}
        \(deleteErrors)

        """
    }

    /// GET list and POST of a collection at `path`.
    static func collection(
        _ path: String, what: String, list: String, schema: String, body: String, content: (String) -> String,
        listParameters: String = "", writePermission: String = "directory.write", parameters: String = ""
    ) -> String {
        // Under a parent resource (a route's assignments), the parent may be missing: 404.
        let readErrors = parameters.isEmpty ? Self.readErrors : errors([400, 401, 403, 404, 429])
        let createErrors = parameters.isEmpty ? Self.createErrors : errors([400, 401, 403, 404, 409, 413, 429])
        return """
              \(path):
            \(parameters)    get:
                  summary: The tenant's \(what)s, by id.
                  x-permission: directory.read
                  parameters:
                    - {$ref: "#/components/parameters/Limit"}
                    - {$ref: "#/components/parameters/Cursor"}
            \(listParameters)      responses:
                    "200": {description: a page of \(what)s, content: \(list)}
            \(readErrors)
                post:
                  summary: Create a \(what).
                  x-permission: \(writePermission)
                  requestBody: {required: true, content: \(content(body))}
                  responses:
                    "201": {description: the new \(what), content: \(content(schema))}
            \(createErrors)

            """
    }

    static var directoryPaths: String {
        let groupList = json(listOf(groupSchema))
        let deviceList = json(listOf(deviceSchema))
        let featureList =
            #"{application/json: {schema: \#(listOf(featureSchema))}, application/geo+json: {schema: \#(featureCollection)}}"#
        let routeParameter = ##"      - {$ref: "#/components/parameters/Id"}"##
        let assignmentParameters =
            routeParameter + "\n" + #"      - {name: assignment, in: path, required: true, schema: {type: integer}}"#
        return collection(
            "/v1/groups", what: "group", list: groupList, schema: groupSchema, body: groupBody, content: json)
            + item(
                "/v1/groups/{id}", what: "group", schema: groupSchema, put: groupBody, patch: groupPatch, content: json)
            + collection(
                "/v1/devices", what: "device", list: deviceList, schema: deviceSchema, body: deviceBody, content: json,
                listParameters: #"        - {name: group, in: query, required: false, schema: {type: string}}"# + "\n")
            + item(
                "/v1/devices/{id}", what: "device", schema: deviceSchema, put: devicePatch, patch: devicePatch,
                content: json)
            + collection(
                "/v1/geofences", what: "geofence", list: featureList, schema: featureSchema, body: featureSchema,
                content: geo, listParameters: "        - \(format)\n")
            + item(
                "/v1/geofences/{id}", what: "geofence", schema: featureSchema, put: featureSchema, patch: featureSchema,
                content: geo)
            + collection(
                "/v1/routes", what: "route", list: featureList, schema: featureSchema, body: featureSchema,
                content: geo, listParameters: "        - \(format)\n")
            + item(
                "/v1/routes/{id}", what: "route", schema: featureSchema, put: featureSchema, patch: featureSchema,
                content: geo)
            + collection(
                "/v1/routes/{id}/assignments", what: "route assignment", list: json(listOf(assignmentSchema)),
                schema: assignmentSchema, body: assignmentBody, content: json, writePermission: "assignments.write",
                parameters: "    parameters:\n" + routeParameter + "\n")
            + item(
                "/v1/routes/{id}/assignments/{assignment}", what: "route assignment", schema: assignmentSchema,
                put: assignmentBody, patch: assignmentBody, content: json, writePermission: "assignments.write",
                parameters: assignmentParameters)
    }
}
