"""The vanilla-JS storefront in static/, served by the app itself at the site root."""

import os
from pathlib import Path

from flask import redirect
from werkzeug.routing import PathConverter

SOURCE_TREE = Path(__file__).resolve().parents[2]


def static_folder():
    """The storefront: SHOP_STATIC_FOLDER, else static/ beside the package (source tree)."""
    configured = os.environ.get("SHOP_STATIC_FOLDER")
    return Path(configured) if configured else SOURCE_TREE / "static"


class StorefrontPath(PathConverter):
    """A storefront file path: anything but ``api/...``, so unknown API paths stay 404s and
    wrong methods on API paths stay 405s instead of falling into a catch-all GET rule."""

    regex = r"(?!api/)[^/].*?"


def register_storefront(app):
    """Serve static/ at the site root: index.html at ``/``, every other file by its path."""
    app.static_folder = str(static_folder())
    app.url_map.converters["storefront_path"] = StorefrontPath
    app.add_url_rule("/<storefront_path:filename>", endpoint="static",
                     view_func=app.send_static_file)

    @app.get("/")
    def storefront():
        return app.send_static_file("index.html")

    # /docs/ and /redoc/, as people type them, lead to the pages at /docs and /redoc.
    for page in (app.config["OPENAPI_SWAGGER_UI_PATH"], app.config["OPENAPI_REDOC_PATH"]):
        target = "/" + page.strip("/")
        app.add_url_rule(f"{target}/", endpoint=f"{page.strip('/')}_with_slash",
                         view_func=redirect_view(target))


def redirect_view(target):
    """A named view (the request log reads views' names) answering 301 to ``target``."""

    def redirect_to_page():
        return redirect(target, 301)

    return redirect_to_page
