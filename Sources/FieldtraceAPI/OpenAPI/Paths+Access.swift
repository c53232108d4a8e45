extension OpenAPIDocument {
    // MARK: access (helper api): whoami, tokens
    static let accessPaths = """
          /v1/whoami:
            get:
              summary: The calling token's identity and permissions.
              x-permission: self.read
              responses:
                "200":
                  description: identity
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [token_id, tenant, role, permissions]
                        properties:
                          token_id: {type: string}
                          tenant: {type: string}
                          role: {type: string}
                          group: {type: [string, "null"]}
                          permissions: {type: array, items: {type: string}}
                "401": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/tokens:
            post:
              summary: Create a token in the caller's tenant; the secret is in this answer only.
              x-permission: tokens.manage
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [role]
                      properties:
                        role: {type: string, enum: [admin, dispatcher, analyst, attendance, device]}
                        group: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}
                        name: {type: string, maxLength: 200}
                        expires_at:
                          type: [string, "null"]
                          description: ISO 8601 or Unix ms, in the future; absent or null = never.
              responses:
                "201":
                  description: the token, with its secret
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Token"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
            get:
              summary: The tenant's tokens (no secrets).
              x-permission: tokens.manage
              parameters:
                - {$ref: "#/components/parameters/Limit"}
                - {$ref: "#/components/parameters/Cursor"}
              responses:
                "200":
                  description: a page of tokens
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [items, next_cursor]
                        properties:
                          items: {type: array, items: {$ref: "#/components/schemas/Token"}}
                          next_cursor: {type: [string, "null"]}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
          /v1/tokens/{id}:
            parameters:
              - {$ref: "#/components/parameters/Id"}
            get:
              summary: One token of the tenant (no secret).
              x-permission: tokens.manage
              responses:
                "200": {description: the token, content: {application/json: {schema: {$ref: "#/components/schemas/Token"}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}
            delete:
              summary: Revoke a token (it answers 401 from now on); revoking twice keeps the first time.
              x-permission: tokens.manage
              responses:
                "200": {description: the revoked token, content: {application/json: {schema: {$ref: "#/components/schemas/Token"}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "429": {$ref: "#/components/responses/Error"}

        """
}
