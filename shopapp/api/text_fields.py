"""The one way text enters the API: marshmallow fields applying ``shopapp.text_rules``.

Every string a client sends (JSON fields, query parameters, headers) is loaded through
``Text`` or one of its kinds, so every field gets the same rules and a violation is a 422
naming the field. Each field declares its maximum length, counted after normalisation
(and documented as ``maxLength``).
"""

from marshmallow import ValidationError, fields, validate

from ..text_rules import TextRuleError, check_text


class Text(fields.String):
    """Client text: NFC, no control characters (newlines and tabs only when ``multiline``)."""

    identifier = False  # refuse format characters too
    keep_form = False  # check, but do not normalise

    def __init__(self, *, max_length, min_length=None, multiline=False, **kwargs):
        self.max_length = max_length
        self.min_length = min_length
        self.multiline = multiline
        # Documents the bounds in the spec (_deserialize has already enforced them).
        kwargs["validate"] = [validate.Length(min=min_length, max=max_length),
                              *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return check_text(text, multiline=self.multiline, identifier=self.identifier,
                              min_length=self.min_length, max_length=self.max_length,
                              keep_form=self.keep_form)
        except TextRuleError as error:
            raise ValidationError(str(error)) from None


class Identifier(Text):
    """Text that tells things apart (emails, keys): format characters are refused too,
    so that two values that look the same are the same."""

    identifier = True


class Password(Text):
    """A password: control characters are refused as anywhere else, but the text is kept
    as typed (not normalised), so hashes made before these rules still match."""

    keep_form = True


def _as_list(validators):
    if validators is None:
        return []
    return list(validators) if isinstance(validators, list | tuple) else [validators]
