"""Headers that mean what they say: 415 for bodies that are not JSON, and the docs pages
found with or without a trailing slash (Retry-After only on 429: tests/api/test_limits.py)."""

import pytest

LOGIN = "/api/v1/auth/login"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain",
                                          "multipart/form-data; boundary=x", None])
def test_a_body_that_is_not_json_is_415_naming_the_type(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(LOGIN, data='{"email": "a@example.com", "password": "x"}',
                           headers=headers)
    assert response.status_code == 415
    assert "application/json" in response.json["detail"]
    assert response.json["status"] == 415


def test_json_with_a_charset_or_a_json_suffix_is_still_json(client):
    body = '{"email": "admin@example.com", "password": "admin123"}'
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = client.post(LOGIN, data=body, headers={"Content-Type": content_type})
        assert response.status_code == 200, (content_type, response.json)


def test_no_body_at_all_is_still_a_422_naming_the_fields(client):
    response = client.post(LOGIN)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"email", "password"}


@pytest.mark.parametrize(("typed", "page"), [("/docs/", "/docs"), ("/redoc/", "/redoc")])
def test_docs_pages_with_a_trailing_slash_redirect(client, typed, page):
    response = client.get(typed)
    assert response.status_code == 301
    assert response.headers["Location"] == page
    assert client.get(page).status_code == 200
