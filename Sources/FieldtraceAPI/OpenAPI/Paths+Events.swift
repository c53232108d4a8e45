extension OpenAPIDocument {
    // MARK: events (helper delivery): cursor read, long poll, SSE
    /// One frame of the event stream, as OpenAPI 3.1 describes an event stream: `schema` is one
    /// event (its fields id, event, data, retry); data is the event's JSON, or the reason of the
    /// last frame before a dropped stream ends.
    static let sseEvent =
        #"{type: object, required: [data], properties: {id: {type: string, pattern: "^[0-9]+$"}, event: {type: string}, retry: {type: integer}, data: {type: string, contentMediaType: application/json, contentSchema: {anyOf: [{type: object, required: [id, tenant, detected_at, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, tenant: {type: string}, detected_at: {type: string, format: date-time}, retracts: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}, {type: object, required: [reason], properties: {reason: {type: string}}}]}}}}"#

    static let eventPaths = """
          /v1/events:
            get:
              summary: The tenant's events after a cursor; with wait, a long poll for the first new one.
              description: |
                Events in id order. next_cursor is the event id to pass as after= next time (events
                up to it were returned or skipped by the filter). With wait=N (seconds, at most 60)
                and nothing to return yet, the answer waits up to N seconds for a new event. A
                group-scoped token sees only its group's devices.
              x-permission: events.read
              parameters:
                - {name: after, in: query, required: false, schema: {type: integer, minimum: 0, default: 0}}
                - {name: kinds, in: query, required: false, description: "Comma-separated kinds; family.* matches a family.", schema: {type: string}}
                - {name: device, in: query, required: false, schema: {type: string}}
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
                - {name: wait, in: query, required: false, schema: {type: integer, minimum: 0, maximum: 60, default: 0}}
              responses:
                "200":
                  description: a page of events
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items, next_cursor]
                        properties:
                          items:
                            type: array
                            items:
                              type: object
                              required: [id, tenant, detected_at, kind, device, time, confirmed_at, late]
                              properties:
                                id: {type: integer}
                                tenant: {type: string}
                                detected_at: {type: string, format: date-time}
                                retracts: {type: integer, description: For a correction, the id of the event it withdraws.}
                                kind: {type: string}
                                device: {type: string}
                                time: {type: string, format: date-time}
                                confirmed_at: {type: string, format: date-time}
                                late: {type: boolean}
                              additionalProperties: true
                          next_cursor: {type: string, description: The event id to pass as after=.}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/events/stream:
            get:
              summary: The tenant's events as Server-Sent Events; resumes after Last-Event-ID or after=.
              description: |
                Frames "id: <event id>", "event: <kind>", "data: <event JSON as in GET /v1/events>".
                Keep-alive comments every 15 s when idle. A client too slow to keep up (20,000 events
                waiting) gets an event "fieldtrace.dropped" and the stream ends; reconnecting with
                Last-Event-ID loses nothing. limit= closes the stream after that many events.
              x-permission: events.read
              parameters:
                - {name: Last-Event-ID, in: header, required: false, schema: {type: integer, minimum: 0}}
                - {name: after, in: query, required: false, description: "Default: from now on.", schema: {type: integer, minimum: 0}}
                - {name: kinds, in: query, required: false, schema: {type: string}}
                - {name: device, in: query, required: false, schema: {type: string}}
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1}}
              responses:
                "200":
                  description: the event stream
                  content:
                    text/event-stream:
                      schema: \(sseEvent)
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}

        """
}
