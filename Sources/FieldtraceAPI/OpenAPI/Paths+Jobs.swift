extension OpenAPIDocument {
    // MARK: jobs (helper jobs): a worker sent to a site; response times in the daily report
    // Schemas are one-line flow mappings, like the directory's.

    static let jobTimeInput =
        #"{type: [string, integer], description: "ISO 8601 (2026-01-31T08:00:00Z) or Unix ms; 1970-01-01 to 9999-12-31"}"#
    static let jobNote = #"{type: [string, "null"], minLength: 1, maxLength: 1000}"#
    static let jobSchema =
        #"{type: object, required: [id, device, site, assigned_at, due_at, note, status, arrived_at, response_minutes, cancelled_at, created_at, updated_at], properties: {id: {type: string}, device: {type: string}, site: {type: string, description: a geofence id}, assigned_at: {type: string, format: date-time}, due_at: {type: [string, "null"], format: date-time}, note: {type: [string, "null"]}, status: {type: string, enum: [open, arrived, cancelled], description: "cancelled is stored; arrived is derived from the worker's first visit of the site at or after assigned_at (within 24 h)"}, arrived_at: {type: [string, "null"], format: date-time}, response_minutes: {type: [number, "null"], description: "arrived_at - assigned_at, minutes (tenths)"}, cancelled_at: {type: [string, "null"], format: date-time}, created_at: {type: string, format: date-time}, updated_at: {type: string, format: date-time}}}"#
    static var jobBody: String {
        #"{type: object, additionalProperties: false, required: [device, site], properties: {id: {type: string, pattern: "^[A-Za-z0-9._~:@-]{1,64}$"}, device: {type: string, pattern: "^[!-~]{1,64}$"}, site: {type: string, pattern: "^[A-Za-z0-9._~:@-]{1,64}$"}, assigned_at: \#(jobTimeInput), due_at: {type: [string, integer, "null"], description: "not before assigned_at"}, note: \#(jobNote)}, description: "assigned_at defaults to now; device and site must exist in the tenant"}"#
    }
    static var jobPatch: String {
        #"{type: object, additionalProperties: false, properties: {id: {type: string}, device: {type: string, pattern: "^[!-~]{1,64}$"}, site: {type: string, pattern: "^[A-Za-z0-9._~:@-]{1,64}$"}, assigned_at: \#(jobTimeInput), due_at: {type: [string, integer, "null"]}, note: \#(jobNote), status: {type: string, enum: [open, cancelled], description: "cancelled cancels, open reopens (arrived is derived)"}}}"#
    }

    static var jobPaths: String {
        let error = ##"{$ref: "#/components/responses/Error"}"##
        func errors(_ codes: [Int]) -> String { codes.map { "        \"\($0)\": \(error)" }.joined(separator: "\n") }
        return """
              /v1/jobs:
                get:
                  summary: The tenant's jobs, by id, with their derived status.
                  x-permission: jobs.read
                  parameters:
                    - {$ref: "#/components/parameters/Limit"}
                    - {$ref: "#/components/parameters/Cursor"}
                    - {name: device, in: query, required: false, schema: {type: string}, description: "one device's jobs (404 when not in the tenant)"}
                    - {name: from, in: query, required: false, schema: {type: string}, description: "assigned at or after (ISO 8601 or Unix ms)"}
                    - {name: to, in: query, required: false, schema: {type: string}, description: "assigned before (ISO 8601 or Unix ms)"}
                  responses:
                    "200": {description: a page of jobs, content: {application/json: {schema: {type: object, required: [items, next_cursor], properties: {items: {type: array, items: \(jobSchema)}, next_cursor: {type: [string, "null"]}}}}}}
            \(errors([400, 401, 403, 404, 429]))
                post:
                  summary: Give a worker a job at a site.
                  x-permission: jobs.write
                  requestBody: {required: true, content: {application/json: {schema: \(jobBody)}}}
                  responses:
                    "201": {description: the new job, content: {application/json: {schema: \(jobSchema)}}}
            \(errors([400, 401, 403, 409, 413, 429]))
              /v1/jobs/{id}:
                parameters:
                  - {$ref: "#/components/parameters/Id"}
                get:
                  summary: One job of the tenant.
                  x-permission: jobs.read
                  responses:
                    "200": {description: the job, content: {application/json: {schema: \(jobSchema)}}}
            \(errors([401, 403, 404, 429]))
                patch:
                  summary: Change, cancel or reopen a job.
                  x-permission: jobs.write
                  requestBody: {required: true, content: {application/json: {schema: \(jobPatch)}}}
                  responses:
                    "200": {description: the job, content: {application/json: {schema: \(jobSchema)}}}
            \(errors([400, 401, 403, 404, 413, 429]))
                delete:
                  summary: Delete a job.
                  x-permission: jobs.write
                  responses:
                    "204": {description: deleted}
            \(errors([401, 403, 404, 429]))

            """
    }
}
