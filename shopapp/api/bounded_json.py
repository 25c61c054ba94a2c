"""Bounded JSON: a body nested deeper than MAX_JSON_DEPTH is refused before it is parsed.

The parsers recurse once per level (the standard library until RecursionError), so a
10,000-deep body was a 500. The check never recurses and stays linear in the body's size:
escapes are dropped, then strings (a bracket inside a string is text), then brackets are
counted. Each regular expression matches in one way only, so none can backtrack.
"""

import re

from flask_smorest import abort

MAX_JSON_DEPTH = 64
TOO_DEEP = f"The JSON body is nested too deeply (more than {MAX_JSON_DEPTH} levels)."
ESCAPE = re.compile(rb"\\.", re.DOTALL)
STRING = re.compile(rb'"[^"]*"')
NOT_A_BRACKET = bytes(set(range(256)) - set(b"[]{}"))
OPENING = frozenset(b"[{")


def as_bytes(body):
    return body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body


def exceeds_depth(body, limit=MAX_JSON_DEPTH):
    """True when ``body`` (bytes or str) nests arrays and objects deeper than ``limit``."""
    body = as_bytes(body)
    # Fewer brackets than the limit cannot nest deeper than it: the common case is free.
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = STRING.sub(b"", ESCAPE.sub(b"", body)).translate(None, NOT_A_BRACKET)
    depth = 0
    for bracket in brackets:
        depth += 1 if bracket in OPENING else -1
        if depth > limit:
            return True
    return False


def reject_deep_json(body, limit=MAX_JSON_DEPTH):
    """Answer 400 (with a detail) when ``body`` nests deeper than ``limit``."""
    if exceeds_depth(body, limit):
        abort(400, message=TOO_DEEP)
