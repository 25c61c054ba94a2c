"""Emails that identify one person: one canonical form per address, stored and looked up.

An address is validated by ``email-validator`` (syntax only: no DNS at run time; domains
without a dot and ``.test`` pass, other special-use names such as ``.invalid`` do not) and kept
in its canonical form: the library's normalisation (domain lower-cased and in Unicode,
local part NFC), then case-folded. Two addresses told apart only by case, Unicode form,
surrounding spaces or invisible characters thus have one form, and the unique index on
``users.email`` makes it one account, whoever registers first.
"""

import unicodedata

from email_validator import EmailNotValidError, validate_email

from ..text_rules import TextRuleError, check_text, normalise

MAX_EMAIL_LENGTH = 254


class InvalidEmailError(ValueError):
    """Not an address the shop accepts; the message says why, for the client."""


def canonical_email(text):
    """The stored form of the address ``text``, or InvalidEmailError."""
    try:
        text = check_text(text.strip(), identifier=True, max_length=MAX_EMAIL_LENGTH)
        address = validate_email(text, check_deliverability=False, globally_deliverable=False,
                                 test_environment=True).normalized
    except (TextRuleError, EmailNotValidError) as error:
        raise InvalidEmailError(str(error)) from None
    return normalise(address.casefold())


def lookup_email(text):
    """The form to look ``text`` up by: canonical when valid; otherwise still case-folded
    and normalised (an address stored before these rules may not validate any more)."""
    try:
        return canonical_email(text)
    except InvalidEmailError:
        return normalise(text.strip().casefold())


def existing_email(text):
    """The canonical form of an address stored before these rules: invisible characters
    dropped first (what the migration to canonical emails stores)."""
    visible = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc"))
    return lookup_email(visible)
