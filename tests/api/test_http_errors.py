"""The one error shape for every status, the docs pages, the spec, health and request ids."""

import pytest


def assert_json_error(response, status):
    assert response.status_code == status
    assert response.is_json
    assert isinstance(response.json["detail"], str) and response.json["detail"]
    assert response.json["status"] == status
    assert b"Traceback" not in response.data and b"<html" not in response.data.lower()


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/no/such/page.html", "/api/v2/x"])
def test_unknown_paths_are_json_404(client, path):
    assert_json_error(client.get(path), 404)


def test_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/api/v1/products")
    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]
    assert_json_error(client.post("/healthz"), 405)


def test_unexpected_errors_are_json_500_without_traceback(app, client, monkeypatch):
    from shopapp.products import service

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "catalog_statement", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/v1/products")
    assert_json_error(response, 500)
    assert b"secret internals" not in response.data


@pytest.mark.parametrize("body, status, detail", [
    (b"{not json", 400, "The request body is not valid JSON."),
    (b"[1, 2]", 422, "The request body must be a JSON object."),
    (b'"just a string"', 422, "The request body must be a JSON object."),
    (b"null", 422, "The request body must be a JSON object."),
])
def test_malformed_bodies_get_a_clear_4xx(client, shopper_headers, body, status, detail):
    response = client.post("/api/v1/cart/items", data=body, headers={
        **shopper_headers, "Content-Type": "application/json"})
    assert response.status_code == status
    assert response.json["detail"] == detail


def test_register_with_form_encoding_is_a_clear_4xx(client):
    response = client.post("/api/v1/auth/register", data={"email": "a@b.co", "password": "x"})
    assert 400 <= response.status_code < 500
    assert response.json["detail"]


def test_huge_ids_in_paths_are_404_not_errors(client, shopper_headers):
    assert_json_error(client.get("/api/v1/products/99999999999999999999"), 404)
    assert_json_error(client.get("/api/v1/orders/-1", headers=shopper_headers), 404)


def test_system_info_reports_the_package_version(client):
    from importlib.metadata import version

    response = client.get("/api/v1/system/info")
    assert response.status_code == 200
    assert response.json == {"version": version("shopapp")}


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "schema": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    from shopapp import create_app

    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "no/dir/x.db")})
    response = app.test_client().get("/healthz")
    assert_json_error(response, 503)


def test_request_id_is_echoed_or_generated(client):
    echoed = client.get("/api/v1/system/info", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/api/v1/system/info")
    assert len(generated.headers["X-Request-ID"]) == 32
    unsafe = client.get("/api/v1/system/info", headers={"X-Request-ID": "bad id\twith junk"})
    assert unsafe.headers["X-Request-ID"] != "bad id\twith junk"


def test_each_request_is_logged_with_its_id(client, caplog):
    caplog.set_level("INFO", logger="shopapp.request")
    client.get("/api/v1/products", headers={"X-Request-ID": "trace-me"})
    line = next(r.getMessage() for r in caplog.records if "trace-me" in r.getMessage())
    assert line.startswith("GET /api/v1/products 200 ")
    assert "ms" in line


def test_storefront_is_served_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"<html" in response.data.lower() or b"<!doctype html" in response.data.lower()
    response.close()


@pytest.mark.parametrize("page, asset", [
    ("/docs", "/vendor/swagger-ui/swagger-ui-bundle.js"),
    ("/redoc", "/vendor/redoc/redoc.standalone.js"),
])
def test_docs_pages_load_their_assets_from_this_server(client, page, asset):
    html = client.get(page).data.decode()
    assert asset in html
    assert "cdn" not in html.lower() and "https://" not in html
    response = client.get(asset)
    assert response.status_code == 200
    response.close()


def test_openapi_spec_declares_bearer_auth_and_summarises_every_operation(client):
    spec = client.get("/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items() if method in {"get", "post", "put", "patch",
                                                               "delete"}]
    assert len(operations) >= 18
    for path, method, operation in operations:
        assert operation.get("tags"), (path, method)
        assert operation.get("summary"), (path, method)
    assert spec["paths"]["/api/v1/cart"]["get"]["security"] == [{"bearerAuth": []}]
    assert "security" not in spec["paths"]["/api/v1/products"]["get"]
    assert "401" in spec["paths"]["/api/v1/cart"]["get"]["responses"]
    assert "403" in spec["paths"]["/api/v1/admin/users"]["get"]["responses"]


def test_wrong_methods_on_api_paths_are_405_not_shadowed_by_static_files(client):
    response = client.get("/api/v1/auth/register")
    assert_json_error(response, 405)
    assert response.headers["Allow"].split(", ").count("GET") == 0
    assert_json_error(client.put("/api/v1/cart/items/-1"), 404)
