"""The caller's own account, under /api/v1/users: profile and password change.

The rules live in ``auth`` (accounts, passwords, tokens); this package is only the HTTP side.
"""
