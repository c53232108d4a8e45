extension OpenAPIDocument {
    // MARK: reports and dispatch (lead): attendance, daily, heatmap, nearest, live positions
    /// One frame of the live positions stream (see `sseEvent`): event positions, data the changed
    /// latest positions.
    static let positionsEvent =
        #"{type: object, required: [event, data], properties: {event: {const: positions}, id: {type: string}, retry: {type: integer}, data: {type: string, contentMediaType: application/json, contentSchema: {type: object, required: [items], properties: {items: {type: array, items: {type: object, required: [device, time, lat, lon, speed_mps, course_deg, accuracy_m, motion, group], properties: {device: {type: string}, time: {type: string, format: date-time}, lat: {type: number}, lon: {type: number}, speed_mps: {type: [number, "null"]}, course_deg: {type: [number, "null"]}, accuracy_m: {type: [number, "null"]}, motion: {type: string, enum: [moving, stopped, unknown]}, group: {type: [string, "null"]}}}}}}}}}"#

    static let reportPaths = """
          /:
            get:
              summary: The dashboard, one HTML page with no external assets (it asks for a token).
              security: []
              responses:
                "200": {description: the page, content: {text/html: {schema: {type: string}}}}
          /v1/reports/attendance:
            get:
              summary: Per worker and site on a local day, first arrival, last departure, minutes on site; flags.
              description: |
                Days and shifts are in each worker's group time zone. Flags: absent, late_arrival,
                early_departure, left_post, outside_hours, claim_away_from_site.
              x-permission: reports.read
              parameters:
                - {name: date, in: query, required: true, schema: {type: string, format: date}}
                - {name: group, in: query, required: false, schema: {type: string}}
                - {name: format, in: query, required: false, schema: {type: string, enum: [json, csv], default: json}}
                - {name: grace_min, in: query, required: false, schema: {type: number, minimum: 0, maximum: 240}}
                - {name: left_post_min, in: query, required: false, schema: {type: number, minimum: 1, maximum: 1440}}
              responses:
                "200":
                  description: The attendance report.
                  content:
                    application/json:
                      schema: {type: object, required: [date, workers], properties: {date: {type: string}, workers: {type: array, items: {type: object}}}}
                    text/csv:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/reports/daily:
            get:
              summary: Per worker on a local day, distance, moving time, stops, trips, top speed, visits, deviations.
              x-permission: reports.read
              parameters:
                - {name: date, in: query, required: true, schema: {type: string, format: date}}
                - {name: group, in: query, required: false, schema: {type: string}}
                - {name: device, in: query, required: false, schema: {type: string}}
                - {name: format, in: query, required: false, schema: {type: string, enum: [json, csv], default: json}}
              responses:
                "200":
                  description: Daily summaries and fleet totals.
                  content:
                    application/json:
                      schema: {type: object, required: [date, workers, totals], properties: {date: {type: string}, workers: {type: array, items: {type: object}}, totals: {type: object}}}
                    text/csv:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/reports/heatmap:
            get:
              summary: Fixes or stop-minutes per grid cell over a UTC day or a range of at most 31 days.
              x-permission: reports.read
              parameters:
                - {name: date, in: query, required: false, schema: {type: string, format: date}}
                - {name: from, in: query, required: false, schema: {type: string}}
                - {name: to, in: query, required: false, schema: {type: string}}
                - {name: metric, in: query, required: false, schema: {type: string, enum: [fixes, stop_minutes], default: fixes}}
                - {name: cell_m, in: query, required: false, schema: {type: number, minimum: 10, maximum: 100000, default: 250}}
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 100000, default: 10000}}
                - {name: group, in: query, required: false, schema: {type: string}}
                - {name: format, in: query, required: false, schema: {type: string, enum: [json, csv], default: json}}
              responses:
                "200":
                  description: Cells, largest value first.
                  content:
                    application/json:
                      schema: {type: object, required: [metric, cell_m, cells], properties: {metric: {type: string}, cell_m: {type: number}, cells: {type: array, items: {type: object}}}}
                    text/csv:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/dispatch/nearest:
            get:
              summary: The n nearest active workers to a point, with distance, last-seen age and motion.
              x-permission: location.read
              parameters:
                - {name: lat, in: query, required: true, schema: {type: number, minimum: -90, maximum: 90}}
                - {name: lon, in: query, required: true, schema: {type: number, minimum: -180, maximum: 180}}
                - {name: n, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 100, default: 10}}
                - {name: max_age_s, in: query, required: false, schema: {type: number, minimum: 1, maximum: 2592000, default: 600}}
                - {name: group, in: query, required: false, schema: {type: string}}
              responses:
                "200":
                  description: Workers, nearest first.
                  content:
                    application/json:
                      schema: {type: object, required: [items], properties: {items: {type: array, items: {type: object}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/positions/stream:
            get:
              summary: Live positions as server-sent events (event positions, data {"items":[...]}), changes only.
              description: The token may also be given as ?access_token= (browsers' EventSource sends no headers).
              x-permission: location.read
              parameters:
                - {name: group, in: query, required: false, schema: {type: string}}
                - {name: interval_s, in: query, required: false, schema: {type: number, minimum: 0.2, maximum: 60, default: 1}}
                - {name: duration_s, in: query, required: false, schema: {type: number, minimum: 0.1, maximum: 86400}, description: end the stream after this long}
                - {name: access_token, in: query, required: false, schema: {type: string}}
              responses:
                "200":
                  description: An event stream.
                  content:
                    text/event-stream:
                      schema: \(positionsEvent)
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}

        """
}
