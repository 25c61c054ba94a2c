"""scripts/profile_requests.py, the in-process cost check, runs every scenario end to end
(its requests assert their own statuses, so a broken scenario fails the script)."""

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "profile_requests.py"
SCENARIOS = ("304", "products", "me", "cart", "flow")


def run_script(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=300)


def test_every_scenario_reports_a_cost():
    result = run_script("--scale", "0.005", "--repeats", "1")
    assert result.returncode == 0, result.stderr
    for name in SCENARIOS:
        unit = "flow" if name == "flow" else "request"
        assert re.search(rf"^\s*{name}: +\d+ CPU-µs per {unit}", result.stdout, re.MULTILINE), \
            result.stdout


def test_profile_mode_and_unknown_scenarios():
    profiled = run_script("me", "--scale", "0.005", "--profile")
    assert profiled.returncode == 0, profiled.stderr
    assert "== me: 15 requests" in profiled.stdout and "cumulative" in profiled.stdout
    unknown = run_script("checkout")
    assert unknown.returncode == 2 and "unknown scenario(s): checkout" in unknown.stderr
