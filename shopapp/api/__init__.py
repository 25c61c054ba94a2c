"""The HTTP API's plumbing: the shop's flask-smorest classes and what every resource shares.

``smorest``: ``Api`` (every HTTP error in the one error shape, the error schema, how our
fields are documented), ``Blueprint`` and the base ``Schema``. ``fields``: money, whole
numbers and timestamps as the API reads and writes them. ``pagination``: the optional
``page``/``page_size`` query and its ``X-Pagination`` header. ``apidoc``: how our fields
and validators appear in the OpenAPI spec. Resources import from here, never the reverse.
"""

from .smorest import Api, Blueprint, Schema

__all__ = ["Api", "Blueprint", "Schema"]
