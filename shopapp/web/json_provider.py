"""orjson behind Flask's JSON provider: the same JSON as Flask's default, encoded faster.

Encoding every response body is a measurable share of a request (docs/PERFORMANCE.md).
Output stays equivalent to Flask's ``DefaultJSONProvider``: dates, ``Decimal``, UUIDs and
dataclasses go through Flask's own ``default``; key order is kept unless ``sort_keys``;
compact unless debug. Whatever orjson cannot do exactly (integers beyond 64 bits, extra
``json.dumps`` arguments, documents it rejects but the standard library accepts) falls
back to the standard library, so nothing that worked before fails now. One visible
difference: non-ASCII text is sent as UTF-8 instead of ``\\u`` escapes (the same JSON).

Without orjson installed, the app keeps Flask's default provider.
"""

from flask.json.provider import DefaultJSONProvider

from ..api.bounded_json import reject_deep_json

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is an optional speed-up
    orjson = None

BASE_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME  # Flask's default: HTTP dates, as before
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_NON_STR_KEYS
    if orjson else 0
)
HONOURED_ARGUMENTS = {"indent", "separators", "sort_keys"}


def response_object(args, kwargs):
    """What ``jsonify(*args, **kwargs)`` serialises, by the rule Flask documents for
    ``JSONProvider.response`` (written out here rather than calling Flask's private
    ``_prepare_response_obj``)."""
    if args and kwargs:
        raise TypeError("app.json.response() takes either args or kwargs, not both")
    if not args and not kwargs:
        return None
    if len(args) == 1:
        return args[0]
    return args or kwargs


class OrjsonProvider(DefaultJSONProvider):
    def _options(self, indent=None, sort_keys=None):
        options = BASE_OPTIONS
        if indent:
            options |= orjson.OPT_INDENT_2
        if self.sort_keys if sort_keys is None else sort_keys:
            options |= orjson.OPT_SORT_KEYS
        return options

    def _encode(self, obj, kwargs, newline=False):
        """orjson bytes, or None when only the standard library can do it exactly."""
        if not HONOURED_ARGUMENTS.issuperset(kwargs):
            return None
        options = self._options(kwargs.get("indent"), kwargs.get("sort_keys"))
        if newline:
            options |= orjson.OPT_APPEND_NEWLINE
        try:
            return orjson.dumps(obj, default=self.default, option=options)
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            return None

    def dumps(self, obj, **kwargs):
        encoded = self._encode(obj, kwargs)
        return encoded.decode() if encoded is not None else super().dumps(obj, **kwargs)

    def loads(self, s, **kwargs):
        reject_deep_json(s)  # request.get_json() too: the fallback below would recurse
        if not kwargs:
            try:
                return orjson.loads(s)
            except orjson.JSONDecodeError:
                pass  # e.g. NaN or huge integers: the standard library decides
        return super().loads(s, **kwargs)

    def response(self, *args, **kwargs):
        obj = response_object(args, kwargs)
        debug_layout = (self.compact is None and self._app.debug) or self.compact is False
        encoded = self._encode(obj, {"indent": 2} if debug_layout else {}, newline=True)
        if encoded is None:
            return super().response(obj)
        return self._app.response_class(encoded, mimetype=self.mimetype)


def install_json_provider(app):
    """Use orjson for every JSON body when it is installed."""
    if orjson is not None:
        app.json = OrjsonProvider(app)
