"""The two private library hooks the shop keeps, each behind one small adapter; these
tests fail loudly when a library release moves what the adapter relies on.

- shopapp/auth/token_cache.py overrides flask-jwt-extended's
  ``JWTManager._decode_jwt_from_config`` (a verified-token cache: "me" ~25 % faster).
- shopapp/web/serving.py subclasses waitress's ``WSGITask`` and ``HTTPChannel`` (keep-alive
  after 204/304: no new TCP connection per revalidated catalog).
"""

import inspect

import flask_jwt_extended.utils
import waitress
from flask_jwt_extended import JWTManager
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import Task, WSGITask

from shopapp.auth.token_cache import CachingJWTManager
from shopapp.web.serving import KeepAliveChannel, KeepAliveTask


def parameters(function):
    return list(inspect.signature(function).parameters)


def test_flask_jwt_extended_still_decodes_through_the_overridden_method():
    assert parameters(JWTManager._decode_jwt_from_config) == \
        ["self", "encoded_token", "csrf_value", "allow_expired"]
    # Every verification path goes through decode_token, which calls the hook.
    assert "jwt_manager._decode_jwt_from_config(" in inspect.getsource(
        flask_jwt_extended.utils.decode_token)
    assert issubclass(CachingJWTManager, JWTManager)


def test_waitress_still_has_the_task_hooks_the_keep_alive_server_overrides():
    assert HTTPChannel.task_class is WSGITask
    assert issubclass(KeepAliveChannel, HTTPChannel)
    assert KeepAliveChannel.task_class is KeepAliveTask
    assert parameters(Task.build_response_header) == ["self"]
    assert parameters(Task.set_close_on_finish) == ["self"]
    assert isinstance(inspect.getattr_static(Task, "has_body"), property)
    # build_response_header closes through set_close_on_finish, the call we intercept.
    assert "self.set_close_on_finish()" in inspect.getsource(Task.build_response_header)
    assert "channel_class" in vars(BaseWSGIServer) or hasattr(BaseWSGIServer, "channel_class")
    assert '"_server"' in inspect.getsource(waitress.serve)
