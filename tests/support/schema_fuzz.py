"""What the two schemathesis runs (tests/api/test_schema_fuzz.py, test_stateful_fuzz.py)
share: the bounded, reproducible config, the spec without its ``default`` responses, and a
fresh admin token per case."""

from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD

MAX_EXAMPLES = 25
SEED = 20261126

CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "checks": {
        # Business rules answer 400 to schema-valid input (empty cart, not enough stock,
        # duplicate email, last admin): that is the contract (API.md), not a rejected schema.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "403", "404", "409"],
        },
        # The contract asks for lenient input: numeric strings for numbers and money,
        # unknown fields ignored, marshmallow's booleans (0/1, "true"). Schema-invalid
        # input that is coerced is therefore not a failure; the other checks still run on
        # every negative case (no 5xx, documented status, error body shape).
        "negative_data_rejection": {"enabled": False},
    },
}


def strip_default_responses(spec):
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].pop("default", None)
    return spec


def admin_headers(client):
    """A fresh admin token: earlier cases may have logged out or reset the store."""
    response = client.post(
        "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}
