extension OpenAPIDocument {
    // MARK: webhooks (helper delivery)
    static let webhookPaths = """
          /v1/webhooks:
            post:
              summary: Subscribe a URL to the tenant's events; the signing secret is in this answer only.
              description: |
                Each request is a POST of {"webhook": id, "events": [...]} (up to 100 events, ids
                ascending, the same objects as GET /v1/events), with headers Fieldtrace-Signature
                (t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>), Fieldtrace-Event-Ids,
                Fieldtrace-Webhook-Id and Fieldtrace-Attempt. Delivery is at least once and in id
                order: the cursor moves only after a 2xx; failures are retried with exponential
                backoff (1 s doubling to 5 min, with jitter) for 24 h, then the webhook is marked
                failing and keeps its cursor until reactivated. Receivers drop repeats by event id.
              x-permission: webhooks.manage
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [url]
                      properties:
                        url: {type: string, description: http or https, at most 2048 bytes}
                        kinds: {type: array, maxItems: 64, items: {type: string}, description: "Empty: every kind; family.* matches a family."}
                        device: {type: string}
                        group: {type: string}
                        active: {type: boolean, default: true}
                        after: {type: integer, description: "Deliver events after this id (default: from now on)."}
              responses:
                "201":
                  description: the webhook, with its secret
                  content:
                    application/json:
                      schema: &webhook
                        type: object
                        required: [id, url, kinds, device, group, active, status, created_at, cursor, failing_since, last_error]
                        properties:
                          id: {type: string}
                          url: {type: string}
                          kinds: {type: array, items: {type: string}}
                          device: {type: [string, "null"]}
                          group: {type: [string, "null"]}
                          active: {type: boolean}
                          status: {type: string, enum: [ok, failing]}
                          created_at: {type: string, format: date-time}
                          cursor: {type: integer, description: The last event id acknowledged (or skipped by the filter).}
                          failing_since: {type: [string, "null"], format: date-time}
                          last_error: {type: [string, "null"]}
                          secret: {type: string, description: Only in the answer to POST /v1/webhooks.}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
            get:
              summary: The tenant's webhooks (no secrets).
              x-permission: webhooks.manage
              parameters:
                - {$ref: "#/components/parameters/Limit"}
                - {$ref: "#/components/parameters/Cursor"}
              responses:
                "200":
                  description: a page of webhooks
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items, next_cursor]
                        properties:
                          items: {type: array, items: *webhook}
                          next_cursor: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/webhooks/{id}:
            parameters:
              - {$ref: "#/components/parameters/Id"}
            get:
              summary: One webhook of the tenant (no secret).
              x-permission: webhooks.manage
              responses:
                "200": {description: the webhook, content: {application/json: {schema: *webhook}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
            patch:
              summary: Change a webhook; reactivate a failing one; move its cursor.
              x-permission: webhooks.manage
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        url: {type: string}
                        kinds: {type: array, maxItems: 64, items: {type: string}}
                        device: {type: [string, "null"], description: null clears the filter}
                        group: {type: [string, "null"], description: null clears the filter}
                        active: {type: boolean}
                        reactivate: {type: boolean, description: "Clears failing; delivery resumes from the cursor."}
                        cursor: {type: integer, description: "Moves the cursor (e.g. past abandoned events)."}
              responses:
                "200": {description: the webhook, content: {application/json: {schema: *webhook}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
            delete:
              summary: Delete a webhook and its delivery log.
              x-permission: webhooks.manage
              responses:
                "204": {description: deleted}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/webhooks/{id}/deliveries:
            parameters:
              - {$ref: "#/components/parameters/Id"}
            get:
              summary: The webhook's delivery log, newest first (the last 1,000 attempts are kept).
              x-permission: webhooks.manage
              parameters:
                - {$ref: "#/components/parameters/Limit"}
                - {$ref: "#/components/parameters/Cursor"}
              responses:
                "200":
                  description: a page of delivery attempts
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
                              required: [id, first_event_id, last_event_id, event_count, attempt, outcome, status_code, error, duration_ms, time]
                              properties:
                                id: {type: string}
                                first_event_id: {type: integer}
                                last_event_id: {type: integer}
                                event_count: {type: integer}
                                attempt: {type: integer}
                                outcome: {type: string, enum: [delivered, failed, abandoned]}
                                status_code: {type: [integer, "null"]}
                                error: {type: [string, "null"]}
                                duration_ms: {type: integer}
                                time: {type: string, format: date-time}
                          next_cursor: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}

        """
}
