"""Shop apps for tests: the test config plus overrides, the seed, and letting go of them.

tests/conftest.py builds its ``app_factory`` fixtures (and ``app``) on ``AppFactory``;
tests take apps from those fixtures rather than calling ``create_app`` themselves.
"""

import itertools

from shopapp import create_app
from shopapp.extensions import db
from shopapp.seed import empty_all_tables, seed
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD


def reseed(app):
    """Empty every table of the app's database and put the seed back."""
    with app.app_context():
        empty_all_tables(db.session)
        seed(db.session, ADMIN_EMAIL, ADMIN_PASSWORD)


def dispose(app):
    """Close the app's session and every pooled connection it holds."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class AppFactory:
    """Makes apps on the test config with overrides, and disposes of all it made.

    ``factory(database_url, instance_path=None, **overrides)``: each app gets its own
    instance folder below ``folder`` unless ``instance_path`` names one.
    """

    def __init__(self, folder):
        self.folder = folder
        self.apps = []
        self._numbers = itertools.count()

    def __call__(self, database_url, instance_path=None, **overrides):
        if instance_path is None:
            instance_path = self.folder / f"instance-{next(self._numbers)}"
        app = create_app({
            "ENV_NAME": "testing",
            "INSTANCE_PATH": str(instance_path),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ADMIN_EMAIL": ADMIN_EMAIL,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            **overrides,
        })
        self.apps.append(app)
        return app

    def reseed_database(self, database_url):
        """Put a database other tests share back to the seed, and let go of it at once:
        servers use it next."""
        app = self(database_url)
        reseed(app)
        self.dispose(app)

    def dispose(self, app):
        """Let go of one app before the rest (say, before its database is dropped)."""
        self.apps.remove(app)
        dispose(app)

    def dispose_all(self):
        while self.apps:
            dispose(self.apps.pop())
