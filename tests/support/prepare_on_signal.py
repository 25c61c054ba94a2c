"""Build the app, wait until a file appears, then prepare the database (migrate + seed).

Several of these, released by one file, reach ``prepare_database`` within milliseconds of
each other: the start-up race of replicas, without the seconds of import time that
otherwise spread real server starts apart. Usage: ``python prepare_on_signal.py GO_FILE``
with DATABASE_URL and SHOP_INSTANCE_PATH set.
"""

import sys
import time
from pathlib import Path

from shopapp import create_app
from shopapp.readiness import prepare_database

if __name__ == "__main__":
    go = Path(sys.argv[1])
    app = create_app()
    with app.app_context():
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        prepare_database(seed_demo=True)
    print("prepared")
