"""The shop's own version, as installed (setup.cfg's ``version``)."""

from importlib.metadata import PackageNotFoundError, version


def package_version():
    try:
        return version("shopapp")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
