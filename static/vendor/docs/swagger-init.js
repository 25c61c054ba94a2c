// Starts Swagger UI on /docs; kept out of the HTML so the page runs under a strict CSP.
window.addEventListener("load", function () {
  var container = document.getElementById("swagger-ui-container");
  window.ui = SwaggerUIBundle({
    url: container.dataset.specUrl,
    dom_id: "#swagger-ui-container",
    deepLinking: true,
    persistAuthorization: true,
  });
});
