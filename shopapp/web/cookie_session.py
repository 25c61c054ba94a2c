"""Flask's signed-cookie session, switched off: the shop's API is stateless.

Flask opens its cookie session on every request, building a signing serializer each time
when a SECRET_KEY is set: about 25 µs of the ~190 µs the app spends on a cached catalog
answer (docs/PERFORMANCE.md). Nothing in the shop uses ``flask.session`` (clients send
bearer tokens, the storefront keeps its token itself), so the session is never opened;
writing to it fails loudly instead of silently setting a cookie nobody reads.
"""

from flask.sessions import NullSession, SessionInterface

DISABLED = ("Flask's cookie session is switched off: the shop's API is stateless "
            "(see shopapp/web/cookie_session.py).")


class DisabledSession(NullSession):
    def _fail(self, *args, **kwargs):
        raise RuntimeError(DISABLED)

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail


class NoCookieSessionInterface(SessionInterface):
    null_session_class = DisabledSession

    def open_session(self, app, request):
        return None  # Flask then uses make_null_session(), and never saves it

    def save_session(self, app, session, response):
        pass


def disable_cookie_session(app):
    app.session_interface = NoCookieSessionInterface()
