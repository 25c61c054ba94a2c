"""The test accounts: the seeded admin's credentials (one copy for every test), and how a
test logs in to a live server."""

import requests

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin123"


def login_headers(api_url, email, password):
    """Bearer headers for ``email`` from the server at ``api_url`` (``.../api/v1``); fails
    the test when the login is refused."""
    response = requests.post(
        api_url + "/auth/login", json={"email": email, "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
