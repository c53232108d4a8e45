extension OpenAPIDocument {
    // MARK: tracks (helper query): tracks, positions, stops, trips, visits, deviations
    static let tracksPaths = """
          /v1/devices/{id}/track:
            get:
              summary: "A device's track over [from, to) (at most 7 days), streamed as json, geojson, gpx or csv."
              description: |
                json: {device, from, to, count, fixes}. geojson: a FeatureCollection with one Feature, a
                LineString of [lon, lat(, alt_m)] (a Point for one fix, no feature for none) whose `times`
                property lists each position's fix time. smooth=kalman|rts leaves out the fixes the filters
                reject and moves the others to their estimates; simplify_m keeps the fixes time-aware
                simplification (TD-TR) keeps at that tolerance; level=1 is the simplified copy (the stored
                level-1 copy wherever one exists, raw fixes simplified at 5 m where none does, e.g. the WAL buffer).
              x-permission: location.read
              parameters:
                - {$ref: "#/components/parameters/Id"}
                - {name: from, in: query, required: true, schema: {type: string}, description: "start, inclusive: ISO 8601 or Unix ms"}
                - {name: to, in: query, required: true, schema: {type: string}, description: "end, exclusive: ISO 8601 or Unix ms"}
                - {name: format, in: query, required: false, schema: {type: string, enum: [json, geojson, gpx, csv], default: json}}
                - {name: smooth, in: query, required: false, schema: {type: string, enum: [none, kalman, rts], default: none}}
                - {name: simplify_m, in: query, required: false, schema: {type: number, exclusiveMinimum: 0, maximum: 10000}}
                - {name: level, in: query, required: false, schema: {type: integer, enum: [0, 1], default: 0}}
              responses:
                "200":
                  description: the track
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [device, from, to, count, fixes]
                        properties:
                          device: {type: string}
                          from: {type: string, format: date-time}
                          to: {type: string, format: date-time}
                          count: {type: integer}
                          fixes: {type: array, items: {type: object, required: [device, time, lat, lon, valid, late], properties: {device: {type: string}, time: {type: string, format: date-time}, lat: {type: number}, lon: {type: number}, alt_m: {type: number}, speed_mps: {type: number}, course_deg: {type: number}, hdop: {type: number}, accuracy_m: {type: number}, sats: {type: integer}, valid: {type: boolean}, late: {type: boolean}}}}
                    application/geo+json:
                      schema: {type: object, required: [type, features], properties: {type: {const: FeatureCollection}, features: {type: array}}}
                    application/gpx+xml:
                      schema: {type: string}
                    text/csv:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/devices/{id}/position:
            get:
              summary: Where a device was at an instant, interpolated between the fixes around it, with a radius.
              description: |
                status exact (a fix at that ms), interpolated (fixes at most 10 minutes apart around it),
                before_track, after_track, no_track or gap (no position). radius_m holds the true position
                with about 95% confidence: the neighbours' accuracy (or HDOP x 5 m) at 95%, plus the farthest
                the device could have strayed from the straight line at the larger of the observed speed,
                the reported speeds and 1.5 m/s.
              x-permission: location.read
              parameters:
                - {$ref: "#/components/parameters/Id"}
                - {name: at, in: query, required: true, schema: {type: string}, description: ISO 8601 or Unix ms}
              responses:
                "200":
                  description: the position, or why there is none
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [device, at, status, exact, lat, lon, radius_m, assumed_speed_mps, before, after]
                        properties:
                          device: {type: string}
                          at: {type: string, format: date-time}
                          status: {type: string, enum: [exact, interpolated, before_track, after_track, no_track, gap]}
                          exact: {type: boolean}
                          lat: {type: [number, "null"]}
                          lon: {type: [number, "null"]}
                          radius_m: {type: [number, "null"]}
                          assumed_speed_mps: {type: [number, "null"]}
                          before: {type: [object, "null"], required: [device, time, lat, lon, valid, late], properties: {device: {type: string}, time: {type: string, format: date-time}, lat: {type: number}, lon: {type: number}, alt_m: {type: number}, speed_mps: {type: number}, course_deg: {type: number}, hdop: {type: number}, accuracy_m: {type: number}, sats: {type: integer}, valid: {type: boolean}, late: {type: boolean}}}
                          after: {type: [object, "null"], required: [device, time, lat, lon, valid, late], properties: {device: {type: string}, time: {type: string, format: date-time}, lat: {type: number}, lon: {type: number}, alt_m: {type: number}, speed_mps: {type: number}, course_deg: {type: number}, hdop: {type: number}, accuracy_m: {type: number}, sats: {type: integer}, valid: {type: boolean}, late: {type: boolean}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/positions/latest:
            get:
              summary: The newest fix of each device the token sees, a page of devices at a time (by device id).
              x-permission: location.read
              parameters:
                - {name: group, in: query, required: false, schema: {type: string}, description: only this group's devices}
                - {$ref: "#/components/parameters/Limit"}
                - {$ref: "#/components/parameters/Cursor"}
              responses:
                "200":
                  description: newest fixes (devices without one are left out)
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items, next_cursor]
                        properties:
                          items: {type: array, items: {type: object, required: [device, time, lat, lon, valid, late], properties: {device: {type: string}, time: {type: string, format: date-time}, lat: {type: number}, lon: {type: number}, alt_m: {type: number}, speed_mps: {type: number}, course_deg: {type: number}, hdop: {type: number}, accuracy_m: {type: number}, sats: {type: integer}, valid: {type: boolean}, late: {type: boolean}}}}
                          next_cursor: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/devices/{id}/stops:
            get:
              summary: "Stops overlapping [from, to) (at most 92 days), from the event log; open ones have end null."
              x-permission: reports.read
              parameters:
                - {$ref: "#/components/parameters/Id"}
                - {name: from, in: query, required: true, schema: {type: string}, description: "start, inclusive: ISO 8601 or Unix ms"}
                - {name: to, in: query, required: true, schema: {type: string}, description: "end, exclusive: ISO 8601 or Unix ms"}
              responses:
                "200":
                  description: intervals by start time (one page)
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
                              required: [kind, subject, start, end, open, duration_s, start_event, end_event]
                              properties:
                                kind: {const: stop}
                                subject: {type: [string, "null"]}
                                start: {type: string, format: date-time}
                                end: {type: [string, "null"], format: date-time}
                                open: {type: boolean}
                                duration_s: {type: [number, "null"]}
                                start_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                                end_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                          next_cursor: {type: "null"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/devices/{id}/trips:
            get:
              summary: "Trips overlapping [from, to) (at most 92 days), from the event log; open ones have end null."
              x-permission: reports.read
              parameters:
                - {$ref: "#/components/parameters/Id"}
                - {name: from, in: query, required: true, schema: {type: string}, description: "start, inclusive: ISO 8601 or Unix ms"}
                - {name: to, in: query, required: true, schema: {type: string}, description: "end, exclusive: ISO 8601 or Unix ms"}
              responses:
                "200":
                  description: intervals by start time (one page)
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
                              required: [kind, subject, start, end, open, duration_s, start_event, end_event]
                              properties:
                                kind: {const: trip}
                                subject: {type: [string, "null"]}
                                start: {type: string, format: date-time}
                                end: {type: [string, "null"], format: date-time}
                                open: {type: boolean}
                                duration_s: {type: [number, "null"]}
                                start_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                                end_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                          next_cursor: {type: "null"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/devices/{id}/visits:
            get:
              summary: "Geofence visits (enter/exit pairs) overlapping [from, to) (at most 92 days), from the event log; open ones have end null."
              x-permission: reports.read
              parameters:
                - {$ref: "#/components/parameters/Id"}
                - {name: from, in: query, required: true, schema: {type: string}, description: "start, inclusive: ISO 8601 or Unix ms"}
                - {name: to, in: query, required: true, schema: {type: string}, description: "end, exclusive: ISO 8601 or Unix ms"}
              responses:
                "200":
                  description: intervals by start time (one page)
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
                              required: [kind, subject, start, end, open, duration_s, start_event, end_event]
                              properties:
                                kind: {const: visit}
                                subject: {type: [string, "null"]}
                                start: {type: string, format: date-time}
                                end: {type: [string, "null"], format: date-time}
                                open: {type: boolean}
                                duration_s: {type: [number, "null"]}
                                start_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                                end_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                          next_cursor: {type: "null"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
          /v1/devices/{id}/deviations:
            get:
              summary: "Route deviations overlapping [from, to) (at most 92 days), from the event log; open ones have end null."
              x-permission: reports.read
              parameters:
                - {$ref: "#/components/parameters/Id"}
                - {name: from, in: query, required: true, schema: {type: string}, description: "start, inclusive: ISO 8601 or Unix ms"}
                - {name: to, in: query, required: true, schema: {type: string}, description: "end, exclusive: ISO 8601 or Unix ms"}
              responses:
                "200":
                  description: intervals by start time (one page)
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
                              required: [kind, subject, start, end, open, duration_s, start_event, end_event]
                              properties:
                                kind: {const: deviation}
                                subject: {type: [string, "null"]}
                                start: {type: string, format: date-time}
                                end: {type: [string, "null"], format: date-time}
                                open: {type: boolean}
                                duration_s: {type: [number, "null"]}
                                start_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                                end_event: {type: [object, "null"], required: [id, kind, device, time, confirmed_at, late], properties: {id: {type: integer}, kind: {type: string}, device: {type: string}, time: {type: string, format: date-time}, confirmed_at: {type: string, format: date-time}, late: {type: boolean}}}
                          next_cursor: {type: "null"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}

        """
}
