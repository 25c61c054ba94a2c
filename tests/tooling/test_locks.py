"""The committed lock files cover setup.cfg, and every install goes through them.

A fresh machine resolves "pytest>=8" to whatever is newest that day; the locks in
requirements/ pin what the suite last passed with. These tests fail when setup.cfg names a
package a lock lacks, when a pin falls outside setup.cfg's range, or when an install path
(Makefile, .ci/run, Dockerfile) stops going through the locks.
"""

import ast
import configparser
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK_DIR = ROOT / "requirements"
SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))
# Modules of scripts/ that are imported by the scripts, not run.
SCRIPT_LIBRARIES = {"operator_credentials", "scratch_database", "shop_client"}
# Which extras each lock must hold, besides install_requires.
LOCKS = {
    "run.txt": ("postgres", "scripts"),
    "test.txt": ("postgres", "scripts", "test"),
    "dev.txt": ("postgres", "scripts", "test", "deploy", "dev"),
}
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def setup_cfg():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return parser


def requirement_lines(text):
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def declared(extras):
    """The Requirements that setup.cfg names for install_requires plus ``extras``."""
    cfg = setup_cfg()
    lines = requirement_lines(cfg["options"]["install_requires"])
    for extra in extras:
        lines += requirement_lines(cfg["options.extras_require"][extra])
    return [Requirement(line) for line in lines]


def pins(lock_name):
    """{canonical name: version} of one lock file, checking every pin carries a hash."""
    text = (LOCK_DIR / lock_name).read_text()
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if not match:
            continue
        name = canonicalize_name(match.group(1))
        assert "--hash=sha256:" in block, f"{lock_name}: {name} is pinned without a hash"
        found[name] = match.group(2)
    return found


@pytest.mark.parametrize("lock_name", sorted(LOCKS))
def test_every_declared_package_is_pinned_within_its_range(lock_name):
    locked = pins(lock_name)
    missing, outside = [], []
    for requirement in declared(LOCKS[lock_name]):
        name = canonicalize_name(requirement.name)
        if name not in locked:
            missing.append(requirement.name)
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            outside.append(f"{name}=={locked[name]} (setup.cfg: {requirement.specifier})")
    assert not missing, f"requirements/{lock_name} lacks {missing}: run `make lock`"
    assert not outside, f"requirements/{lock_name} pins outside setup.cfg: {outside}"


def test_locks_agree_on_every_shared_version():
    locks = {name: pins(name) for name in LOCKS}
    everything = locks["dev.txt"]
    for name, locked in locks.items():
        differing = {pkg: (version, everything.get(pkg)) for pkg, version in locked.items()
                     if everything.get(pkg) != version}
        assert not differing, f"{name} and dev.txt disagree: {differing}"


def test_known_breaking_release_is_excluded():
    """pytest 9.2 removed Node._nodeid, which schemathesis 4.32 uses (issue 11)."""
    pytest_requirement = next(r for r in declared(["test"]) if r.name == "pytest")
    assert not pytest_requirement.specifier.contains("9.2.0")
    assert pins("test.txt")["pytest"] in pytest_requirement.specifier


def makefile_recipe(target):
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return "\n".join(recipe)


@pytest.mark.parametrize(("target", "lock_name"), [("install-run", "run.txt"),
                                                  ("install-test", "test.txt"),
                                                  ("install-dev", "dev.txt")])
def test_make_installs_through_the_hash_checked_lock(target, lock_name):
    recipe = makefile_recipe(target)
    assert f"--require-hashes -r requirements/{lock_name}" in recipe
    assert "--no-deps -e ." in recipe, "the shop itself must not resolve unlocked packages"


def test_readme_commands_use_the_locked_installs():
    assert makefile_recipe("run").startswith("run: install-run")
    assert makefile_recipe("test").startswith("test: install-test")


def test_ci_runs_the_readme_test_command_in_a_fresh_virtualenv():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in script.splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert commands[-2:] == ["rm -rf .venv", "make test"]


def third_party_imports(script):
    modules = set()
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    local = {path.stem for path in SCRIPTS} | {"shopapp", "__future__"}
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local}


def test_make_run_installs_everything_the_scripts_import():
    """`make run` installs requirements/run.txt (plus the shop): every script must work."""
    locked = pins("run.txt")
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for script in SCRIPTS:
        for module in third_party_imports(script):
            names = {canonicalize_name(d) for d in providers.get(module, [module])}
            if not names & set(locked):
                missing.setdefault(script.name, []).append(module)
    assert not missing, f"requirements/run.txt lacks what scripts import: {missing}"


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.stem not in SCRIPT_LIBRARIES],
                         ids=lambda path: path.name)
def test_every_script_answers_help(script):
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower()
