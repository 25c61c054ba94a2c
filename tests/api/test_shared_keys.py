"""Processes on one database share generated signing keys (issue 12): no instance file,
no extra step, and a key from the environment still wins."""

import json

from shopapp.extensions import db
from shopapp.models import SharedSetting
from shopapp.signing_keys import KEYS_FILE, SETTING_PREFIX
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD

NO_KEYS = {"SECRET_KEY": None, "JWT_SECRET_KEY": None}


def admin_token(client):
    response = client.post("/api/v1/auth/login",
                           json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def test_apps_with_different_instance_folders_accept_each_others_tokens(app, app_factory,
                                                                         tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    first = app_factory(url, tmp_path / "machine-a", **NO_KEYS)
    second = app_factory(url, tmp_path / "machine-b", **NO_KEYS)
    assert first.config["JWT_SECRET_KEY"] is None  # nothing before the schema is ready
    headers = admin_token(first.test_client())
    me = second.test_client().get("/api/v1/users/me", headers=headers)
    assert me.status_code == 200, me.json
    assert me.json["email"] == ADMIN_EMAIL
    back = first.test_client().get("/api/v1/users/me",
                                   headers=admin_token(second.test_client()))
    assert back.status_code == 200
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        assert first.config[name] == second.config[name]
        assert len(first.config[name]) >= 32
    assert not (tmp_path / "machine-a" / KEYS_FILE).exists()
    assert not (tmp_path / "machine-b" / KEYS_FILE).exists()


def test_a_key_from_the_environment_wins_over_the_stored_one(app, app_factory):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    stored = app_factory(url, **NO_KEYS)
    own = app_factory(url, JWT_SECRET_KEY="an-operator-key-0123456789abcdef0123")
    headers = admin_token(stored.test_client())
    assert own.test_client().get("/api/v1/users/me", headers=headers).status_code == 401
    assert own.config["JWT_SECRET_KEY"] == "an-operator-key-0123456789abcdef0123"


def test_keys_of_an_old_instance_file_are_carried_into_the_database(app, app_factory, tmp_path):
    with app.app_context():  # as on a database that never stored keys
        db.session.query(SharedSetting).filter(
            SharedSetting.name.startswith(SETTING_PREFIX)).delete(synchronize_session=False)
        db.session.commit()
    instance = tmp_path / "old-machine"
    instance.mkdir()
    old_keys = {"SECRET_KEY": "old-secret-" + "s" * 40, "JWT_SECRET_KEY": "old-jwt-" + "j" * 40}
    (instance / KEYS_FILE).write_text(json.dumps(old_keys))
    upgraded = app_factory(app.config["SQLALCHEMY_DATABASE_URI"], instance, **NO_KEYS)
    fresh = app_factory(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "new-machine", **NO_KEYS)
    admin_token(upgraded.test_client())
    admin_token(fresh.test_client())
    assert upgraded.config["JWT_SECRET_KEY"] == old_keys["JWT_SECRET_KEY"]
    assert fresh.config["JWT_SECRET_KEY"] == old_keys["JWT_SECRET_KEY"]
