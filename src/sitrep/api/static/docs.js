/* Swagger UI over the server's own OpenAPI description, from the pinned swagger-ui-dist. */
"use strict";
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
