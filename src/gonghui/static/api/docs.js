// Starts the vendored Swagger UI on the schema (a file, not an inline script: the CSP allows 'self' only).
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: el.dataset.schemaUrl, domNode: el, deepLinking: true, validatorUrl: null,
    supportedSubmitMethods: ["get", "post"] });
});
