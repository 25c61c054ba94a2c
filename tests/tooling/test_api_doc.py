"""docs/API.md, the contract in words, and openapi.yaml, the contract as a spec, agree.

- every operation (method and path) in openapi.yaml has a section headed
  ``### METHOD /path`` in docs/API.md, the path spelled as in the spec;
- every such heading names an operation of openapi.yaml, so the document cannot describe
  an endpoint that does not exist; the only exceptions are the pages the spec does not
  describe (the storefront, the spec itself, the docs pages), listed below;
- each operation has exactly one section.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_FILE = ROOT / "openapi.yaml"
DOC_FILE = ROOT / "docs" / "API.md"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
# Served by the shop but not part of its OpenAPI description (flask-smorest serves the
# spec and the docs pages outside it; the storefront is static files; /metrics is
# Prometheus text, left out of the spec on purpose).
PAGES_OUTSIDE_THE_SPEC = {("GET", "/"), ("GET", "/openapi.json"), ("GET", "/docs"),
                          ("GET", "/redoc"), ("GET", "/metrics")}
# An endpoint heading: "### GET /api/v1/products/{product_id}". Other "###" headings
# (conventions) do not start with an upper-case method and a slash.
ENDPOINT_HEADING = re.compile(r"^### +([A-Z]+) +(/\S*) *$")


def spec_operations(spec):
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def documented_operations(markdown):
    """Every (METHOD, path) heading, once per occurrence, outside fenced code blocks."""
    headings = []
    in_code = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else ENDPOINT_HEADING.match(line.rstrip())
        if match:
            headings.append((match.group(1), match.group(2)))
    return headings


def listing(operations):
    return "\n".join(f"  ### {method} {path}" for method, path in sorted(operations))


@pytest.fixture(scope="module")
def operations():
    return spec_operations(yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def headings():
    return documented_operations(DOC_FILE.read_text(encoding="utf-8"))


def test_the_spec_has_operations_to_compare(operations):
    # Guards the two tests below against passing on an empty or unreadable spec.
    assert ("GET", "/api/v1/products/{product_id}") in operations
    assert len(operations) > 20


def test_every_operation_in_the_spec_has_a_section(operations, headings):
    missing = operations - set(headings)
    assert not missing, (
        f"{DOC_FILE.relative_to(ROOT)} lacks a section for these operations of "
        f"openapi.yaml (add a heading, path spelled as in the spec):\n{listing(missing)}"
    )


def test_every_section_names_an_operation_that_exists(operations, headings):
    unknown = set(headings) - operations - PAGES_OUTSIDE_THE_SPEC
    assert not unknown, (
        f"{DOC_FILE.relative_to(ROOT)} describes operations that openapi.yaml does not "
        f"have (a typo in the method or a path parameter, or a removed endpoint):\n"
        f"{listing(unknown)}"
    )


def test_pages_outside_the_spec_are_documented(headings):
    missing = PAGES_OUTSIDE_THE_SPEC - set(headings)
    assert not missing, f"{DOC_FILE.relative_to(ROOT)} lacks:\n{listing(missing)}"


def test_each_operation_has_one_section(headings):
    repeated = {operation for operation, count in Counter(headings).items() if count > 1}
    assert not repeated, f"more than one section for:\n{listing(repeated)}"


def test_headings_are_read_as_written():
    # The parser itself: endpoint headings count, other headings and code blocks do not.
    markdown = "\n".join([
        "### Authentication (v1)",
        "### GET /api/v1/cart",
        "#### POST /api/v1/orders",
        "```",
        "### DELETE /api/v1/cart",
        "```",
        "### PATCH /api/v1/admin/users/{user_id}",
    ])
    assert documented_operations(markdown) == [
        ("GET", "/api/v1/cart"), ("PATCH", "/api/v1/admin/users/{user_id}")
    ]
