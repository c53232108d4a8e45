extension OpenAPIDocument {
    // MARK: ingest (helper api): OsmAnd protocol
    static let ingestPaths = """
          /v1/ingest/osmand:
            get:
              summary: Post one position in the OsmAnd query form; 200 only once it is durable.
              x-permission: ingest
              parameters:
                - {name: id, in: query, required: true, schema: {type: string}}
                - {name: lat, in: query, required: true, schema: {type: number}}
                - {name: lon, in: query, required: true, schema: {type: number}}
                - {name: timestamp, in: query, required: true, schema: {type: string}, description: Unix s, Unix ms or ISO 8601}
                - {name: speed, in: query, required: false, schema: {type: number}, description: knots}
                - {name: bearing, in: query, required: false, schema: {type: number}}
                - {name: altitude, in: query, required: false, schema: {type: number}}
                - {name: accuracy, in: query, required: false, schema: {type: number}}
                - {name: hdop, in: query, required: false, schema: {type: number}}
              responses:
                "200": {$ref: "#/components/responses/IngestResult"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
            post:
              summary: Post positions in the OsmAnd JSON form (or a form-encoded query); 200 only once durable.
              x-permission: ingest
              requestBody:
                required: false
                content:
                  application/json:
                    schema: {type: object, description: "OsmAnd JSON: device_id and a location (or locations)"}
                  application/x-www-form-urlencoded:
                    schema: {type: object}
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
