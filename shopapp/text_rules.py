"""The rules every piece of text from a client obeys, as plain functions.

One set of rules, whatever the field: Unicode NFC normalisation (so that one visible string
has one stored form); no control characters (category Cc: NUL, escapes, ...), except that
a multi-line field keeps newlines and tabs; no lone surrogates (they cannot be stored as
UTF-8); no format characters (category Cf: zero-width spaces, direction marks) in
identifiers, where invisible differences would make two identical-looking values; lengths
counted after normalisation. NUL is the case that matters most: PostgreSQL refuses it in
text, SQLite keeps it, so without this rule the two databases disagree.
"""

import re
import unicodedata
from functools import cache

MULTILINE_CONTROLS = frozenset("\n\r\t")
# The only digits a number may be written with: str.isdigit() and int() also take "٣".
ASCII_INTEGER = re.compile(r"-?[0-9]+")


class TextRuleError(ValueError):
    """Text breaking a rule; the message says which, for the client."""


def normalise(text):
    """The NFC form of ``text``: composed characters, as most keyboards type them."""
    return unicodedata.normalize("NFC", text)


def describe(character):
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def forbidden_character(text, *, multiline=False, identifier=False):
    """The first character of ``text`` the rules forbid, or None."""
    for character in text:
        category = unicodedata.category(character)
        if category == "Cc" and not (multiline and character in MULTILINE_CONTROLS):
            return character
        if category == "Cs" or (identifier and category == "Cf"):
            return character
    return None


def check_text(text, *, multiline=False, identifier=False, min_length=None, max_length=None,
               keep_form=False):
    """``text`` normalised to NFC (as given with ``keep_form``), or TextRuleError naming
    the first rule it breaks."""
    if not keep_form:
        text = normalise(text)
    character = forbidden_character(text, multiline=multiline, identifier=identifier)
    if character is not None:
        kind = "invisible or control" if identifier else "control"
        raise TextRuleError(f"Must not contain {kind} characters (found {describe(character)}).")
    if max_length is not None and len(text) > max_length:
        raise TextRuleError(f"Longer than maximum length {max_length}.")
    if min_length is not None and len(text) < min_length:
        raise TextRuleError(f"Shorter than minimum length {min_length}.")
    return text


def is_ascii_integer(text):
    """True for an integer written with ASCII digits ("42", " -3 "), never "٣"."""
    return ASCII_INTEGER.fullmatch(text.strip()) is not None


@cache
def special_characters():
    """Every control and format character of the Basic Multilingual Plane."""
    return tuple(chr(code) for code in range(0x10000)
                 if unicodedata.category(chr(code)) in ("Cc", "Cf"))


@cache
def allowed_text_pattern(*, multiline=False, identifier=False):
    """A regular expression (JSON Schema ``pattern``) matching the text the rules allow,
    within the Basic Multilingual Plane: the spec says what the server enforces, so that
    generated clients and fuzzers know."""
    # Only the Basic Multilingual Plane, without surrogates: schemathesis' regular
    # expression engine refuses the rest (the server still refuses those characters).
    forbidden = [ord(character) for character in special_characters()
                 if forbidden_character(character, multiline=multiline, identifier=identifier)]
    return f"^[^{''.join(_class_range(low, high) for low, high in _ranges(forbidden))}]*$"


def _ranges(codes):
    start = previous = codes[0]
    for code in codes[1:]:
        if code != previous + 1:
            yield start, previous
            start = code
        previous = code
    yield start, previous


def _class_range(low, high):
    return f"\\u{low:04X}" if low == high else f"\\u{low:04X}-\\u{high:04X}"
