"""Marshmallow fields shared by several resources."""

from decimal import Decimal, InvalidOperation

from marshmallow import fields, validate

from ..text_rules import is_ascii_integer

MAX_MONEY = Decimal("99999999.99")  # Numeric(10, 2)
CENT = Decimal("0.01")
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


class Money(fields.Decimal):
    """Exact money: dumped as a two-place string ("250.00"), loaded from a number or string."""

    default_error_messages = {"cents": "Use at most two decimal places."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "250.00")
        super().__init__(places=2, as_string=True, allow_nan=False, **kwargs)

    def _validated(self, value):
        # Decimal() also reads digits of other scripts ("٣"): numbers are ASCII only.
        if isinstance(value, str) and not value.isascii():
            raise self.make_error("invalid")
        # Money is exact: 1.999 is a mistake to report, not a value to round away.
        try:
            raw = Decimal(str(value))
            too_precise = raw.is_finite() and raw != raw.quantize(CENT)
        except (InvalidOperation, ValueError):
            too_precise = False  # the parent reports it as not a number / out of range
        if too_precise:
            raise self.make_error("cents")
        return super()._validated(value)


def positive_money():
    return validate.Range(
        min=Decimal("0.01"), max=MAX_MONEY, error="Must be between 0.01 and 99999999.99."
    )


class IsoDateTime(fields.DateTime):
    """A timestamp as ISO 8601 with its offset (the models store them in UTC, through the
    column type ``models.UTCDateTime``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "2026-11-26T12:00:00+00:00")
        super().__init__(format="iso", **kwargs)


class WholeNumber(fields.Integer):
    """An integer that also accepts "3" and 3.0, but never silently truncates 1.5 or True,
    nor reads digits other than ASCII ("٣")."""

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        if isinstance(value, str) and not is_ascii_integer(value):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)
