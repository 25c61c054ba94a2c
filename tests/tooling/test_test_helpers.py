"""Tests take fixtures from a conftest.py and shared helpers from tests/support/: a test
module never imports from a conftest, nor from another test module (issue 15)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def imported_modules(path):
    """(line, module) for every ``from X import ...`` and ``import X`` in the file; a
    relative import keeps its dots (``.conftest``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            yield node.lineno, "." * node.level + (node.module or "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_no_test_module_imports_a_conftest_or_another_test_module():
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in imported_modules(path):
            last = module.rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                offenders.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert not offenders, ("a helper that is not a fixture belongs in tests/support/:\n  "
                           + "\n  ".join(offenders))
