"""The committed spec (openapi.yaml) is the app's own, valid, and documents every answer.

- openapi.yaml at the repository root equals what the app serves at /openapi.json;
- both validate with openapi-spec-validator;
- every operation has tags and a summary; every operation that answers 401 without a token
  declares the bearer scheme (and the other way round), every one that answers 403 to a
  shopper documents it; every error response uses the one error schema.
"""

from pathlib import Path

import pytest
import yaml
from flask_smorest.spec import openapi_cli
from openapi_spec_validator import validate

from shopapp.readiness import prepare_database

SPEC_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"
REGENERATE = "python -m shopapp openapi write --format=yaml openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
ERROR_SCHEMA_REF = "#/components/schemas/Error"
ERROR_FIELDS = {"detail", "type", "title", "status", "errors"}


@pytest.fixture(scope="module")
def spec_app(module_app_factory, tmp_path_factory):
    """An app that only serves its spec (on a migrated database: until the schema is at
    the head every request answers 503)."""
    folder = tmp_path_factory.mktemp("spec")
    app = module_app_factory(f"sqlite:///{folder / 'spec.db'}", folder / "instance")
    with app.app_context():
        prepare_database(seed_demo=False)
    return app


@pytest.fixture(scope="module")
def served_spec(spec_app):
    response = spec_app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture(scope="module")
def committed_spec():
    assert SPEC_FILE.exists(), f"{SPEC_FILE.name} is missing: generate it with `{REGENERATE}`"
    return yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))


def operations(spec):
    for path, path_item in spec["paths"].items():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def differences(committed, served, where=""):
    """Where two parsed specs differ, as short JSON-pointer-like paths."""
    if isinstance(committed, dict) and isinstance(served, dict):
        found = []
        for key in sorted(committed.keys() | served.keys(), key=str):
            here = f"{where} > {key}" if where else str(key)
            if key not in served:
                found.append(f"{here}: only in {SPEC_FILE.name}")
            elif key not in committed:
                found.append(f"{here}: only in the app")
            else:
                found.extend(differences(committed[key], served[key], here))
        return found
    if committed != served:
        where = where or "the document"
        return [f"{where}: {committed!r} in {SPEC_FILE.name}, {served!r} in the app"]
    return []


def test_committed_spec_is_what_the_app_serves(committed_spec, served_spec):
    found = differences(committed_spec, served_spec)
    assert not found, (
        f"{SPEC_FILE.name} is out of date; regenerate it with `{REGENERATE}` and commit it. "
        f"{len(found)} difference(s), first ones:\n  " + "\n  ".join(found[:15])
    )


def test_the_regenerate_command_is_deterministic_and_writes_the_served_spec(
    spec_app, served_spec, tmp_path
):
    runner = spec_app.test_cli_runner()
    texts = []
    for name in ("first.yaml", "second.yaml"):
        result = runner.invoke(openapi_cli, ["write", "--format=yaml", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        texts.append((tmp_path / name).read_text(encoding="utf-8"))
    assert texts[0] == texts[1], "two runs of the spec writer gave different files"
    assert yaml.safe_load(texts[0]) == served_spec


@pytest.mark.parametrize("source", ["committed_spec", "served_spec"])
def test_spec_validates(source, request):
    validate(request.getfixturevalue(source))


def test_every_operation_has_tags_and_a_summary(served_spec):
    missing = [f"{method.upper()} {path}" for path, method, operation in operations(served_spec)
               if not operation.get("tags") or not operation.get("summary", "").strip()]
    assert not missing, f"operations without tags or summary: {missing}"


def resolve(spec, item):
    while "$ref" in item:
        *_, kind, name = item["$ref"].split("/")
        item = spec["components"][kind][name]
    return item


def test_the_error_schema_is_the_one_error_shape(served_spec):
    error = served_spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == ERROR_FIELDS
    assert error["required"] == ["detail"]
    assert error["properties"]["status"]["type"] == "integer"


def test_every_error_response_uses_the_error_schema(served_spec):
    wrong = []
    for path, method, operation in operations(served_spec):
        for status, response in operation["responses"].items():
            if status != "default" and int(status) < 400:
                continue
            content = resolve(served_spec, response).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            if schema.get("$ref") != ERROR_SCHEMA_REF:
                wrong.append(f"{method.upper()} {path} {status}: {schema or 'no JSON body'}")
    assert not wrong, "error responses without the error schema:\n  " + "\n  ".join(wrong)


def test_every_operation_documents_the_errors_its_inputs_can_cause(served_spec):
    """A JSON body can be malformed (400) or invalid (422); a query can be invalid (422);
    an id in the path can name nothing (404)."""
    missing = []
    for path, method, operation in operations(served_spec):
        responses = operation["responses"]
        parameters = operation.get("parameters", []) + served_spec["paths"][path].get(
            "parameters", [])
        needed = set()
        if "requestBody" in operation:
            needed |= {"400", "422"}
        if any(resolve(served_spec, p)["in"] == "query" for p in parameters):
            needed.add("422")
        if any(resolve(served_spec, p)["in"] == "path" for p in parameters):
            needed.add("404")
        if needed - set(responses):
            missing.append(f"{method.upper()} {path}: {sorted(needed - set(responses))}")
    assert not missing, "undocumented error responses:\n  " + "\n  ".join(missing)


def request_for(path, method):
    """A request that reaches the access check: ids filled in, an empty JSON body."""
    url = path.replace("{", "").replace("}", "")
    for name in ("product_id", "item_id", "order_id", "user_id"):
        url = url.replace(name, "1")
    return url, {"json": {}} if method in {"post", "put", "patch"} else {}


def test_protected_operations_declare_the_bearer_scheme(client, served_spec):
    assert served_spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    wrong = []
    for path, method, operation in operations(served_spec):
        url, kwargs = request_for(path, method)
        answers_401 = getattr(client, method)(url, **kwargs).status_code == 401
        declares = operation.get("security") == [{"bearerAuth": []}]
        documents_401 = "401" in operation["responses"]
        if answers_401 != declares or (declares and not documents_401):
            wrong.append(f"{method.upper()} {path}: answers 401 without a token: {answers_401},"
                         f" declares bearerAuth: {declares}, documents 401: {documents_401}")
    assert not wrong, "\n".join(wrong)
    assert sum(1 for *_, op in operations(served_spec) if "security" in op) >= 10


def test_admin_operations_document_403(client, auth, served_spec):
    user = auth.register()
    undocumented, forbidden = [], 0
    for path, method, operation in operations(served_spec):
        url, kwargs = request_for(path, method)
        # A fresh token per request: the shopper may log itself out along the way.
        response = getattr(client, method)(url, headers=auth.headers(user["email"]), **kwargs)
        if response.status_code == 403:
            forbidden += 1
            if "403" not in operation["responses"]:
                undocumented.append(f"{method.upper()} {path}")
    assert not undocumented, f"answer 403 to a shopper but do not document it: {undocumented}"
    assert forbidden >= 5, "expected the admin operations to refuse a shopper"
