"""WSGI entry point: ``waitress-serve --listen=0.0.0.0:8000 wsgi:app`` (or ``shop serve``).

Like ``shop serve``, it brings the database to the migration head (and seeds it) before
serving, under a lock that is safe when several processes start at once; with
MIGRATE_ON_START=false it leaves that to ``shop init-db`` and answers 503 until then.
"""

from shopapp import create_app
from shopapp.readiness import prepare_on_start

app = create_app()
prepare_on_start(app)
