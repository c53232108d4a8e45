extension OpenAPIDocument {
    // MARK: ingest (helper api): OsmAnd protocol
    static let ingestPaths = """
          /v1/ingest/osmand:
            get:
              summary: Post one position in the OsmAnd query form; 200 only once it is durable.
              x-permission: ingest
              parameters:
                - {name: id, in: query, required: true, schema: {$ref: "#/components/schemas/DeviceId"}}
                - {name: lat, in: query, required: true, schema: {type: number, minimum: -90, maximum: 90}}
                - {name: lon, in: query, required: true, schema: {type: number, minimum: -180, maximum: 180}}
                - name: timestamp
                  in: query
                  required: true
                  description: Unix seconds (as here); Unix ms and ISO 8601 are accepted too.
                  schema: {type: integer, minimum: 935280000, maximum: 4102444799}
                - {name: speed, in: query, required: false, schema: {type: string}, description: "knots, a number (optional values that are not numbers or out of range are left out)"}
                - {name: bearing, in: query, required: false, schema: {type: string}, description: "degrees, a number"}
                - {name: altitude, in: query, required: false, schema: {type: string}, description: "metres, a number"}
                - {name: accuracy, in: query, required: false, schema: {type: string}, description: "metres, a number"}
                - {name: hdop, in: query, required: false, schema: {type: string}, description: "a number"}
              responses:
                "200": {$ref: "#/components/responses/IngestResult"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
            post:
              summary: Post positions in the OsmAnd JSON form; 200 only once durable.
              description: A form-encoded body with the query form's fields is accepted too. Bodies over 64 KiB answer 413.
              x-permission: ingest
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [device_id, location]
                      properties:
                        device_id: {$ref: "#/components/schemas/DeviceId"}
                        location:
                          oneOf:
                            - {$ref: "#/components/schemas/OsmAndLocation"}
                            - {type: array, items: {$ref: "#/components/schemas/OsmAndLocation"}}
              responses:
                "200": {$ref: "#/components/responses/IngestResult"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}

        """
}
