"""URL converters: path ids are ASCII digits, like every other number the API reads."""

from werkzeug.routing import IntegerConverter


class AsciiIntegerConverter(IntegerConverter):
    """Werkzeug's ``int`` converter matches ``\\d``, which in Python also takes "٣"."""

    regex = r"[0-9]+"


def install_path_converters(app):
    """Replace ``int`` before any route is registered (the spec still says integer)."""
    app.url_map.converters["int"] = AsciiIntegerConverter
