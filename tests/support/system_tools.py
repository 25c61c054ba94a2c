"""Machine tools some tests need (Chromium, nginx, docker compose): missing one fails in CI.

``.ci/run`` installs them, so in CI a missing tool is a broken setup, never a quiet skip;
on a developer's machine the test skips and says what to install.
"""

import os

import pytest


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
