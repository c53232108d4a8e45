/// The OpenAPI 3.1 document served at `/openapi.yaml`, assembled from one block of paths per
/// area (`OpenAPI/Paths+<Area>.swift`), so areas merge without touching each other's text. A
/// test (`OpenAPITests`) matches its paths and methods against the router's routes both ways.
///
/// To add an area: a file `Paths+<Area>.swift` with `static let <area>Paths = """ ... """`
/// (path items indented by 2 spaces, exactly as under `paths:`), and one entry in `areas`.
public enum OpenAPIDocument {
    /// Every area's path block, in document order.
    static let areas: [String] = [
        systemPaths,
        accessPaths,
        ingestPaths,
        reportPaths,
        eventPaths,
        webhookPaths,
        directoryPaths,
        tracksPaths,
        jobPaths,
        // directoryPaths, queryPaths, eventPaths, webhookPaths: one line each.
    ]

    /// The whole document.
    public static var yaml: String {
        header + "paths:\n" + areas.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined() + components
    }

    static let header = """
        openapi: 3.1.0
        info:
          title: Fieldtrace API
          version: "1"
          description: |
            Tracks, positions, events and answers for analysts and services. JSON bodies with snake_case
            keys; times are ISO 8601 UTC with milliseconds on output, ISO 8601 or Unix ms on input.
            Errors are {"error": {"code", "message"}}. Lists are {"items": [...], "next_cursor"} with
            ?limit= (1-1000, default 100) and ?cursor=. Every /v1 route needs a bearer token; its role
            decides what it may call (see each operation's x-permission). Another tenant's ids answer 404.
            Phone apps may also post OsmAnd positions without a token on the OsmAnd port (default 5055),
            on any path.
        servers:
          - url: /
        security:
          - bearer: []

        """

    static let components = """
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
              description: A token secret (ft_...), from `fieldtrace token create` or POST /v1/tokens.
          parameters:
            Limit:
              name: limit
              in: query
              required: false
              schema: {type: integer, minimum: 1, maximum: 1000, default: 100}
            Cursor:
              name: cursor
              in: query
              required: false
              description: The next_cursor of the previous page (opaque); empty = the first page.
              schema: {type: string, pattern: "^(c1([0-9a-f]{2}){0,512})?$"}
            Id:
              name: id
              in: path
              required: true
              schema: {type: string}
          responses:
            Error:
              description: An error.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            IngestResult:
              description: Positions stored (durable) and rejected.
              content:
                application/json:
                  schema:
                    type: object
                    required: [accepted, duplicates, rejected]
                    properties:
                      accepted: {type: integer}
                      duplicates: {type: integer}
                      rejected: {type: integer}
          schemas:
            DeviceId:
              type: string
              minLength: 1
              maxLength: 64
              pattern: "^[!-~]+$"
              description: 1-64 printable ASCII characters, no spaces.
            OsmAndLocation:
              type: object
              required: [timestamp, coords]
              properties:
                timestamp:
                  type: integer
                  minimum: 935280000
                  maximum: 4102444799
                  description: Unix seconds (as here); Unix ms and ISO 8601 strings are accepted too.
                coords:
                  type: object
                  required: [latitude, longitude]
                  properties:
                    latitude: {type: number, minimum: -90, maximum: 90}
                    longitude: {type: number, minimum: -180, maximum: 180}
                    speed: {type: [number, "null"], description: m/s; negative = unknown}
                    heading: {type: [number, "null"], description: degrees; negative = unknown}
                    altitude: {type: [number, "null"]}
                    accuracy: {type: [number, "null"]}
            Token:
              type: object
              required: [id, tenant, role, group, name, created_at, expires_at, revoked_at]
              properties:
                id: {type: string}
                tenant: {type: string}
                role: {type: string}
                group: {type: [string, "null"]}
                name: {type: string}
                created_at: {$ref: "#/components/schemas/Time"}
                expires_at: {type: [string, "null"], format: date-time}
                revoked_at: {type: [string, "null"], format: date-time}
                secret: {type: string, description: Only in the answer to POST /v1/tokens.}
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code:
                      type: string
                      enum: [bad_request, unauthorized, forbidden, not_found, method_not_allowed, conflict,
                        payload_too_large, rate_limited, unavailable, internal]
                    message: {type: string}
            Time:
              type: string
              format: date-time
              description: ISO 8601 UTC with milliseconds.
        """
}
