"""OpenAPI links: which answer feeds which next request (register → login, a new product
→ the cart, a cart line → checkout, an order → its page).

They document the workflows for client authors and let schemathesis' stateful mode chain
real requests (tests/api/test_stateful_fuzz.py). Used as ``@blp.doc(**links(201, ...))``.
"""


def operation_ref(path, method):
    """A JSON pointer to an operation of this spec (``/`` escaped as ``~1``)."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def link(path, method, description, parameters=None, request_body=None):
    target = {"operationRef": operation_ref(path, method), "description": description}
    if parameters:
        target["parameters"] = parameters
    if request_body is not None:
        target["requestBody"] = request_body
    return target


def links(status, **named_links):
    """The ``doc`` keywords adding ``named_links`` to the ``status`` response."""
    return {"responses": {status: {"links": named_links}}}


def id_link(path, method, description, parameter):
    """A link passing the new resource's ``id`` as the path parameter ``parameter``."""
    return link(path, method, description, parameters={parameter: "$response.body#/id"})
