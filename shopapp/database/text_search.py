"""Case-insensitive substring search that treats ``%``, ``_`` and ``\\`` as plain text."""

ESCAPE = "\\"


def contains_pattern(text):
    """The LIKE pattern matching any value that contains ``text`` literally."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def contains_text(column, text):
    """``column`` contains ``text``, ignoring case (ILIKE on PostgreSQL, LIKE on SQLite)."""
    return column.ilike(contains_pattern(text), escape=ESCAPE)
