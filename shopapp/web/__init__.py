"""HTTP plumbing around the API, the same for every request and every resource.

``json_provider``: orjson behind Flask's JSON provider. ``security_headers``: headers,
CSP and CORS. ``request_log``: one log line and one request id per request.
``cookie_session``: Flask's cookie session switched off (the API is stateless).
``storefront``: the static storefront at the site root. ``serving``: waitress, keeping
connections open after bodiless answers.
"""
