// The API's documentation page (/api/docs/): Swagger UI, served from our own static files, on
// the schema the API publishes. No inline script: the schema's address is on the element.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    domNode: element,
    deepLinking: true,
    // Calls from "Try it out" go with the browser's session (and its CSRF token on writes).
    withCredentials: true,
    requestInterceptor: function (request) {
      var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (match && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
      }
      return request;
    },
  });
})();
