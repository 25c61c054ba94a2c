"""The hostile-input rules as plain functions: text, JSON depth, emails, token subjects."""

import re

import pytest

from shopapp.api.bounded_json import MAX_JSON_DEPTH, exceeds_depth
from shopapp.auth.emails import InvalidEmailError, canonical_email, existing_email, lookup_email
from shopapp.auth.tokens import token_user_id
from shopapp.text_rules import (
    TextRuleError,
    allowed_text_pattern,
    check_text,
    is_ascii_integer,
)

DECOMPOSED_CAFE = "cafe\u0301"  # e + combining acute accent


def test_text_is_normalised_to_nfc():
    assert check_text(DECOMPOSED_CAFE) == "caf\u00e9"


def test_length_is_counted_after_normalisation():
    assert check_text(DECOMPOSED_CAFE, max_length=4) == "caf\u00e9"
    with pytest.raises(TextRuleError, match="maximum length 3"):
        check_text(DECOMPOSED_CAFE, max_length=3)
    with pytest.raises(TextRuleError, match="minimum length 5"):
        check_text(DECOMPOSED_CAFE, min_length=5)


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t"])
def test_control_characters_are_refused_in_one_line_text(control):
    with pytest.raises(TextRuleError, match=f"U\\+{ord(control):04X}"):
        check_text(f"a{control}b")


def test_multiline_text_keeps_newlines_and_tabs_but_not_nul():
    assert check_text("line 1\r\n\tline 2", multiline=True) == "line 1\r\n\tline 2"
    with pytest.raises(TextRuleError):
        check_text("a\x00b", multiline=True)


def test_lone_surrogates_are_refused():
    with pytest.raises(TextRuleError):
        check_text("a\ud800b")


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u202e", "\ufeff", "\u00ad",
                                       "\U000e0041"])
def test_format_characters_are_refused_only_in_identifiers(invisible):
    assert check_text(f"a{invisible}b") == f"a{invisible}b"
    with pytest.raises(TextRuleError, match="invisible"):
        check_text(f"a{invisible}b", identifier=True)


def test_keep_form_checks_without_normalising():
    assert check_text(DECOMPOSED_CAFE, keep_form=True) == DECOMPOSED_CAFE
    with pytest.raises(TextRuleError):
        check_text("a\x00", keep_form=True)


@pytest.mark.parametrize("multiline, identifier", [(False, False), (True, False), (False, True)])
def test_the_documented_pattern_agrees_with_the_rules(multiline, identifier):
    pattern = re.compile(allowed_text_pattern(multiline=multiline, identifier=identifier))
    for code in range(0x10000):
        character = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        try:
            check_text(character, multiline=multiline, identifier=identifier, keep_form=True)
            allowed = True
        except TextRuleError:
            allowed = False
        assert bool(pattern.fullmatch(character)) == allowed, hex(code)


@pytest.mark.parametrize("text, expected", [
    ("42", True), (" -3 ", True), ("0", True),
    ("\u0663", False),  # Arabic-Indic three: int() reads it as 3
    ("\uff13", False),  # full-width three
    ("1_000", False), ("+3", False), ("", False), ("3.0", False),
])
def test_integers_are_ascii_digits_only(text, expected):
    assert is_ascii_integer(text) is expected


def nested(depth):
    return "[" * depth + "]" * depth


def test_json_depth_limit():
    assert not exceeds_depth(nested(MAX_JSON_DEPTH))
    assert exceeds_depth(nested(MAX_JSON_DEPTH + 1))
    assert exceeds_depth(nested(100_000).encode())
    assert exceeds_depth('{"a":' * 65 + "1" + "}" * 65)


def test_brackets_inside_strings_do_not_count():
    in_a_string = '{"text": "' + "[" * 1000 + '"}'
    assert not exceeds_depth(in_a_string)
    escaped_quote = '{"text": "\\"' + "[" * 1000 + '"}'
    assert not exceeds_depth(escaped_quote)
    many_flat = "[" + ",".join(["[]"] * 1000) + "]"
    assert not exceeds_depth(many_flat)


@pytest.mark.parametrize("variant", [
    "user@example.com", "USER@Example.COM", "  user@example.com ", "User@EXAMPLE.com",
])
def test_email_variants_have_one_canonical_form(variant):
    assert canonical_email(variant) == "user@example.com"


def test_unicode_forms_of_an_email_are_one():
    assert canonical_email("jos\u00e9@example.com") == canonical_email("jose\u0301@example.com")
    assert canonical_email("STRASSE@example.com") == canonical_email("stra\u00dfe@example.com")


@pytest.mark.parametrize("bad", [
    "not-an-email", "user@example.com\u200b", "us\u200ber@example.com", "user\x00@example.com",
    "user@exa mple.com", "@example.com", "user@", "user@example.invalid",
])
def test_invalid_or_invisible_emails_are_refused(bad):
    with pytest.raises(InvalidEmailError):
        canonical_email(bad)


def test_lookup_accepts_what_no_longer_validates():
    assert lookup_email(" Old@Example.COM ") == "old@example.com"
    assert lookup_email("Legacy@host invalid") == "legacy@host invalid"


def test_existing_emails_lose_their_invisible_characters():
    assert existing_email("User@example.com\u200b") == "user@example.com"


@pytest.mark.parametrize("subject, expected", [
    ("1", 1), ("2147483647", 2147483647),
    ("0", None), ("-1", None), ("2147483648", None), (str(2**70), None), ("abc", None),
    ("\u0663", None), ("01", None), (" 1", None), (1, None), (None, None),
])
def test_token_subject_must_be_a_user_id_in_range(subject, expected):
    assert token_user_id({"sub": subject}) == expected
