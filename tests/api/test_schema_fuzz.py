"""Schema fuzzing: schemathesis drives every operation of the app's own spec, in-process.

Every generated case is sent with a freshly issued admin token, so admin operations are
exercised beyond 401 (schemathesis' ``ignored_auth`` check still replays each protected
operation without a token and expects a 401). The checks: no 5xx, every status documented,
content types, bodies and headers matching the spec, 405 for undeclared methods.

The spec's ``default`` error response is stripped before fuzzing, so a status counts as
documented only when the operation lists it. The run is bounded (MAX_EXAMPLES per operation,
plus schemathesis' examples and coverage phases) and reproducible: a fixed seed and
derandomised Hypothesis, without an example database (CONFIG, shared with the stateful run
in tests/support/schema_fuzz.py). The number of cases is printed (and stored as the
``schemathesis_cases`` property of the test in a JUnit report).
"""

import time
from collections import Counter

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from tests.support.schema_fuzz import CONFIG, admin_headers, strip_default_responses


@pytest.fixture
def fuzzed_api(app):
    spec = strip_default_responses(app.test_client().get("/openapi.json").get_json())
    schema = schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_dict(CONFIG))
    schema.app = app
    return schema


class Tally:
    """Cases per operation, and how many got past authentication."""

    def __init__(self):
        self.cases = Counter()
        self.past_auth = Counter()
        self.statuses = Counter()

    def record(self, case, response):
        self.cases[case.operation.label] += 1
        self.statuses[response.status_code] += 1
        if response.status_code not in (401, 403):
            self.past_auth[case.operation.label] += 1

    def summary(self, elapsed):
        return (f"schemathesis: {sum(self.cases.values())} cases over {len(self.cases)}"
                f" operations in {elapsed:.0f}s; statuses {dict(sorted(self.statuses.items()))}")


@pytest.fixture
def tally(fuzzed_api, request, capsys):
    tally = Tally()
    started = time.monotonic()
    yield tally
    request.node.user_properties.append(("schemathesis_cases", sum(tally.cases.values())))
    with capsys.disabled():
        print(f"\n[{request.node.callspec.id}] {tally.summary(time.monotonic() - started)}")
    operations = {result.ok().label for result in fuzzed_api.get_all_operations()}
    assert set(tally.cases) == operations, "some operations were never fuzzed"
    assert set(tally.past_auth) == operations, "some operations only ever answered 401/403"


schema = schemathesis.pytest.from_fixture("fuzzed_api")


@schema.parametrize()
def test_api_conforms_to_its_spec(case, app, tally):
    headers = admin_headers(app.test_client())
    response = case.call(headers=headers)
    tally.record(case, response)
    case.validate_response(response, headers=headers)
