"""The ``shop`` console script itself: its version, its help, the serve banner."""

import subprocess
import sys

from shopapp.cli import COMMANDS, browsable_url
from shopapp.version import package_version


def shop(*args):
    return subprocess.run([sys.executable, "-m", "shopapp", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_version_is_the_shops():
    result = shop("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"shop {package_version()}"
    assert package_version() != "0+unknown"
    assert "Flask" not in result.stdout


def test_help_lists_the_shops_commands_first_and_no_option_that_cannot_work():
    result = shop("--help")
    assert result.returncode == 0, result.stderr
    command_lines = result.stdout.split("Commands:")[1].splitlines()
    names = [line.split()[0] for line in command_lines if line.startswith("  ") and line.strip()]
    ours = [command.name for command in COMMANDS]
    assert [name for name in names if name in ours] == ours
    assert names.index(ours[-1]) < names.index("db")
    for unusable in ("--env-file", "--app", "--debug"):
        assert unusable not in result.stdout
    assert "run" not in names
    assert shop("run").returncode != 0  # Flask's development server is not offered


def test_banner_url_is_one_a_browser_can_open():
    assert browsable_url("0.0.0.0", 8000) == "http://localhost:8000/"
    assert browsable_url("127.0.0.1", 8001) == "http://localhost:8001/"
    assert browsable_url("192.0.2.7", 80) == "http://192.0.2.7:80/"
    assert browsable_url("2001:db8::1", 8000) == "http://[2001:db8::1]:8000/"
