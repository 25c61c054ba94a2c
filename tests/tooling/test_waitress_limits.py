"""The waitress limits for slow and idle clients come from the config and reach waitress."""

from unittest import mock

from shopapp.web import serving

LIMITS = {"WAITRESS_CONNECTION_LIMIT": 321, "WAITRESS_CHANNEL_TIMEOUT": 7,
          "WAITRESS_BACKLOG": 64, "MIGRATE_ON_START": False}


def test_shop_serve_hands_the_configured_limits_to_a_real_waitress_server(app):
    app.config.update(LIMITS)
    built = []

    def build_without_serving(wsgi_app, **kwargs):
        kwargs.pop("_server")
        server = serving.create_keep_alive_server(wsgi_app, **{**kwargs, "port": 0})
        built.append(server)

    with mock.patch.object(serving.waitress, "serve", build_without_serving):
        result = app.test_cli_runner().invoke(args=["serve", "--host", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    [server] = built
    try:
        assert server.adj.connection_limit == 321
        assert server.adj.channel_timeout == 7
        assert server.adj.cleanup_interval <= 7
        assert server.adj.backlog == 64
        assert server.adj.asyncore_use_poll is True
    finally:
        server.close()

