"""A clone stands alone: nothing in the repository needs a folder beside it."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tracked_text_files():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    for name in names:
        path = ROOT / name
        if path.is_file() and path.suffix not in {".png", ".svg", ".ico", ".woff2"}:
            try:
                yield name, path.read_text()
            except UnicodeDecodeError:
                continue


def test_no_file_points_outside_the_repository():
    outside = "../" + "shared"  # spelled in two parts so this file does not find itself
    offenders = [name for name, text in tracked_text_files() if outside in text]
    assert not offenders, f"these files need a folder outside the clone: {offenders}"


def test_the_benchmark_yardstick_is_in_the_repository():
    import bench  # scripts/bench.py

    assert bench.DEFAULT_BENCH_DIR.resolve().is_relative_to(ROOT)
    for part in ("load.py", "floors/raw_wsgi.py", "floors/flask_sqla.py", "floors/data.py"):
        assert (bench.DEFAULT_BENCH_DIR / part).is_file(), part


def test_readme_names_the_repositorys_own_contract():
    readme = (ROOT / "README.md").read_text()
    assert "docs/API.md" in readme
    assert (ROOT / "docs" / "API.md").is_file()
