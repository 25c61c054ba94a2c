"""A hostile corpus against every operation of the app's own OpenAPI spec, on each database.

For every operation the spec lists, the corpus sends, one at a time: a NUL, a control
character and (where the field is an identifier) an invisible format character in each
string field of the body and in each string query parameter and header; a value one longer
than the field's maxLength; digits other than ASCII in each integer field, query parameter
and path id; a body nested 10,000 levels deep; and (on protected operations) a correctly
signed token whose subject is not a possible user id.

Each answer must be a 4xx with a JSON ``detail`` and never a 5xx; a 422 must name the
field it refused; and after every refused request the database must be exactly as before
(row counts, highest ids and a checksum of every table). Everything else in the request is
valid, built from the spec, so a refusal is about the hostile value. One app per database
serves the whole module, with one admin token.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from flask_jwt_extended import create_access_token
from sqlalchemy import func, select

from shopapp.extensions import db
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.apps import reseed
from tests.support.databases import BACKENDS

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
NUL, CONTROL, FORMAT = "a\x00b", "a\x1bb", "a\u200bb"
ARABIC_INDIC_THREE = "\u0663"
DEEP_BODY = '{"x": ' + "[" * 10_000 + "]" * 10_000 + "}"
IMPOSSIBLE_SUBJECT = str(2**70)


@dataclass
class Case:
    """One hostile request, and what it targets (``field``: the name a 422 must give)."""

    label: str
    method: str
    path: str
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    body: object = None
    raw_body: str | None = None
    field: str | None = None
    forged_token: bool = False

    def __str__(self):
        return self.label


def load_spec():
    """The committed spec: tests/api/test_openapi.py keeps it equal to what the app serves."""
    return yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text())


def takes_input(operation, shared_parameters):
    return bool(shared_parameters or operation.get("parameters")
                or operation.get("requestBody") or operation.get("security"))


def resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def valid_value(schema):
    """A value the schema accepts, so that only the hostile field is wrong."""
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:  # money: a string or a number
        return "10.00"
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "email":
            return "corpus@example.com"
        return "x" * max(schema.get("minLength", 1), 1)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    return None


def valid_body(spec, schema):
    schema = resolve(spec, schema)
    return {name: valid_value(resolve(spec, prop))
            for name, prop in schema.get("properties", {}).items()
            if not prop.get("readOnly") and valid_value(resolve(spec, prop)) is not None}


def hostile_strings(schema):
    """(label, value) pairs a string field with this schema must refuse."""
    values = [("NUL", NUL), ("control", CONTROL)]
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, FORMAT):
        values.append(("format", FORMAT))
    if schema.get("format") == "email":
        values.append(("format", "us\u200ber@example.com"))
    if "maxLength" in schema and "enum" not in schema:
        values.append(("overlong", "x" * (schema["maxLength"] + 1)))
    return values


def fill_path(path, parameters, override=None):
    values = {p["name"]: "1" for p in parameters if p["in"] == "path"}
    values.update(override or {})
    return re.sub(r"{(\w+)}", lambda match: values[match.group(1)], path)


def operation_cases(spec, path, method, operation, shared_parameters):
    label = f"{method.upper()} {path}"
    parameters = [*shared_parameters, *operation.get("parameters", [])]
    url = fill_path(path, parameters)
    body_schema = (operation.get("requestBody", {}).get("content", {})
                   .get("application/json", {}).get("schema"))
    body = valid_body(spec, body_schema) if body_schema else None
    cases = []
    if body_schema is not None:
        cases.append(Case(f"{label} nested body", method, url, raw_body=DEEP_BODY))
        for name, prop in resolve(spec, body_schema).get("properties", {}).items():
            prop = resolve(spec, prop)
            if prop.get("readOnly"):
                continue
            if prop.get("type") == "string" or "anyOf" in prop:
                values = hostile_strings(prop) if prop.get("type") == "string" else []
                if "anyOf" in prop:
                    values = [("digits", ARABIC_INDIC_THREE + ".00")]
                for kind, value in values:
                    cases.append(Case(f"{label} body {name} {kind}", method, url,
                                      body={**body, name: value}, field=name))
            if prop.get("type") == "integer":
                cases.append(Case(f"{label} body {name} digits", method, url,
                                  body={**body, name: ARABIC_INDIC_THREE}, field=name))
    for parameter in parameters:
        schema, name = parameter.get("schema", {}), parameter["name"]
        where = parameter["in"]
        if where == "path":
            cases.append(Case(f"{label} path {name} digits", method,
                              fill_path(path, parameters, {name: ARABIC_INDIC_THREE}),
                              body=body))
            continue
        if schema.get("type") == "integer":
            values = [("digits", ARABIC_INDIC_THREE)]
        elif schema.get("type") == "string":
            values = hostile_strings(schema)
            if where == "header":  # headers travel as Latin-1: no zero-width space
                values = [(kind, value) for kind, value in values if kind != "format"]
        else:
            continue
        for kind, value in values:
            case = Case(f"{label} {where} {name} {kind}", method, url, body=body, field=name)
            getattr(case, "query" if where == "query" else "headers")[name] = value
            cases.append(case)
    if operation.get("security"):
        cases.append(Case(f"{label} forged subject", method, url, body=body, forged_token=True))
    return cases


def corpus():
    spec = load_spec()
    return [case for path, item in spec["paths"].items() for method, operation in item.items()
            if method in HTTP_METHODS
            for case in operation_cases(spec, path, method, operation, item.get("parameters", []))]


CASES = corpus()


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_app(request, database_urls, module_app_factory):
    app = module_app_factory(database_urls[request.param])
    reseed(app)
    client = app.test_client()
    login = client.post("/api/v1/auth/login",
                        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    with app.app_context():
        forged = create_access_token(identity=IMPOSSIBLE_SUBJECT)
    app.corpus_tokens = {"admin": login.json["access_token"], "forged": forged}
    yield app
    module_app_factory.dispose(app)  # before the next database's app


def snapshot(app):
    """Per table: row count, highest id, and a checksum of every row in id order."""
    state = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = db.session.execute(select(table).order_by(*order)).all()
            top = (db.session.scalar(select(func.max(table.c.id)))
                   if "id" in table.c else None)
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            state[table.name] = (len(rows), top, digest)
        db.session.remove()
    return state


def send(app, case):
    token = app.corpus_tokens["forged" if case.forged_token else "admin"]
    headers = {"Authorization": f"Bearer {token}", **case.headers}
    kwargs = {"query_string": case.query, "headers": headers}
    if case.raw_body is not None:
        kwargs.update(data=case.raw_body, content_type="application/json")
    elif case.body is not None:
        kwargs["json"] = case.body
    return app.test_client().open(case.path, method=case.method.upper(), **kwargs)


def test_the_corpus_reaches_every_operation_that_takes_input():
    spec = load_spec()
    operations = {f"{method.upper()} {path}": takes_input(operation, item.get("parameters"))
                  for path, item in spec["paths"].items()
                  for method, operation in item.items() if method in HTTP_METHODS}
    covered = {" ".join(case.label.split(" ", 2)[:2]) for case in CASES}
    assert covered == {label for label, has_input in operations.items() if has_input}
    assert {label for label, has_input in operations.items() if not has_input} == {
        "GET /healthz", "GET /api/v1/system/info"}
    kinds = {case.label.rsplit(" ", 1)[-1] for case in CASES}
    assert {"NUL", "control", "format", "overlong", "digits", "body", "subject"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_input_is_refused_cleanly(corpus_app, case):
    before = snapshot(corpus_app)
    response = send(corpus_app, case)
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data()[:300])
    assert response.is_json and response.json.get("detail"), response.get_data()[:300]
    if case.raw_body is not None:
        assert response.status_code == 400 and "nested too deeply" in response.json["detail"]
    if case.forged_token:
        assert response.status_code == 401
    if case.field is not None:
        assert response.status_code == 422, response.json
        assert case.field in response.json["errors"], response.json
    assert snapshot(corpus_app) == before
