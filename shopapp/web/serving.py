"""Waitress, with its connections kept open after answers that have no body.

Waitress (3.0) closes the connection after every response that carries no
Content-Length, and it drops that header from 204 and 304 answers, so each 304 (a
catalog revalidated with If-None-Match) and each 204 (a DELETE) costs the client a new
TCP connection and the server a new channel. Those answers have no body by definition
(RFC 9112, section 6.3), so the connection can stay open; ``serve`` below does that and is
otherwise ``waitress.serve``. HTTP/1.0 clients and ``Connection: close`` are unchanged.

Cost: waitress has no public setting for this, so the adapter below subclasses its task
and channel and passes ``waitress.serve``'s ``_server`` argument. It is worth it because a
reconnect per 304 costs more than the 304 itself (docs/PERFORMANCE.md);
tests/unit/test_library_hooks.py fails loudly if a waitress release moves these hooks.
"""

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask


class KeepAliveTask(WSGITask):
    _bodyless_keep_alive = False

    def build_response_header(self):
        # Within this call waitress would close only for the missing Content-Length.
        self._bodyless_keep_alive = (
            not self.has_body
            and self.version == "1.1"
            and self.request.headers.get("CONNECTION", "").lower() != "close"
        )
        try:
            return super().build_response_header()
        finally:
            self._bodyless_keep_alive = False

    def set_close_on_finish(self):
        if not self._bodyless_keep_alive:
            super().set_close_on_finish()


class KeepAliveChannel(HTTPChannel):
    task_class = KeepAliveTask


def create_keep_alive_server(app, **kwargs):
    socket_map = kwargs.pop("map", None)
    socket_map = {} if socket_map is None else socket_map
    server = create_server(app, map=socket_map, **kwargs)
    # Every listening socket is a server in the map (several with several addresses).
    for listener in {server, *socket_map.values()}:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = KeepAliveChannel
    return server


def serve(app, **kwargs):
    """``waitress.serve`` that keeps connections open after 204 and 304 answers."""
    waitress.serve(app, _server=create_keep_alive_server, **kwargs)
