"""How the shop's marshmallow fields and validators appear in the OpenAPI spec.

apispec attribute functions (``function(converter, field, ret) -> dict`` of extra
properties), registered on every spec by ``extensions.Api``. They only change the
documentation, never what a schema loads or dumps.
"""

from marshmallow import validate

from ..text_rules import allowed_text_pattern
from .fields import Money
from .text_fields import Text

# Money strings: always two places in responses; requests may also send 5, 5.5 or .5.
AMOUNT_PATTERN = r"^\d+\.\d{2}$"
POSITIVE_AMOUNT_PATTERN = r"^([1-9]\d{0,7}(\.\d{1,2})?|0?\.(0[1-9]|[1-9]\d?))$"


def money2properties(converter, field, ret, **kwargs):
    """Money: ``anyOf: [string, number]`` instead of apispec's ``type: number``.

    Responses carry a two-place string and requests accept a number or a numeric string.
    apispec would also render the Range bounds as strings (invalid for ``minimum``), so
    the bounds move, as numbers, onto the number branch.
    """
    if not isinstance(field, Money):
        return {}
    # More than two decimals is refused (fields.Money), so numbers are whole cents.
    number = {"type": "number", "multipleOf": 0.01}
    for bound in ("minimum", "maximum"):
        if bound in ret:
            number[bound] = float(ret.pop(bound))
    ret.pop("type", None)
    positive = number.get("minimum", 0) > 0
    string = {"type": "string", "pattern": POSITIVE_AMOUNT_PATTERN if positive else AMOUNT_PATTERN}
    return {"anyOf": [string, number]}


def none_of2properties(converter, field, ret, **kwargs):
    """NoneOf validators (e.g. a stock delta that must not be zero): ``not: {enum: [...]}``."""
    forbidden = [
        value
        for validator in field.validators
        if isinstance(validator, validate.NoneOf)
        for value in validator.iterable
    ]
    return {"not": {"enum": forbidden}} if forbidden else {}


def text2properties(converter, field, ret, **kwargs):
    """Text: a ``pattern`` that leaves out the characters the field refuses (text_rules);
    an enum or a format (email) says more already."""
    if not isinstance(field, Text) or "enum" in ret or "format" in ret:
        return {}
    return {"pattern": allowed_text_pattern(multiline=field.multiline,
                                            identifier=field.identifier)}


ATTRIBUTE_FUNCTIONS = (money2properties, none_of2properties, text2properties)
