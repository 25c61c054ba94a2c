"""WSGI entry point: ``waitress-serve --listen=0.0.0.0:8000 wsgi:app`` (or ``shop serve``)."""

from shopapp import create_app

app = create_app()
