"""Stateful fuzzing: schemathesis follows the spec's OpenAPI links (shopapp/api/links.py).

Where test_schema_fuzz.py sends each operation on its own, here each scenario chains
requests through the links: register → log in with the same (generated) email and password,
create a product → put it in the cart → check out → read, cancel or move the order. Values
are generated from the spec, positive and negative (schema-breaking), so that hostile
strings reach operations that only an earlier answer makes reachable. The checks are those
of test_schema_fuzz.py (no 5xx, documented statuses, bodies matching the spec). The run is
bounded and reproducible (derandomised); the numbers are printed and kept as properties.
"""

import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from sqlalchemy import text

from shopapp.extensions import db
from shopapp.seed import empty_all_tables, seed
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.schema_fuzz import CONFIG, admin_headers, strip_default_responses

SCENARIOS = 80
STEPS_PER_SCENARIO = 10
# Auth is ours (an admin token on every call): schemathesis generates none, so a negative
# case never swaps the token for garbage. Its ignored_auth check would take our token for
# a generated one; test_schema_fuzz.py runs that check on every operation.
STATEFUL_CONFIG = {
    **CONFIG,
    "generation": {**CONFIG["generation"], "mode": "all", "with-security-parameters": False},
    "checks": {**CONFIG["checks"], "ignored_auth": {"enabled": False}},
}


def reseed_from_id_one(app):
    """The seeded store with every id counter back at 1: a replayed scenario then meets the
    same ids, and so the same answers (Hypothesis replays scenarios to shrink and confirm)."""
    with app.app_context():
        empty_all_tables(db.session)
        if db.engine.dialect.name == "postgresql":
            for table in db.metadata.sorted_tables:
                if "id" in table.c:
                    db.session.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                                            "1, false)"), {"table": table.name})
        else:
            db.session.execute(text("DELETE FROM sqlite_sequence"))
        seed(db.session, ADMIN_EMAIL, ADMIN_PASSWORD)
        db.session.remove()


@pytest.fixture
def workflow(app):
    """The app's state machine, with an admin token on every call, counting what it did."""
    spec = strip_default_responses(app.test_client().get("/openapi.json").get_json())
    schema = schemathesis.openapi.from_dict(
        spec, config=SchemathesisConfig.from_dict(STATEFUL_CONFIG))
    schema.app = app
    counts = Counter()

    class Workflow(schema.as_state_machine()):
        def setup(self):
            reseed_from_id_one(app)

        def step(self, input):
            counts["steps"] += 1
            if input.transition is not None and input.is_applied:
                counts[f"link {input.transition.id}"] += 1
            return super().step(input)

        def get_call_kwargs(self, case):
            # A fresh token each time: an earlier step may have reset the store.
            return {"headers": admin_headers(app.test_client())}

        def after_call(self, response, case):
            counts[f"status {response.status_code}"] += 1

    return Workflow, counts


def test_linked_workflows_never_break_the_contract(workflow, request, capsys):
    machine, counts = workflow
    started = time.monotonic()
    machine.run(settings=hypothesis.settings(
        max_examples=SCENARIOS, stateful_step_count=STEPS_PER_SCENARIO, derandomize=True,
        database=None, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)))
    links = {name: count for name, count in counts.items() if name.startswith("link ")}
    statuses = {name: count for name, count in counts.items() if name.startswith("status ")}
    request.node.user_properties.append(("stateful_steps", counts["steps"]))
    with capsys.disabled():
        print(f"\n[{request.node.callspec.id}] stateful: {counts['steps']} steps in "
              f"{time.monotonic() - started:.0f}s; links followed {dict(sorted(links.items()))}; "
              f"{dict(sorted(statuses.items()))}")
    assert counts["steps"] >= SCENARIOS
    assert links, "no scenario followed a link"
    assert counts["status 500"] == 0
